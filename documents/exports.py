"""A draft or a recommendation as a document to file: DOCX built from the
same blocks the page shows (plain text only, so nothing from users becomes
markup), with the builder the programme's export uses (home/exports.py)."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from home.exports import docx_bytes as _docx


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
