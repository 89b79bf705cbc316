"""A draft or a recommendation as a document to file: DOCX built from the
same blocks the page shows (plain text only, so nothing from users becomes
markup)."""

import io

from docx import Document as DocxDocument

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.translation import gettext as _


def _docx(title, subtitle, summary, blocks) -> bytes:
    """``blocks``: (kind, text) pairs, kind "heading" or "paragraph"."""
    document = DocxDocument()
    document.core_properties.title = title
    document.add_heading(title, level=0)
    document.add_paragraph(subtitle)
    if summary:
        document.add_paragraph(summary, style="Intense Quote")
    for kind, text in blocks:
        if kind == "heading":
            document.add_heading(text, level=1)
        else:
            document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def draft_docx(draft) -> bytes:
    subtitle = _("%(group)s — version %(version)s of %(date)s") % {
        "group": draft.group.name,
        "version": draft.version,
        "date": date_format(timezone.localtime(draft.updated_at), "DATETIME_FORMAT"),
    }
    blocks = [(kind, text) for _block_id, kind, text in draft.paragraphs()]
    return _docx(draft.title, subtitle, draft.summary, blocks)


def recommendation_docx(page) -> bytes:
    """The published text with its provenance line."""
    subtitle = _("%(group)s — version %(version)s, published %(date)s") % {
        "group": page.group.name if page.group else "",
        "version": page.draft_version,
        "date": date_format(
            timezone.localtime(page.last_published_at or timezone.now()), "DATE_FORMAT"
        ),
    }
    blocks = []
    for block in page.body:
        if block.block_type == "heading":
            blocks.append(("heading", block.value["text"]))
        elif block.block_type == "paragraph":
            html = str(block.value.source).replace("<br/>", "\n")
            blocks.append(("paragraph", strip_tags(html)))
    return _docx(page.title, subtitle, strip_tags(page.summary), blocks)
