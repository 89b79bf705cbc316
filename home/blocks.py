"""The content blocks editors use for the programme's pages (StreamField)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "document-link"]


class HeadingBlock(blocks.StructBlock):
    """A section heading at level 2 or 3 (the page title is the only h1)."""

    text = blocks.CharBlock(label=_("text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("level"),
        choices=[("h2", _("heading 2")), ("h3", _("heading 3"))],
        default="h2",
        # The level's label is not the page's text (search, feeds, excerpts).
        search_index=False,
    )

    class Meta:
        icon = "title"
        template = "home/blocks/heading.html"
        label = _("Heading")
        description = _("A section heading")
        preview_value = {"text": "Diagnoza sytuacji imigrantów", "level": "h2"}


class QuoteBlock(blocks.StructBlock):
    """A quotation with the person or document it comes from."""

    text = blocks.TextBlock(label=_("quotation"))
    source = blocks.CharBlock(label=_("source"), required=False, max_length=255)

    class Meta:
        icon = "openquote"
        template = "home/blocks/quote.html"
        label = _("Quotation")
        description = _("A quotation with its source")
        preview_value = {"text": "Małopolska otwarta", "source": "Program"}


class CaptionedTableBlock(blocks.StructBlock):
    """A data table with a caption, which screen readers announce."""

    caption = blocks.CharBlock(label=_("caption"), max_length=255)
    table = TableBlock(
        label=_("table"),
        table_options={"startRows": 3, "startCols": 3, "renderer": "text"},
    )

    class Meta:
        icon = "table"
        template = "home/blocks/table.html"
        label = _("Table")
        description = _("A table with a caption")
        preview_value = {
            "caption": "Liczba osób",
            "table": {"data": [["Rok", "Liczba"], ["2023", "100"]]},
        }


class StatisticBlock(blocks.StructBlock):
    """A key figure with its label and the source it comes from."""

    value = blocks.CharBlock(label=_("value"), max_length=50)
    label = blocks.CharBlock(label=_("what it counts"), max_length=200)
    source = blocks.CharBlock(label=_("source"), max_length=255)

    class Meta:
        icon = "order"
        template = "home/blocks/statistic.html"
        label = _("Statistic")
        description = _("A figure with its source")
        preview_value = {"value": "34", "label": "soboty otwarte", "source": "Projekt"}


class FigureBlock(blocks.StructBlock):
    """An image with a required text alternative and an optional caption."""

    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alternative text"),
        max_length=300,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=300)

    class Meta:
        icon = "image"
        template = "home/blocks/figure.html"
        label = _("Figure")
        description = _("An image with alternative text")

    def clean(self, value):
        value = super().clean(value)
        if value.get("image") and not (value.get("alt_text") or "").strip():
            raise StructBlockValidationError(
                {"alt_text": ValidationError(_("A figure needs alternative text."))}
            )
        return value


class DownloadBlock(blocks.StructBlock):
    """A document to download, with a title that says what it is."""

    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(label=_("title"), required=False, max_length=255)

    class Meta:
        icon = "download"
        template = "home/blocks/download.html"
        label = _("Download")
        description = _("A document to download")


class CalloutBlock(blocks.StructBlock):
    """A highlighted note: information or a warning."""

    kind = blocks.ChoiceBlock(
        label=_("kind"),
        choices=[("info", _("information")), ("warning", _("warning"))],
        default="info",
    )
    title = blocks.CharBlock(label=_("title"), required=False, max_length=200)
    text = blocks.RichTextBlock(label=_("text"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        template = "home/blocks/callout.html"
        label = _("Call-out")
        description = _("A highlighted note")
        preview_value = {"kind": "info", "title": "Uwaga", "text": "<p>Tekst</p>"}


class ContentBlock(blocks.StreamBlock):
    """The blocks of a programme page's body."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Rich text"),
        features=RICH_TEXT_FEATURES,
        template="home/blocks/paragraph.html",
    )
    quote = QuoteBlock()
    table = CaptionedTableBlock()
    statistic = StatisticBlock()
    figure = FigureBlock()
    download = DownloadBlock()
    callout = CalloutBlock()


class DownloadsBlock(blocks.StreamBlock):
    """The list of documents to download ("Dokumenty do pobrania")."""

    download = DownloadBlock()


class DocumentSectionBlock(blocks.StructBlock):
    """A group of documents to download under a heading ("Reports")."""

    heading = blocks.CharBlock(label=_("heading"), max_length=200)
    documents = blocks.ListBlock(DownloadBlock(), label=_("documents"))

    class Meta:
        icon = "folder-open-inverse"
        template = "home/blocks/document_section.html"
        label = _("Section of documents")
        description = _("Documents to download under a heading")


class DocumentSectionsBlock(blocks.StreamBlock):
    """The sections of the public documents page."""

    section = DocumentSectionBlock()
