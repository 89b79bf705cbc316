"""Every interface string is translated into Polish, Ukrainian and English."""

import shutil

import pytest
from babel.messages.pofile import read_po

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

LANGUAGES = [code for code, _ in settings.LANGUAGES]
IGNORED = [".venv/*", "staticfiles/*", "media/*", "tests/*", "node_modules/*"]
SKIPPED = {"locale", ".venv", ".git", "staticfiles", "media", "tests", "node_modules"}


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory, monkeypatch_module):
    """The committed catalogues, brought up to date with the source by
    ``makemessages`` in a scratch copy: a string missing from a catalogue shows
    up there as untranslated. The source is linked into the scratch directory
    and makemessages runs there, because it also writes to ``./locale``."""
    scratch = tmp_path_factory.mktemp("catalogues")
    for entry in settings.BASE_DIR.iterdir():
        if entry.name not in SKIPPED:
            (scratch / entry.name).symlink_to(entry)
    locale = scratch / "locale"
    shutil.copytree(settings.BASE_DIR / "locale", locale)
    monkeypatch_module.chdir(scratch)
    with override_settings(LOCALE_PATHS=[locale]):
        call_command(
            "makemessages",
            locale=LANGUAGES,
            ignore_patterns=IGNORED,
            no_obsolete=True,
            symlinks=True,
            verbosity=0,
        )
    return locale


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_no_untranslated_or_fuzzy_entry(fresh_catalogues, language):
    path = fresh_catalogues / language / "LC_MESSAGES" / "django.po"
    with path.open("rb") as po_file:
        catalogue = read_po(po_file, locale=language)
    assert len(catalogue) > 500, "makemessages did not find the source"

    incomplete = [
        message.id
        for message in catalogue
        if message.id
        and (
            message.fuzzy
            or not message.string
            or (isinstance(message.string, tuple) and not all(message.string))
        )
    ]

    assert incomplete == []
