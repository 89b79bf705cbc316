"""Which pages the public may see: one definition for search, feeds, the
API, the sitemap and the site's links (docs/security.md, AC-07, AC-10, AC-11)."""

from wagtail.models import Locale, Page

from home.languages import reader_language
from home.restrictions import public_only


def public_pages():
    """Live pages under no view restriction, in every language."""
    return public_only(Page.objects.all())


def reader_locale():
    try:
        return Locale.get_active()
    except Locale.DoesNotExist:
        return Locale.get_default()


def public_pages_in_reader_language():
    return public_pages().filter(locale=reader_locale())


def programme_updates(limit=20):
    """The most recently published public pages of the programme in the
    reader's language, newest first."""
    from home.models import ProgrammePage

    programmes = public_only(ProgrammePage.objects.all()).filter(locale=reader_locale())
    pages = public_pages_in_reader_language().none()
    for programme in programmes:
        pages = pages | public_pages().descendant_of(programme, inclusive=True)
    return (
        pages.filter(locale=reader_locale())
        .order_by("-last_published_at", "-pk")
        .specific()[:limit]
    )


def language():
    return reader_language()
