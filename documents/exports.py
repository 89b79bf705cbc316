"""A draft as a document a group can file: DOCX built from the same blocks
the page shows (plain text only, so nothing from users becomes markup)."""

import io

from docx import Document as DocxDocument

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def draft_docx(draft) -> bytes:
    document = DocxDocument()
    document.core_properties.title = draft.title
    document.add_heading(draft.title, level=0)
    document.add_paragraph(
        _("%(group)s — version %(version)s of %(date)s")
        % {
            "group": draft.group.name,
            "version": draft.version,
            "date": date_format(
                timezone.localtime(draft.updated_at), "DATETIME_FORMAT"
            ),
        }
    )
    if draft.summary:
        document.add_paragraph(draft.summary, style="Intense Quote")
    for _block_id, kind, text in draft.paragraphs():
        if kind == "heading":
            document.add_heading(text, level=1)
        else:
            document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
