from django import template
from django.apps import apps
from django.conf import settings
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page

from home import people
from home.languages import reader_language
from home.restrictions import public_only

register = template.Library()

IN_LANGUAGE = {"pl": _("in Polish"), "uk": _("in Ukrainian"), "en": _("in English")}


@register.inclusion_tag("includes/translation_note.html")
def translation_note(page):
    """For a reader of a translation the Polish source has outgrown: a note
    and a link to the current text. Pages in the site's own language ask
    nothing of the database."""
    from home import translations

    if get_language() == settings.LANGUAGE_CODE or not isinstance(page, Page):
        return {}
    source = translations.live_source_of(page)
    if source is None or not translations.is_outdated(source, page):
        return {}
    return {"source": source, "code": settings.LANGUAGE_CODE}


@register.inclusion_tag("includes/page_link.html")
def page_link(target, here):
    """A link to ``target`` from the page ``here``; a page in another
    language is marked as such, for the eye (a note in the reader's
    language) and for assistive technology (``lang`` and ``hreflang``)."""
    code = target.locale.language_code
    other = target.locale_id != here.locale_id
    return {
        "target": target,
        "code": code if other else "",
        "note": IN_LANGUAGE.get(code, code) if other else "",
    }


# Each language's quotation marks (the Polish ones look wrong in English).
QUOTES = {"pl": ("„", "”"), "uk": ("«", "»"), "en": ("“", "”")}


@register.filter
def quoted(text):
    """``{{ text|quoted }}``: ``text`` between the reader's language's quotation
    marks, for text quoted outside a translated sentence."""
    code = reader_language()
    opening, closing = QUOTES.get(code, QUOTES[settings.LANGUAGE_CODE])
    return format_html("{}{}{}", opening, text, closing)


@register.filter
def person_name(user):
    """``{{ user|person_name }}``: see ``home.people.person_name``."""
    return people.person_name(user)


def _live_translations(page):
    """The live language versions of ``page`` (itself included), by language
    code, read in one query."""
    translations = page.get_translations(inclusive=True).live().select_related("locale")
    return {
        translation.locale.language_code: translation for translation in translations
    }


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to the current page in every interface language. For a Wagtail
    page the link goes to its translation; where there is none, to that
    language's home page, and the link says so."""
    request = context["request"]
    page = context.get("page")
    translations = None
    if isinstance(page, Page):
        from home.cache import cached_value

        # Live translations only; remembered until public content changes.
        translations = cached_value(
            f"translations:{page.pk}",
            lambda: {
                code: translation.get_url(request=request)
                for code, translation in _live_translations(page).items()
            },
        )
    languages = []
    for code, name in settings.LANGUAGES:
        missing = False
        if translations is None:
            url = translate_url(request.get_full_path(), code)
        elif code in translations:
            url = translations[code]
        else:
            url, missing = f"/{code}/", True
        languages.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "current": code == get_language(),
                "missing": missing,
            }
        )
    return {"languages": languages}


def _site_links(code):
    from home.models import (
        AccessibilityStatementPage,
        DocumentsPage,
        HelpPage,
        MonitoringPage,
        ProgrammePage,
    )

    # The recommendations' index is the documents app's, named by its label
    # as in subpage_types: home does not import documents.
    recommendations = apps.get_model("documents.RecommendationIndexPage")
    pages = (
        public_only(Page.objects.all())
        .filter(locale__language_code=code)
        .type(
            ProgrammePage,
            HelpPage,
            AccessibilityStatementPage,
            MonitoringPage,
            DocumentsPage,
            recommendations,
        )
        .select_related("content_type")
        .order_by("path")
    )
    links = {}
    for page in pages:
        name = page.content_type.model
        links.setdefault(name, {"title": page.title, "url": page.url})
    return links


@register.simple_tag
def site_links():
    """The URLs of the site's main public pages in the current language
    (programme, recommendations, help, monitoring, documents, accessibility
    statement),
    keyed by model name; remembered until public content changes."""
    from home.cache import cached_value

    code = reader_language()
    return cached_value(f"site-links:{code}", lambda: _site_links(code))


@register.filter
def in_language(text):
    """``{{ group.local_name|in_language }}``: the text, in a ``<span lang>``
    when it is not in the reader's language (a translation is missing)."""
    lang = getattr(text, "lang", None)
    if lang is None or lang == reader_language():
        return text
    return format_html('<span lang="{}">{}</span>', lang, text)


@register.filter
def lang_attr(text):
    """`` lang="pl"`` for an element whose whole text is a fallback."""
    lang = getattr(text, "lang", None)
    if lang is None or lang == reader_language():
        return ""
    return format_html(' lang="{}"', lang)
