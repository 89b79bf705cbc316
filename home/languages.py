"""Per-language fields of plain models (working groups and integration areas,
docs/subsystems/public-programme.md#working-groups-and-integration-areas): the
Polish text is the field itself (``name``), the translations sit beside it
(``name_uk``, ``name_en``), and a reader gets their language's text or, where
it is missing, the Polish one marked as Polish."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel


def reader_language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


class InLanguage(str):
    """A text that knows its language (``lang``), so that a template can mark
    a fallback for assistive technology (``{{ text|in_language }}``)."""

    lang: str

    def __new__(cls, text, lang):
        value = super().__new__(cls, text)
        value.lang = lang
        return value


def in_reader_language(obj, field: str) -> InLanguage:
    """``obj.<field>_<lang>`` for the reader's language when it is filled in,
    otherwise ``obj.<field>`` (the Polish source)."""
    code = reader_language()
    if code != settings.LANGUAGE_CODE:
        translated = getattr(obj, f"{field}_{code}", "")
        if translated:
            return InLanguage(translated, code)
    return InLanguage(getattr(obj, field), settings.LANGUAGE_CODE)


class NameInLanguages(models.Model):
    """Ukrainian and English names and descriptions beside the Polish ``name``
    and ``description`` that the model itself declares."""

    name_uk = models.CharField(_("name in Ukrainian"), max_length=150, blank=True)
    name_en = models.CharField(_("name in English"), max_length=150, blank=True)
    description_uk = models.TextField(_("description in Ukrainian"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)

    translation_panels = [
        MultiFieldPanel(
            [FieldPanel("name_uk"), FieldPanel("description_uk")],
            heading=_("Ukrainian"),
        ),
        MultiFieldPanel(
            [FieldPanel("name_en"), FieldPanel("description_en")],
            heading=_("English"),
        ),
    ]

    class Meta:
        abstract = True

    def __str__(self):
        return self.local_name

    @property
    def local_name(self) -> InLanguage:
        return in_reader_language(self, "name")

    @property
    def local_description(self) -> InLanguage:
        return in_reader_language(self, "description")
