"""Writing a draft together in the browser (docs/subsystems/co-editing.md):
two people type into the same paragraph and end with the same text, see
each other's caret and name, one goes offline and keeps typing, the edits
merge; a version saved from the live text compares with the previous one;
the editor has no WCAG violation and works with the keyboard alone."""

import re

import pytest
from playwright.sync_api import expect

from django.contrib.auth import get_user_model

from documents import services
from home.people import person_name
from tests.e2e.helpers import assert_accessible
from workgroups.models import WorkingGroup

EXPERT = "ekspert@example.org"
CHAIR = "przewodniczaca@example.org"
TEXT = "# Diagnoza\n\nPunkty informacyjne są otwarte w dni robocze."


@pytest.fixture
def draft_url(django_db_blocker, request):
    with django_db_blocker.unblock():
        expert = get_user_model().objects.get(email=EXPERT)
        draft = services.draft_create(
            actor=expert,
            group=WorkingGroup.objects.get(slug="rynek-pracy"),
            title=f"Wspólny projekt ({request.node.name[:40]})",
            text=TEXT,
        )
        names = {
            email: person_name(get_user_model().objects.get(email=email))
            for email in (EXPERT, CHAIR)
        }
    return f"/pl/drafts/{draft.pk}/edit/", names


def open_editor(page, url):
    page.goto(url)
    expect(page.locator("#live-editor [role=status]")).to_contain_text("na bieżąco")
    return page.get_by_role("textbox", name="Tekst projektu")


def live_text(page):
    """The text the editor holds (without the others' carets)."""
    return page.locator("#live-editor").evaluate("e => e.liveEditor.editor.getText()")


def assert_same_text(one, other, seconds=10):
    """Both editors end with the same text (the last keystrokes may still
    be on their way for a moment)."""
    for _ in range(seconds * 10):
        if live_text(one) == live_text(other):
            break
        one.wait_for_timeout(100)
    assert live_text(one) == live_text(other)


def type_after(page, editor, anchor, text):
    """Puts the caret right after ``anchor`` in the text and types."""
    editor.get_by_text(anchor, exact=False).first.click()
    page.keyboard.press("End")
    page.keyboard.type(text, delay=20)


def test_two_people_type_into_one_paragraph_and_see_each_other(person, axe, draft_url):
    url, names = draft_url
    expert, chair = person(EXPERT), person(CHAIR)
    expert_text, chair_text = open_editor(expert, url), open_editor(chair, url)
    assert_accessible(axe, expert)

    type_after(expert, expert_text, "dni robocze.", " Ekspert pisze.")
    # The chair starts once the expert's words are on her screen: typing at
    # the very place where remote text is still arriving can split her words
    # around it (y-prosemirror restores the caret per remote update; seen
    # under a load of 10), which is not what this test is about.
    expect(chair_text).to_contain_text("Ekspert pisze.")
    type_after(chair, chair_text, "dni robocze.", " Przewodnicząca też.")

    for page in (expert, chair):
        editor = page.get_by_role("textbox", name="Tekst projektu")
        expect(editor).to_contain_text("Ekspert pisze.")
        expect(editor).to_contain_text("Przewodnicząca też.")
    assert_same_text(expert, chair)
    expect(expert.locator(".collaboration-carets__label")).to_have_text(names[CHAIR])
    expect(chair.locator(".collaboration-carets__label")).to_have_text(names[EXPERT])
    expect(expert.locator("[data-live-announce]")).to_contain_text(names[CHAIR])


# Types ``text`` a character every 15 ms into the draft's second block, after
# its first ``offset`` characters (all of them if None), as a keyboard would,
# without waiting: both people type at once.
TYPE_AT_ONCE = """([text, offset]) => {
  const editor = document.querySelector("#live-editor").liveEditor.editor;
  let at = 0;
  editor.state.doc.forEach((node, start, index) => {
    if (index === 1) at = start + 1 + (offset ?? node.content.size);
  });
  editor.commands.setTextSelection(at);
  window.typed = new Promise((done) => {
    let i = 0;
    const next = () => {
      if (i === text.length) return done();
      editor.view.dispatch(editor.state.tr.insertText(text[i++]));
      setTimeout(next, 15);
    };
    next();
  });
}"""


def test_two_people_typing_at_once_in_one_paragraph_keep_their_words_whole(
    person, draft_url
):
    """The chair's caret stays after her own words while the expert's arrive
    earlier in the same paragraph (@tiptap/y-tiptap 3.0.9 moved it back by
    what arrived, splitting her words: the bundle uses y-prosemirror)."""
    url, _names = draft_url
    expert, chair = person(EXPERT), person(CHAIR)
    open_editor(expert, url), open_editor(chair, url)

    expert.evaluate(TYPE_AT_ONCE, [" (także w soboty)", len("Punkty informacyjne")])
    chair.evaluate(TYPE_AT_ONCE, [" Przewodnicząca dopisuje zdanie.", None])
    expert.evaluate("window.typed")
    chair.evaluate("window.typed")

    assert_same_text(expert, chair)
    assert live_text(expert).endswith(
        "Punkty informacyjne (także w soboty) są otwarte w dni robocze."
        " Przewodnicząca dopisuje zdanie."
    )


def test_offline_typing_merges_on_reconnecting(person, draft_url):
    url, _names = draft_url
    expert, chair = person(EXPERT), person(CHAIR)
    expert_text, chair_text = open_editor(expert, url), open_editor(chair, url)

    expert.context.set_offline(True)
    expect(expert.locator("#live-editor [role=status]")).to_contain_text("Brak")
    type_after(expert, expert_text, "dni robocze.", " Napisane bez sieci.")
    type_after(chair, chair_text, "Diagnoza", " i wnioski")
    expert.context.set_offline(False)

    for editor in (expert_text, chair_text):
        expect(editor).to_contain_text("Napisane bez sieci.")
        expect(editor).to_contain_text("Diagnoza i wnioski")
    assert_same_text(expert, chair)


def test_a_version_saved_from_the_live_text_compares_with_the_previous(page, draft_url):
    from home.demo import demo_password
    from tests.e2e.helpers import sign_in

    url, _names = draft_url
    sign_in(page, EXPERT, demo_password())
    editor = open_editor(page, url)
    type_after(page, editor, "dni robocze.", " Także w soboty.")

    page.get_by_label("Co się zmieniło").fill("Soboty")
    page.get_by_role("button", name="Zapisz jako nową wersję").click()

    expect(page.get_by_role("status")).to_contain_text("Zapisano jako nową wersję")
    page.get_by_role("link", name="wszystkie wersje").click()
    page.get_by_role("button", name="Porównaj").click()
    expect(page.locator("ins")).to_contain_text("soboty")


def test_the_editor_works_with_the_keyboard_alone(page, draft_url):
    from home.demo import demo_password
    from tests.e2e.helpers import sign_in

    url, _names = draft_url
    sign_in(page, EXPERT, demo_password())
    editor = open_editor(page, url)
    editor.focus()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.press("Alt+F10")
    toolbar = page.get_by_role("toolbar", name="Formatowanie")
    expect(toolbar.get_by_role("button", name="Akapit")).to_be_focused()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(toolbar.get_by_role("button", name="Pogrubienie")).to_be_focused()
    page.keyboard.press("Enter")
    expect(editor).to_be_focused()  # the button gives the text back its caret
    page.keyboard.type("Ważne")

    expect(toolbar.get_by_role("button", name="Pogrubienie")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(editor.locator("strong")).to_have_text("Ważne")
    page.keyboard.press("Control+Alt+2")
    expect(editor.get_by_role("heading", name=re.compile("Ważne"))).to_be_visible()
