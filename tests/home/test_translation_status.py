"""Translation status and the PO round trip (issue 16): editing a Polish
source marks its translations outdated and shows what changed; publishing
the translation again clears it; export and import round-trip."""

import pytest

from django.core.cache import cache
from django.core.exceptions import ValidationError

from wagtail.models import Locale

from home import translation_po, translations
from home.translations import MISSING, OUTDATED, UP_TO_DATE
from tests.factories import editor
from tests.pages import programme_tree

pytestmark = pytest.mark.django_db


def _translate(page, code, **fields):
    locale, _ = Locale.objects.get_or_create(language_code=code)
    translation = page.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    translation.refresh_from_db()
    return translation


def _edit(page, **fields):
    page = page.get_latest_revision_as_object()
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def _status(page, code):
    for entry in translations.pages_to_translate():
        if entry.source.pk == page.pk and entry.locale.language_code == code:
            return entry.status
    return UP_TO_DATE


@pytest.fixture
def action():
    return programme_tree()["actions"][0]


def test_a_page_without_translation_is_missing(action):
    Locale.objects.get_or_create(language_code="uk")

    assert _status(action, "uk") == MISSING


def test_editing_the_source_marks_the_translation_outdated_with_what_changed(
    action,
):
    ukrainian = _translate(action, "uk", title="Дія")
    assert _status(action, "uk") == UP_TO_DATE

    action = _edit(action, title="Działanie poprawione")

    assert _status(action, "uk") == OUTDATED
    changes = translations.changes_since_translation(action, ukrainian)
    assert ("Tytuł", "Działanie 1.1.1", "Działanie poprawione") in changes


def test_what_changed_names_each_part_as_the_editor_knows_it(action):
    from wagtail.blocks import StreamValue

    action.body = [("paragraph", "<p>Pierwszy</p>"), ("paragraph", "<p>Drugi</p>")]
    action.save_revision().publish()
    action.refresh_from_db()
    ukrainian = _translate(action, "uk")
    edited = action.get_latest_revision_as_object()
    raw = list(edited.body.raw_data)
    raw[1]["value"] = "<p>Drugi poprawiony</p>"
    edited.body = StreamValue(edited.body.stream_block, raw, is_lazy=True)
    edited.summary = "<p>Nowe streszczenie</p>"
    edited.save_revision().publish()

    changes = translations.changes_since_translation(edited, ukrainian)

    assert sorted(name for name, _before, _now in changes) == [
        "Streszczenie",
        "Treść, blok 2",
    ]


def test_translating_again_clears_outdated(action):
    ukrainian = _translate(action, "uk", title="Дія")
    _edit(action, title="Działanie poprawione")

    _edit(ukrainian, title="Дія виправлена")

    assert _status(action, "uk") == UP_TO_DATE


def test_export_and_import_round_trip(action):
    ukrainian = _translate(action, "uk")
    exported = translation_po.export_po(action, ukrainian)
    title = 'msgctxt "title"\nmsgid "Działanie 1.1.1"\nmsgstr '
    translated = exported.replace(
        (title + '"Działanie 1.1.1"').encode(), (title + '"Дія"').encode()
    )
    assert translated != exported

    changed = translation_po.import_po(
        translation=ukrainian, data=translated, user=editor()
    )

    draft = ukrainian.get_latest_revision_as_object()
    assert changed == 1 and draft.title == "Дія"
    again = translation_po.export_po(action, draft)
    assert b'msgstr "\xd0\x94\xd1\x96\xd1\x8f"' in again
    assert (
        translation_po.segments(draft).keys() == translation_po.segments(action).keys()
    )


def test_a_file_for_another_page_or_no_po_at_all_changes_nothing(action):
    ukrainian = _translate(action, "uk")
    revisions = ukrainian.revisions.count()

    for data in (b"\x00\xff not a po", b'msgctxt "body.x"\nmsgid "a"\nmsgstr "b"\n'):
        with pytest.raises(ValidationError):
            translation_po.import_po(translation=ukrainian, data=data, user=editor())

    assert ukrainian.revisions.count() == revisions


def test_a_file_with_a_nul_or_a_title_too_long_is_refused_and_writes_nothing(action):
    ukrainian = _translate(action, "uk")
    exported = translation_po.export_po(action, ukrainian)
    title = 'msgctxt "title"\nmsgid "Działanie 1.1.1"\nmsgstr '
    revisions = ukrainian.revisions.count()

    for hostile in ("Дія\x00", "Д" * 300):
        data = exported.replace(
            (title + '"Działanie 1.1.1"').encode(), (title + f'"{hostile}"').encode()
        )
        assert data != exported
        with pytest.raises(ValidationError) as refused:
            translation_po.import_po(translation=ukrainian, data=data, user=editor())
        assert refused.value.messages

    assert ukrainian.revisions.count() == revisions


def _editor_client(client):
    from allauth.mfa.totp.internal.auth import TOTP

    from tests.factories import sign_in

    person = editor()
    TOTP.activate(person, "JBSWY3DPEHPK3PXP")
    return sign_in(client, person, second_factor=True)


def test_the_editors_dashboard_lists_what_needs_translating(client, action):
    ukrainian = _translate(action, "uk", title="Дія")
    action = _edit(action, title="Działanie poprawione")
    Locale.objects.get_or_create(language_code="en")
    _editor_client(client)

    html = client.get("/admin/").content.decode()

    assert "Tłumaczenia do zrobienia" in html
    assert f"/admin/pages/{ukrainian.pk}/edit/" in html  # outdated: edit it
    assert "Działanie poprawione" in html and "Działanie 1.1.1" in html
    assert "<dt>Tytuł</dt>" in html  # what changed, named as in the editor
    assert f"/admin/translation/submit/page/{action.pk}/" in html  # en missing


def test_the_po_file_goes_out_and_comes_back_through_the_admin(client, action):
    from django.core.files.uploadedfile import SimpleUploadedFile

    ukrainian = _translate(action, "uk")
    _editor_client(client)
    base = f"/admin/translations/{action.pk}/uk/"

    exported = client.get(base + "export/")
    data = exported.content.replace(
        'msgstr "Działanie 1.1.1"'.encode(), 'msgstr "Дія"'.encode(), 1
    )
    response = client.post(
        base + "import/", {"file": SimpleUploadedFile("uk.po", data)}
    )

    assert exported["Content-Disposition"].endswith('-uk.po"')
    assert response.status_code == 302
    ukrainian.refresh_from_db()
    assert ukrainian.get_latest_revision_as_object().title == "Дія"
    refused = client.post(
        base + "import/", {"file": SimpleUploadedFile("uk.po", b"\xff\x00")}
    )
    assert refused.status_code == 200
    assert "To nie jest plik PO" in refused.content.decode()


def _read_then_forget(client, url):
    client.get(url)
    cache.clear()


def test_a_reader_of_an_outdated_translation_gets_a_note_and_the_source(
    client, action, django_assert_max_num_queries
):
    ukrainian = _translate(action, "uk", title="Дія")
    # Each state is read once before it is counted, so that what earlier tests
    # left in the process's caches (content types, say) does not change the
    # difference; the cached response is dropped, so that both are misses.
    _read_then_forget(client, ukrainian.url)
    with django_assert_max_num_queries(99) as before:
        fresh = client.get(ukrainian.url).content.decode()
    fresh_queries = len(before)  # counted now: the next request resets the log
    action = _edit(action, title="Działanie poprawione")

    # An outdated translation also reads its source and the source's revision
    # of the translation's time, to tell a change of text from one of facts:
    # ten queries more on a miss, the cached status included.
    _read_then_forget(client, ukrainian.url)
    with django_assert_max_num_queries(fresh_queries + 10):
        html = client.get(ukrainian.url).content.decode()

    assert "може бути застарілим" not in fresh
    assert "Цей переклад може бути застарілим" in html
    assert (
        f'<a href="{action.url}" lang="pl" hreflang="pl">Działanie poprawione</a>'
    ) in html
    assert "nieaktualne" not in client.get(action.url).content.decode()


def test_an_actions_facts_reach_its_translations_which_stay_up_to_date(client, action):
    from decimal import Decimal

    ukrainian = _translate(action, "uk", title="Дія")
    action = action.get_latest_revision_as_object()
    action.status = "done"
    indicator = action.indicators.all()[0]
    indicator.current_value = Decimal(777)
    action.save_revision().publish()

    ukrainian.refresh_from_db()
    assert ukrainian.status == "done" and ukrainian.title == "Дія"
    assert ukrainian.indicators.all()[0].current_value == Decimal(777)
    assert _status(action, "uk") == UP_TO_DATE
    assert "777" in client.get(ukrainian.url).content.decode()
