from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from wagtail.models import Page

register = template.Library()


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
    translations = _live_translations(page) if isinstance(page, Page) else None
    languages = []
    for code, name in settings.LANGUAGES:
        missing = False
        if translations is None:
            url = translate_url(request.get_full_path(), code)
        elif code in translations:
            url = translations[code].get_url(request=request)
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
