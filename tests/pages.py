"""Small builders for the Wagtail page tree in tests."""

from wagtail.models import Locale

from home.models import HomePage


def home_page():
    """The Polish home page that the migrations create."""
    return HomePage.objects.get(locale__language_code="pl", depth=2)


def translate(page, language_code, **fields):
    """Publish a translation of ``page``, as an editor would."""
    locale, _ = Locale.objects.get_or_create(language_code=language_code)
    translation = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return translation
