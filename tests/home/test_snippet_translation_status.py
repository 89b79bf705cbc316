"""Translation status of translatable snippets (issue 16): info points keep
revisions, so editing a Polish point marks its translations outdated, with
what changed; saving the translation again clears it; the dashboard lists
them; their PO files go out and come back."""

import importlib

import pytest

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.models import Locale, Revision

from home import translation_po, translations
from home.models import InfoPoint
from home.translations import MISSING, OUTDATED, UP_TO_DATE
from tests.factories import UserFactory, editor, sign_in

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("home.migrations.0009_info_point_revisions")


@pytest.fixture
def point():
    Locale.objects.get_or_create(language_code="pl")
    return InfoPoint.objects.create(
        locale=Locale.get_default(),
        name="Punkt informacyjny w Krakowie",
        city="Kraków",
        opening_hours="pon.–pt. 9–17",
    )


def _translate(point, code, **fields):
    locale, _ = Locale.objects.get_or_create(language_code=code)
    translation = point.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save()  # as simple_translation's "Translate" does
    return translation


def _edit(point, **fields):
    """As the admin's edit view does: the point saved, then a revision."""
    for name, value in fields.items():
        setattr(point, name, value)
    point.save()
    point.save_revision()
    return point


def _status(point, code):
    for entry in translations.snippets_to_translate():
        if entry.source.pk == point.pk and entry.locale.language_code == code:
            return entry
    return None


def _editor_client(client):
    from allauth.mfa.totp.internal.auth import TOTP

    person = editor()
    TOTP.activate(person, "JBSWY3DPEHPK3PXP")
    return sign_in(client, person, second_factor=True)


def test_a_point_and_its_translation_get_a_revision_when_made(point):
    ukrainian = _translate(point, "uk", name="Інформаційний пункт у Кракові")

    assert point.revisions.count() == 1 and ukrainian.revisions.count() == 1
    assert ukrainian.latest_revision.content["name"] == ukrainian.name


def test_a_point_without_translation_is_missing(point):
    Locale.objects.get_or_create(language_code="uk")

    assert _status(point, "uk").status == MISSING


def test_editing_the_polish_point_marks_its_translation_outdated_with_what_changed(
    point,
):
    ukrainian = _translate(point, "uk", name="Інформаційний пункт у Кракові")
    assert _status(point, "uk") is None

    _edit(point, opening_hours="pon.–pt. 8–16")

    entry = _status(point, "uk")
    assert entry.status == OUTDATED and entry.translation.pk == ukrainian.pk
    assert entry.changes == [("Godziny otwarcia", "pon.–pt. 9–17", "pon.–pt. 8–16")]


def test_a_change_outside_the_translated_text_needs_no_translator(point):
    ukrainian = _translate(point, "uk")

    _edit(point, phone="+48 12 000 00 00")

    assert translations.snippet_status(point, ukrainian) == OUTDATED
    assert _status(point, "uk") is None  # nothing to translate changed


def test_saving_the_translation_again_clears_outdated(point):
    ukrainian = _translate(point, "uk")
    _edit(point, opening_hours="pon.–pt. 8–16")

    _edit(ukrainian, opening_hours="пн–пт 8–16")

    assert _status(point, "uk") is None
    assert translations.snippet_status(point, ukrainian) == UP_TO_DATE


def test_an_edit_in_the_admin_shows_on_the_editors_dashboard(client, point):
    ukrainian = _translate(point, "uk", name="Інформаційний пункт у Кракові")
    Locale.objects.get_or_create(language_code="en")
    _editor_client(client)
    form = {
        field: getattr(point, field) or ""
        for field in ("name", "kind", "city", "address", "phone", "email")
    }
    form.update(
        opening_hours="pon.–pt. 8–16",
        languages_served="",
        accessibility="",
        sort_order=0,
    )

    saved = client.post(f"/admin/snippets/home/infopoint/edit/{point.pk}/", form)
    html = client.get("/admin/").content.decode()

    assert saved.status_code == 302
    assert point.revisions.count() == 2
    assert f"/admin/snippets/home/infopoint/edit/{ukrainian.pk}/" in html
    assert "pon.–pt. 9–17" in html and "pon.–pt. 8–16" in html
    assert f"/admin/translations/info-points/{point.pk}/uk/export/" in html
    # English is missing: the panel offers to translate it.
    assert f"/admin/translation/submit/snippet/home/infopoint/{point.pk}/" in html


def test_the_dashboard_panel_reads_the_points_in_a_fixed_number_of_queries(
    point, django_assert_max_num_queries
):
    for number in range(5):
        other = InfoPoint.objects.create(
            locale=point.locale, name=f"Punkt {number}", opening_hours="9–17"
        )
        _translate(other, "uk")
        _translate(other, "en")
    for number in range(5):
        other = InfoPoint.objects.create(locale=point.locale, name=f"Punkt {number}")
        _translate(other, "uk")
        _translate(other, "en")
    _translate(point, "uk")
    _translate(point, "en")
    with django_assert_max_num_queries(4):
        assert translations.snippets_to_translate() == []


def test_the_po_file_of_a_point_goes_out_and_comes_back(client, point):
    ukrainian = _translate(point, "uk")
    _editor_client(client)
    base = f"/admin/translations/info-points/{point.pk}/uk/"

    exported = client.get(base + "export/")
    data = exported.content.replace(
        b'msgstr "Punkt informacyjny w Krakowie"',
        'msgstr "Інформаційний пункт у Кракові"'.encode(),
        1,
    )
    response = client.post(
        base + "import/", {"file": SimpleUploadedFile("uk.po", data)}
    )

    assert exported["Content-Disposition"].endswith('-uk.po"')
    assert response.status_code == 302
    ukrainian.refresh_from_db()
    assert ukrainian.name == "Інформаційний пункт у Кракові"  # no drafts: saved
    assert ukrainian.revisions.count() == 2
    assert translation_po.segments(ukrainian).keys() == (
        translation_po.segments(point).keys()
    )
    refused = client.post(
        base + "import/", {"file": SimpleUploadedFile("uk.po", b"\xff\x00")}
    )
    assert "To nie jest plik PO" in refused.content.decode()


def test_only_translators_who_may_edit_points_get_their_po_files(client, point):
    _translate(point, "uk")
    sign_in(client, UserFactory())
    url = f"/admin/translations/info-points/{point.pk}/uk/export/"

    assert client.get(url).status_code in (302, 403)
    _editor_client(client)
    assert client.get(url).status_code == 200
    # A translation is not a source, and a language without one is not found.
    ukrainian = point.get_translation(Locale.objects.get(language_code="uk"))
    Locale.objects.get_or_create(language_code="en")
    for other in (
        url.replace(f"/{point.pk}/", f"/{ukrainian.pk}/"),
        url.replace("/uk/", "/en/"),
    ):
        assert client.get(other, follow=True).status_code == 404


def test_the_migration_gives_existing_points_their_first_revision(point):
    ukrainian = _translate(point, "uk", name="Інформаційний пункт у Кракові")
    Revision.objects.all().delete()
    InfoPoint.objects.update(latest_revision=None)

    MIGRATION.first_revisions(apps, None)

    for row in (point, ukrainian):
        row.refresh_from_db()
        assert row.latest_revision.content["name"] == row.name
        assert row.revisions.count() == 1
    assert _status(point, "uk") is None  # the baseline: up to date


def test_a_po_file_with_a_name_too_long_or_a_nul_changes_no_point(point):
    ukrainian = _translate(point, "uk")
    exported = translation_po.export_po(point, ukrainian)
    name = 'msgstr "Punkt informacyjny w Krakowie"'

    for hostile in ("Пункт\x00", "П" * 300):
        data = exported.replace(name.encode(), f'msgstr "{hostile}"'.encode(), 1)
        assert data != exported
        with pytest.raises(ValidationError):
            translation_po.import_po(translation=ukrainian, data=data, user=editor())

    ukrainian.refresh_from_db()
    assert ukrainian.name == point.name and ukrainian.revisions.count() == 1
