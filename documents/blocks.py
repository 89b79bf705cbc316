from django.utils.translation import gettext_lazy as _

from wagtail import blocks


class HeadingBlock(blocks.CharBlock):
    """A section heading of a draft."""

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "blocks/draft_heading.html"
        description = _("A section heading")
        preview_value = "Diagnoza"


class ParagraphBlock(blocks.TextBlock):
    """A paragraph of plain text; comments anchor to it by its block id."""

    class Meta:
        icon = "pilcrow"
        label = _("Paragraph")
        template = "blocks/draft_paragraph.html"
        description = _("A paragraph of plain text")
        preview_value = "Rekomendujemy…"


DRAFT_BODY_BLOCKS = [("heading", HeadingBlock()), ("paragraph", ParagraphBlock())]
