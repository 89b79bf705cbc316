"""Suggesting changes in the browser (docs/subsystems/suggestions.md): in
group review an expert can only suggest; the chair sees the suggestions
live with their author and kind, accepts one and rejects the other, and
both end with the same text; an observer can neither suggest nor decide;
the panel works with the keyboard alone; axe-core finds no violation."""

import pytest
from playwright.sync_api import expect

from django.contrib.auth import get_user_model

from documents import services
from documents.models import Draft
from home.demo import demo_password
from home.people import person_name
from tests.e2e.helpers import assert_accessible, sign_in
from workgroups.models import WorkingGroup

EXPERT = "ekspert@example.org"
CHAIR = "przewodniczaca@example.org"
OBSERVER = "obserwatorka@example.org"
TEXT = "Punkty informacyjne są otwarte w dni robocze."


@pytest.fixture
def draft_in_review(django_db_blocker, request):
    """A draft the chair wrote, in group review; the expert's name."""
    with django_db_blocker.unblock():
        chair = get_user_model().objects.get(email=CHAIR)
        draft = services.draft_create(
            actor=chair,
            group=WorkingGroup.objects.get(slug="rynek-pracy"),
            title=f"Propozycje ({request.node.name[:40]})",
            text=TEXT,
        )
        Draft.objects.filter(pk=draft.pk).update(status=Draft.Status.GROUP_REVIEW)
        expert = person_name(get_user_model().objects.get(email=EXPERT))
    return draft.pk, expert


def open_editor(page, draft_id):
    page.goto(f"/pl/drafts/{draft_id}/edit/")
    expect(page.locator("#live-editor [role=status]")).to_contain_text("na bieżąco")
    return page.get_by_role("textbox", name="Tekst projektu")


def live_text(page):
    return page.locator("#live-editor").evaluate("e => e.liveEditor.editor.getText()")


def select_text(page, text):
    """Selects ``text`` in the editor, as a person would with the mouse."""
    page.locator("#live-editor").evaluate(
        """(root, text) => {
            const { editor } = root.liveEditor;
            let found = null;
            editor.state.doc.descendants((node, pos) => {
                const at = node.isText ? node.text.indexOf(text) : -1;
                if (found === null && at >= 0) found = pos + at;
            });
            editor.chain().focus().setTextSelection(
                { from: found, to: found + text.length }).run();
        }""",
        text,
    )


def suggest_insertion_and_deletion(page, editor):
    editor.get_by_text("dni robocze.", exact=False).first.click()
    page.keyboard.press("End")
    page.keyboard.type(" Także w soboty.", delay=20)
    select_text(page, "informacyjne ")
    page.keyboard.press("Delete")


def test_the_chair_accepts_one_suggestion_and_rejects_the_other(
    person, axe, draft_in_review
):
    draft_id, expert_name = draft_in_review
    expert, chair = person(EXPERT), person(CHAIR)
    expert_text, chair_text = (
        open_editor(expert, draft_id),
        open_editor(chair, draft_id),
    )
    expect(expert.get_by_role("button", name="Proponuj zmiany")).to_have_attribute(
        "aria-pressed", "true"
    )

    suggest_insertion_and_deletion(expert, expert_text)

    items = chair.locator("[data-suggestion-list] li")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text(f"{expert_name} proponuje usunąć")
    expect(items.nth(1)).to_contain_text(f"{expert_name} proponuje dodać")
    expect(chair_text.locator("ins.suggestion")).to_have_text(" Także w soboty.")
    expect(chair_text.locator("del.suggestion")).to_have_text("informacyjne ")
    assert_accessible(axe, chair)
    # The expert may not decide: no buttons.
    expect(expert.get_by_role("button", name="Przyjmij")).to_have_count(0)

    items.nth(1).get_by_role("button", name="Przyjmij").click()
    expect(items).to_have_count(1)
    items.nth(0).get_by_role("button", name="Odrzuć").click()
    expect(items).to_have_count(0)

    final = "Punkty informacyjne są otwarte w dni robocze. Także w soboty."
    for page in (expert, chair):
        page.wait_for_function(
            "text => document.getElementById('live-editor')"
            ".liveEditor.editor.getText() === text",
            arg=final,
        )
    assert live_text(expert) == live_text(chair) == final
    expect(expert.locator("[data-suggestion-list] li")).to_have_count(0)


def test_an_observer_can_neither_suggest_nor_decide(person, draft_in_review):
    draft_id, _expert_name = draft_in_review
    expert = person(EXPERT)
    suggest_insertion_and_deletion(expert, open_editor(expert, draft_id))
    expect(expert.locator("[data-suggestion-list] li")).to_have_count(2)

    observer = person()  # her interface is Ukrainian: she lands on /uk/
    sign_in(observer, OBSERVER, demo_password())
    observer.goto(f"/pl/drafts/{draft_id}/")
    text = observer.get_by_role("textbox", name="Tekst projektu")
    expect(text.locator("ins.suggestion")).to_have_text(" Także w soboty.")
    expect(text).to_have_attribute("contenteditable", "false")
    expect(observer.get_by_role("button", name="Przyjmij")).to_have_count(0)
    expect(observer.get_by_role("button", name="Proponuj zmiany")).to_have_count(0)
    observer.goto(f"/pl/drafts/{draft_id}/edit/")
    assert observer.locator("h1").inner_text() != ""  # refused, not a 500
    expect(observer.locator("[data-suggestions]")).to_have_count(0)


def test_the_chair_reviews_suggestions_with_the_keyboard_alone(person, draft_in_review):
    draft_id, expert_name = draft_in_review
    expert, chair = person(EXPERT), person(CHAIR)
    suggest_insertion_and_deletion(expert, open_editor(expert, draft_id))
    chair_text = open_editor(chair, draft_id)
    expect(chair.locator("[data-suggestion-list] li")).to_have_count(2)

    chair_text.focus()
    chair.keyboard.press("Alt+Shift+N")
    announce = chair.locator("[data-live-announce]")
    expect(announce).to_contain_text(
        f"Propozycja 1 z 2: {expert_name} proponuje usunąć"
    )
    chair.keyboard.press("Alt+Shift+N")
    expect(announce).to_contain_text(f"Propozycja 2 z 2: {expert_name} proponuje dodać")

    next_button = chair.get_by_role("button", name="Następna propozycja")
    next_button.focus()
    chair.keyboard.press("Enter")  # back to the first: the deletion
    expect(announce).to_contain_text("Propozycja 1 z 2")
    accept = chair.get_by_role(
        "button", name=f"Przyjmij propozycję: {expert_name}"
    ).first
    accept.focus()
    chair.keyboard.press("Enter")
    expect(chair.locator("[data-suggestion-list] li")).to_have_count(1)
    expect(chair_text).not_to_contain_text("informacyjne")
