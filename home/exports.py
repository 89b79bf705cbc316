"""Public content as a document to file: DOCX built from plain text only
(so nothing from users becomes markup). The programme's export is here;
drafts and recommendations use the same builder (documents/exports.py)."""

import io

from docx import Document as DocxDocument

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

HEADING_LEVELS = {"heading": 1, "subheading": 2, "minorheading": 3}


def docx_bytes(title, subtitle, summary, blocks) -> bytes:
    """``blocks``: (kind, text) pairs, kind "heading", "subheading",
    "minorheading" or "paragraph"."""
    document = DocxDocument()
    document.core_properties.title = title
    document.add_heading(title, level=0)
    document.add_paragraph(subtitle)
    if summary:
        document.add_paragraph(summary, style="Intense Quote")
    for kind, text in blocks:
        if kind in HEADING_LEVELS:
            document.add_heading(text, level=HEADING_LEVELS[kind])
        else:
            document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _plain(html):
    return " ".join(strip_tags(str(html or "")).split())


def programme_docx(programme, goals) -> bytes:
    """The programme with its goals, directions and actions (status,
    responsible body, indicators): ``goals`` as the print view nests them."""
    blocks = []
    for goal in goals:
        blocks.append(("heading", f"{_('Strategic goal')} {goal.numbered_title}"))
        for direction in goal.children:
            blocks.append(
                (
                    "subheading",
                    f"{_('Direction of intervention')} {direction.numbered_title}",
                )
            )
            for action in direction.children:
                blocks += _action_blocks(action)
    subtitle = _("Status as published on the site")
    return docx_bytes(programme.title, subtitle, _plain(programme.summary), blocks)


def _action_blocks(action):
    blocks = [("minorheading", f"{_('Action')} {action.numbered_title}")]
    if action.summary:
        blocks.append(("paragraph", _plain(action.summary)))
    blocks.append(("paragraph", f"{_('Status')}: {action.get_status_display()}"))
    if action.responsible_body:
        blocks.append(
            ("paragraph", f"{_('Responsible body')}: {action.responsible_body}")
        )
    for indicator in action.indicators.all():
        current = (
            indicator.current_value if indicator.current_value is not None else "—"
        )
        blocks.append(
            (
                "paragraph",
                f"{indicator.name} ({indicator.unit}): {_('Baseline')} "
                f"{indicator.baseline:g}, {_('Target')} {indicator.target:g}, "
                f"{_('Current value')} {current}",
            )
        )
    return blocks
