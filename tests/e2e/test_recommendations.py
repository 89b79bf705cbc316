"""The whole way of a document, in the browser: an expert writes a draft,
another member comments on a paragraph, the expert revises it, the group
approves it in a meeting, the editor publishes it in the Wagtail admin, and an
anonymous reader finds it under its action and in search."""

import re
import time

from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from playwright.sync_api import expect

from django.contrib.auth.models import Group

from documents.models import Draft
from tests.documents.helpers import decision_in_approved_minutes
from tests.e2e.helpers import assert_accessible, sign_in
from tests.factories import UserFactory
from workgroups.models import WorkingGroup

EXPERT = "ekspert@example.org"
CHAIR = "przewodniczaca@example.org"
TITLE = "Rekomendacja: tłumacze przysięgli w punktach (test przeglądarki)"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105
EDITOR_PASSWORD = "haslo redakcji w tescie 2026"  # noqa: S105


def _editor_with_totp():
    """An editor of their own: TOTP set up, as the admin requires."""
    user = UserFactory(first_name="Ewa", last_name="Redaktorka")
    user.set_password(EDITOR_PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name="Editors"))
    TOTP.activate(user, SECRET)
    return user


def test_from_draft_to_published_recommendation(person, axe, django_db_blocker):
    with django_db_blocker.unblock():
        group = WorkingGroup.objects.get(slug="rynek-pracy")
        editor = _editor_with_totp()

    expert = person(EXPERT)
    draft_url = _write_draft(expert, group)
    chair = person(CHAIR)
    _comment_on_paragraph_3(chair, draft_url)
    _revise_after_the_comment(expert)
    _approve_and_hand_to_the_editors(chair, group, django_db_blocker)
    assert_accessible(axe, chair)
    _publish_in_the_admin(person(), editor)

    reader = person()
    _find_under_its_action(reader)
    assert_accessible(axe, reader)
    reader.goto("/pl/szukaj/?q=tłumaczy+przysięgłych+dyżury")
    expect(reader.get_by_role("link", name=TITLE)).to_be_visible()


def _write_draft(expert, group):
    """A new draft linked to an action; its URL."""
    expert.goto(f"/pl/drafts/groups/{group.pk}/")
    expert.get_by_label("Tytuł").fill(TITLE)
    expert.get_by_label("Tekst").fill(
        "# Rekomendacja\n\nW punktach informacyjnych brakuje tłumaczy.\n\n"
        "Rekomendujemy dyżury tłumaczy przysięgłych."
    )
    expert.get_by_label("2.2.1. Doradztwo zawodowe dla cudzoziemców").check()
    expert.get_by_role("button", name="Utwórz projekt").click()
    expect(expert.get_by_role("heading", level=1)).to_have_text(TITLE)
    return expert.url


def _comment_on_paragraph_3(chair, draft_url):
    chair.goto(draft_url)
    paragraph = chair.get_by_role("region", name="Akapit 3")
    paragraph.get_by_text("Skomentuj akapit 3").click()
    paragraph.get_by_label("Twój komentarz").fill("Ile dyżurów w tygodniu?")
    paragraph.get_by_role("button", name="Dodaj komentarz").click()
    expect(chair.get_by_role("status")).to_contain_text("Twój komentarz został dodany")


def _revise_after_the_comment(expert):
    """The expert sees the comment and saves version 2."""
    expert.reload()
    expect(expert.locator("#main")).to_contain_text("Ile dyżurów w tygodniu?")
    expert.get_by_role("link", name="Edytuj projekt").click()
    text = expert.get_by_role("textbox", name="Tekst projektu")
    expect(expert.locator("#live-editor [role=status]")).to_contain_text("na bieżąco")
    text.click()
    expert.keyboard.press("Control+End")
    expert.keyboard.type(" Co najmniej dwa dyżury w tygodniu.")
    # The document's text: the comment's markers for screen readers (around
    # the commented paragraph, which the sentence joins) are not part of it.
    expect(text).to_contain_text("Co najmniej dwa dyżury w tygodniu")
    live_text = (
        "() => document.querySelector('#live-editor').liveEditor.editor.getText()"
    )
    expert.wait_for_function(
        f"({live_text})().includes('Co najmniej dwa dyżury w tygodniu.')"
    )
    expert.get_by_role("button", name="Zapisz jako nową wersję").click()
    expect(expert.get_by_role("status")).to_contain_text("Zapisano jako nową wersję")


def _approve_and_hand_to_the_editors(chair, group, django_db_blocker):
    """Team review, a decision in approved minutes naming version 2, then
    handed to the editors."""
    chair.reload()
    chair.get_by_role("button", name="Skieruj do przeglądu zespołu").click()
    expect(chair.get_by_role("status")).to_contain_text("w przeglądzie zespołu")
    with django_db_blocker.unblock():
        draft = Draft.objects.get(title=TITLE)
        decision = decision_in_approved_minutes(
            draft,
            group.memberships.get(user__email=CHAIR).user,
            text="Zespół przyjmuje rekomendację o tłumaczach.",
        )
    chair.reload()
    chair.get_by_label("Decyzja").select_option(str(decision.pk))
    chair.get_by_label("Zatwierdzona wersja").select_option("2")
    chair.get_by_role("button", name="Zapisz zatwierdzenie").click()
    expect(chair.get_by_role("status")).to_contain_text("Zapisano zatwierdzenie")
    chair.get_by_role("button", name="Przekaż redakcji do publikacji").click()
    expect(chair.get_by_role("status")).to_contain_text("przekazany redakcji")


def _publish_in_the_admin(desk, editor):
    """The editor signs in with a TOTP code and accepts the page."""
    sign_in(desk, editor.email, EDITOR_PASSWORD)
    desk.get_by_label("Kod").fill(
        format_hotp_value(hotp_value(SECRET, int(time.time()) // 30))
    )
    desk.get_by_role("button", name="Zaloguj").click()
    desk.goto("/admin/")
    row = desk.locator("tr", has_text=TITLE)
    row.get_by_role("button").last.click()
    desk.get_by_text("Akceptuj", exact=True).click()
    expect(desk.locator("tr", has_text=TITLE)).to_have_count(0)


def _find_under_its_action(reader):
    """From the direction's page to the action to the recommendation, which
    says where it comes from."""
    reader.goto("/pl/program/cel-2/kierunek-2-2/")
    reader.get_by_role("link", name=re.compile("Doradztwo zawodowe dla")).click()
    reader.get_by_role("link", name=TITLE).click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
    provenance = reader.get_by_role("region", name="Skąd pochodzi ta rekomendacja")
    expect(provenance).to_contain_text("Rynek pracy")
    expect(provenance).to_contain_text("Zespół przyjmuje rekomendację o tłumaczach.")
    expect(provenance).to_contain_text("wersja 2")
    expect(reader.locator("#main")).to_contain_text("Co najmniej dwa dyżury")
