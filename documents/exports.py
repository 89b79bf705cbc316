"""A draft or a recommendation as a document to file: DOCX built from the
same blocks the page shows — headings, lists, quotes, and bold, italic and
links as runs (documents/richtext.py), so nothing from users becomes
markup — with the builder the programme's export uses (home/exports.py)."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from documents import richtext
from documents.blocks import LISTS, RICH, list_items
from home.exports import docx_bytes as _docx


def draft_docx(draft) -> bytes:
    subtitle = _("%(group)s — version %(version)s of %(date)s") % {
        "group": draft.group.name,
        "version": draft.version,
        "date": date_format(timezone.localtime(draft.updated_at), "DATETIME_FORMAT"),
    }
    blocks = [
        _draft_block(block["type"], block["value"]) for block in draft.body.raw_data
    ]
    return _docx(draft.title, subtitle, draft.summary, blocks)


def _draft_block(kind, value):
    if kind in LISTS:
        return kind, [richtext.html_to_runs(item) for item in list_items(value)]
    if kind in RICH:
        return kind, richtext.html_to_runs(value)
    return kind, str(value)


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
            level = "subheading" if block.value["level"] == "h3" else "heading"
            blocks.append((level, block.value["text"]))
        elif block.block_type == "quote":
            blocks.append(("quote", block.value["text"]))
        elif block.block_type == "paragraph":
            blocks += richtext.html_blocks(block.value.source)
    return _docx(page.title, subtitle, strip_tags(page.summary), blocks)
