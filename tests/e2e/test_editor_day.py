"""An editor's working day in the Polish admin (issue 16): sign in with
TOTP, preview a recommendation in the panel, approve and publish it,
translate it into Ukrainian and English and publish both, change an action's
status and an indicator, upload a document and link it from the programme's
downloads; the public pages in the three languages show each result and the
language switcher links the translations."""

import time

from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from playwright.sync_api import expect

from django.contrib.auth.models import Group
from django.utils import translation

from wagtail.documents.models import Document
from wagtail.models import Locale

from documents import review, services
from documents.models import Draft, RecommendationPage
from home.models import ActionPage, ActionStatus
from tests.documents.helpers import approved_by_group
from tests.e2e.helpers import assert_accessible, sign_in
from tests.factories import UserFactory
from workgroups.models import WorkingGroup

CHAIR = "przewodniczaca@example.org"
TITLE = "Rekomendacja: dzień redakcji (test przeglądarki)"
TITLES = {"uk": "Рекомендація: день редакції", "en": "Recommendation: a desk day"}
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105
PASSWORD = "haslo redaktorki w tescie 2026"  # noqa: S105
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# The uploaded report's title in each language's programme downloads.
REPORT = {
    "pl": "Sprawozdanie redakcji",
    "uk": "Звіт редакції",
    "en": "Editorial report",
}


def _world():
    """An editor with TOTP, and a recommendation waiting for the editors."""
    editor = UserFactory(first_name="Ola", last_name="Redaktorka")
    editor.set_password(PASSWORD)
    editor.save()
    editor.groups.add(Group.objects.get(name="Editors"))
    TOTP.activate(editor, SECRET)
    group = WorkingGroup.objects.get(slug="rynek-pracy")
    chair = group.memberships.get(user__email=CHAIR).user
    draft = services.draft_create(
        actor=chair,
        group=group,
        title=TITLE,
        text="# Rekomendacja\n\nDyżury redakcji w punktach informacyjnych.",
        actions=ActionPage.objects.filter(number="2.2.1", locale__language_code="pl"),
    )
    approved_by_group(draft, chair)
    page = review.send_to_editors(actor=chair, draft_id=draft.pk)
    return editor, page.pk


def _sign_in_with_totp(desk, editor):
    sign_in(desk, editor.email, PASSWORD)
    desk.get_by_label("Kod").fill(
        format_hotp_value(hotp_value(SECRET, int(time.time()) // 30))
    )
    desk.get_by_role("button", name="Zaloguj").click()
    desk.goto("/admin/")
    expect(desk.get_by_role("heading", name="Tłumaczenia do zrobienia")).to_be_visible()


def _publish(desk):
    desk.locator("footer .w-dropdown-button").get_by_role(
        "button", name="Więcej akcji"
    ).click()
    desk.locator('button[name="action-publish"]').click()


def _review_and_approve(desk, page_id):
    desk.goto(f"/admin/pages/{page_id}/edit/")
    desk.locator('[data-side-panel-toggle="preview"]').click()
    preview = desk.frame_locator("#w-preview-iframe")
    expect(preview.locator("h1")).to_have_text(TITLE, timeout=15_000)
    desk.locator('button[data-workflow-action-name="approve"]').first.click()
    expect(desk.locator(".messages")).to_contain_text(
        f"Zatwierdzono: rekomendacja „{TITLE}” jest opublikowana"
    )


def _translate(desk, page_id, translations_of):
    desk.goto(f"/admin/translation/submit/page/{page_id}/")
    for language in ("Українська", "English"):
        desk.get_by_label(language, exact=True).check()
    desk.locator("form").get_by_role("button").last.click()
    expect(desk.locator(".messages")).to_be_visible()
    for code, translation_id in translations_of(page_id).items():
        desk.goto(f"/admin/pages/{translation_id}/edit/")
        desk.locator("#id_title").fill(TITLES[code])
        _publish(desk)
        expect(desk.locator(".messages")).to_contain_text(TITLES[code])


def _change_action(desk, action_id):
    desk.goto(f"/admin/pages/{action_id}/edit/")
    desk.locator('select[name="status"]').select_option("done")
    desk.locator('input[name="indicators-0-current_value"]').fill("777")
    _publish(desk)
    expect(desk.locator(".messages")).to_be_visible()


def _upload_document(desk):
    desk.goto("/admin/documents/multiple/add/")
    desk.locator('input[type="file"]').set_input_files(
        {
            "name": "sprawozdanie-redakcji.pdf",
            "mimeType": "application/pdf",
            "buffer": PDF,
        }
    )
    expect(desk.locator("#upload-list")).to_contain_text("sprawozdanie-redakcji")


def _link_document(desk, programme_id, title):
    """The uploaded file into one language's programme downloads: each
    language's programme is a page of its own, with the title in its
    language (docs/editors.md)."""
    desk.goto(f"/admin/pages/{programme_id}/edit/")
    downloads = desk.locator('[data-contentpath="downloads"]')
    downloads.locator("button.c-sf-add-button").last.click()
    downloads.get_by_role("button", name="Wybierz dokument").click()
    desk.locator("a[data-chooser-modal-choice]", has_text="sprawozdanie").click()
    downloads.locator('input[name$="-value-title"]').last.fill(title)
    _publish(desk)
    expect(desk.locator(".messages")).to_be_visible()


def _in_each_language(page):
    for code in ("pl", "uk", "en"):
        yield code, page.get_translation(Locale.objects.get(language_code=code))


def _pages_in_each_language(programme, action):
    """``{code: (programme URL, action URL)}``."""
    actions = dict(_in_each_language(action))
    return {
        code: (translated.url, actions[code].url)
        for code, translated in _in_each_language(programme)
    }


def _reader_sees_each_language(reader, pages, document_url):
    """Each language's programme links the report from its downloads and its
    switcher links the other languages' programme; each action shows the
    new status and indicator, in its language."""
    for code, (programme_url, action_url) in pages.items():
        with translation.override(code):
            status = str(ActionStatus("done").label)
        reader.goto(programme_url)
        link = reader.get_by_role("link", name=REPORT[code], exact=True)
        expect(link).to_have_attribute("href", document_url)
        for other, (other_url, _action) in pages.items():
            if other != code:
                expect(
                    reader.locator(f'a[hreflang="{other}"]').first
                ).to_have_attribute("href", other_url)
        reader.goto(action_url)
        expect(reader.locator("#main")).to_contain_text(status)
        expect(reader.locator("#main")).to_contain_text("777")


def test_an_editors_day_in_the_polish_admin(person, axe, django_db_blocker):
    with django_db_blocker.unblock():
        editor, page_id = _world()
        action = ActionPage.objects.get(number="2.2.1", locale__language_code="pl")
        programme = action.get_parent().get_parent().get_parent()
        programmes = {code: page.pk for code, page in _in_each_language(programme)}

    def translations_of(source_id):
        with django_db_blocker.unblock():
            source = RecommendationPage.objects.get(pk=source_id)
            return {
                t.locale.language_code: t.pk
                for t in source.get_translations().select_related("locale")
            }

    desk = person()
    _sign_in_with_totp(desk, editor)
    assert_accessible(axe, desk)
    _review_and_approve(desk, page_id)
    _translate(desk, page_id, translations_of)
    _change_action(desk, action.pk)
    _upload_document(desk)
    for code, translated_id in programmes.items():
        _link_document(desk, translated_id, REPORT[code])

    with django_db_blocker.unblock():
        recommendation = RecommendationPage.objects.get(pk=page_id)
        action.refresh_from_db()
        status = action.get_status_display()
        draft = Draft.objects.get(title=TITLE)
        assert draft.status == Draft.Status.PUBLISHED and action.status == "done"
    reader = person()
    reader.goto(recommendation.url)
    expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
    for code, title in TITLES.items():
        switch = reader.locator(f'a[hreflang="{code}"]').first
        switch.click()
        expect(reader.get_by_role("heading", level=1)).to_have_text(title)
        assert_accessible(axe, reader)
        reader.goto(recommendation.url)
    reader.goto(action.url)
    expect(reader.locator("#main")).to_contain_text("777")
    expect(reader.locator("#main")).to_contain_text(status)
    expect(reader.locator("#main")).to_contain_text(TITLE)
    for code in TITLES:
        reader.goto(action.url)
        reader.locator(f'a[hreflang="{code}"]').first.click()
        expect(reader.locator("#main")).to_contain_text(TITLES[code])
        expect(reader.locator("#main")).to_contain_text("777")  # the same facts
    with django_db_blocker.unblock():
        pages = _pages_in_each_language(programme, action)
        document_url = Document.objects.get(title__startswith="sprawozdanie").url
    _reader_sees_each_language(reader, pages, document_url)
