"""The blocks of a draft's body: what the live editor can make, and no more
(headings of two levels, paragraphs, bulleted and numbered lists, quotes;
bold, italic and links inside them). Rich text is stored as the HTML
``documents.richtext`` allows and nothing else."""

import re

from django import forms
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail import blocks

from documents import richtext


class HeadingBlock(blocks.CharBlock):
    """A section heading of a draft (level 2)."""

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "blocks/draft_heading.html"
        description = _("A section heading")
        preview_value = "Diagnoza"


class SubheadingBlock(blocks.CharBlock):
    """A heading under a section heading (level 3)."""

    class Meta:
        icon = "title"
        label = _("Subheading")
        template = "blocks/draft_subheading.html"
        description = _("A heading inside a section")
        preview_value = "Edukacja"


class RichInline(str):
    """Stored HTML that ``richtext.sanitise`` made: templates show it as
    HTML."""

    def __html__(self):
        return str(self)


class InlineRichTextBlock(blocks.FieldBlock):
    """Text with bold, italic and links, stored as sanitised HTML; whatever
    comes in (a form, an old revision, the database) is sanitised again."""

    def __init__(self, required=True, help_text=None, **kwargs):
        self._required = required
        self._help_text = help_text
        super().__init__(**kwargs)

    @cached_property
    def field(self):
        return forms.CharField(
            required=self._required,
            help_text=self._help_text,
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    def to_python(self, value):
        return RichInline(richtext.sanitise(value))

    def get_prep_value(self, value):
        return richtext.sanitise(value)

    def value_from_form(self, value):
        return self.to_python(value)

    def get_searchable_content(self, value):
        return [richtext.plain(value)] if self.search_index else []

    class Meta:
        icon = "bold"
        default = ""


class ParagraphBlock(InlineRichTextBlock):
    """A paragraph; comments anchor to it by its block id."""

    class Meta:
        icon = "pilcrow"
        label = _("Paragraph")
        template = "blocks/draft_paragraph.html"
        description = _("A paragraph with bold, italic and links")
        preview_value = "Rekomendujemy…"


class QuoteBlock(InlineRichTextBlock):
    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "blocks/draft_quote.html"
        description = _("A block quote")
        preview_value = "Małopolska otwarta"


class _ItemsBlock(blocks.ListBlock):
    """A list whose items are rich text, as the editor's list items are."""

    def __init__(self, **kwargs):
        super().__init__(InlineRichTextBlock(label=_("Item")), **kwargs)


class BulletedListBlock(_ItemsBlock):
    class Meta:
        icon = "list-ul"
        label = _("Bulleted list")
        template = "blocks/draft_bulleted_list.html"


class NumberedListBlock(_ItemsBlock):
    class Meta:
        icon = "list-ol"
        label = _("Numbered list")
        template = "blocks/draft_numbered_list.html"


DRAFT_BODY_BLOCKS = [
    ("heading", HeadingBlock()),
    ("subheading", SubheadingBlock()),
    ("paragraph", ParagraphBlock()),
    ("bulleted_list", BulletedListBlock()),
    ("numbered_list", NumberedListBlock()),
    ("quote", QuoteBlock()),
]
HEADINGS = {"heading": 2, "subheading": 3}
LISTS = {"bulleted_list": "bulletList", "numbered_list": "orderedList"}
RICH = {"paragraph", "quote"}


def list_items(value):
    """A list block's items as stored HTML, from its raw data (items as
    ``{"type": "item", "value": …}`` or bare, as older Wagtail wrote them)
    or from its ``ListValue``."""
    items = []
    for item in value or ():
        if isinstance(item, dict):
            item = item.get("value", "")
        items.append(richtext.sanitise(item))
    return items


def normal_value(kind, value):
    """A block's raw value in the one form the round trips compare."""
    if kind in LISTS:
        return list_items(value)
    if kind in RICH:
        return richtext.sanitise(value)
    return str(value or "")


def plain_text(kind, value):
    """The block as the plain text its readers see: comments' anchors, the
    comparison, search. A list is one line per item, "- " or "1. " before
    it; a line break is a new line."""
    if kind == "bulleted_list":
        return "\n".join(f"- {richtext.plain(item)}" for item in list_items(value))
    if kind == "numbered_list":
        return "\n".join(
            f"{number}. {richtext.plain(item)}"
            for number, item in enumerate(list_items(value), start=1)
        )
    if kind in RICH:
        return richtext.plain(value)
    return str(value or "")


_BULLET_LINE = re.compile(r"- (.*\S.*)")
_NUMBER_LINE = re.compile(r"(\d+)\. (.*\S.*)")


def from_plain_body(raw):
    """A body as drafts held it before rich text (headings and paragraphs of
    plain text) in today's blocks, keeping every text and id: a paragraph is
    escaped into rich text, and one whose every line is a list item ("- " or
    "1. ", "2. " …, as the editor's lists were flattened) is that list
    again — its plain text, which comments compare with, stays the same.
    Used by the migrations that move stored drafts (0011, 0012)."""
    return [{**block, **_rich_block(block)} for block in raw]


def _rich_block(block):
    if block["type"] != "paragraph":
        return {}
    text = str(block["value"] or "")
    lines = text.split("\n")
    bullets = [_BULLET_LINE.fullmatch(line) for line in lines]
    if all(bullets):
        return _list("bulleted_list", [match.group(1) for match in bullets])
    numbers = [_NUMBER_LINE.fullmatch(line) for line in lines]
    if all(numbers) and [int(match.group(1)) for match in numbers] == list(
        range(1, len(lines) + 1)
    ):
        return _list("numbered_list", [match.group(2) for match in numbers])
    return {"value": richtext.text_to_html(text)}


def _list(kind, items):
    return {"type": kind, "value": [richtext.text_to_html(item) for item in items]}
