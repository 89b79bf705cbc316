"""Comments on any text in the live editor
(docs/subsystems/drafts-and-review.md#comments-on-any-text), in two
browsers: a comment on a phrase follows the phrase while someone else types
before it, and says "text removed" once they delete it, live and after a
reload (the server's own reading of the anchors); the editor with comments
has no WCAG violation."""

import pytest
from playwright.sync_api import expect

from django.contrib.auth import get_user_model

from documents import services
from tests.e2e.helpers import assert_accessible
from tests.e2e.test_coediting import open_editor
from workgroups.models import WorkingGroup

EXPERT = "ekspert@example.org"
CHAIR = "przewodniczaca@example.org"
PHRASE = "otwarte w dni robocze"
TEXT = f"Punkty informacyjne są {PHRASE}, także latem."


@pytest.fixture
def edit_url(django_db_blocker, request):
    with django_db_blocker.unblock():
        draft = services.draft_create(
            actor=get_user_model().objects.get(email=EXPERT),
            group=WorkingGroup.objects.get(slug="rynek-pracy"),
            title=f"Komentarze do fragmentów ({request.node.name[:40]})",
            text=TEXT,
        )
    return f"/pl/drafts/{draft.pk}/edit/"


def select(page, phrase):
    """Selects ``phrase`` in the editor, as a mouse or Shift+arrows would."""
    page.wait_for_function(
        "phrase => document.getElementById('live-editor').liveEditor"
        ".editor.getText().includes(phrase)",
        arg=phrase,
    )
    page.locator("#live-editor").evaluate(
        """(root, phrase) => {
            const { editor } = root.liveEditor;
            let from = null;
            editor.state.doc.descendants((node, pos) => {
                const index = node.isText ? node.text.indexOf(phrase) : -1;
                if (from === null && index >= 0) from = pos + index;
            });
            editor.chain().focus().setTextSelection(
                { from, to: from + phrase.length }).run();
        }""",
        phrase,
    )
    expect(page.locator("#live-editor [role=textbox]")).to_be_focused()


def comment_on(page, phrase, text):
    select(page, phrase)
    page.keyboard.press("Control+Alt+KeyM")
    form = page.locator("[data-range-form]")
    expect(form.locator("[data-range-quote]")).to_have_text(phrase)
    form.get_by_role("textbox").fill(text)
    form.locator("button[type=submit]").click()
    expect(form).to_be_hidden()


def test_a_comment_follows_its_phrase_and_outlives_it(person, axe, edit_url):
    expert, chair = person(EXPERT), person(CHAIR)
    open_editor(expert, edit_url)
    open_editor(chair, edit_url)

    comment_on(expert, PHRASE, "Czy w soboty też?")

    highlight = expert.locator("#live-editor .range-comment")
    expect(highlight).to_have_text(PHRASE)
    thread = expert.locator("[data-range-list] [data-thread]")
    expect(thread).to_contain_text("Czy w soboty też?")
    expect(thread.locator("[data-range-removed]")).to_be_hidden()
    assert_accessible(axe, expert)

    chair.locator("#live-editor").evaluate(
        "root => root.liveEditor.editor.chain().focus().setTextSelection(1).run()"
    )
    expect(chair.locator("#live-editor [role=textbox]")).to_be_focused()
    chair.keyboard.type("Od dziś: ", delay=20)
    # Until the last keystroke (the space) has arrived too.
    expert.wait_for_function(
        "() => document.querySelector('#live-editor').liveEditor.editor"
        ".getText().startsWith('Od dziś: Punkty')"
    )
    expect(highlight).to_have_text(PHRASE)

    select(chair, PHRASE)
    chair.keyboard.press("Delete")
    expect(highlight).to_have_count(0)
    expect(thread.locator("[data-range-removed]")).to_be_visible()
    expect(thread.locator(".thread__quote")).to_contain_text(PHRASE)

    expert.reload()
    expect(expert.locator("#live-editor [role=status]")).to_contain_text("na bieżąco")
    expect(thread.locator("[data-range-removed]")).to_be_visible()
    expect(highlight).to_have_count(0)


def test_comments_are_reached_from_the_keyboard(person, edit_url):
    expert = person(EXPERT)
    open_editor(expert, edit_url)
    comment_on(expert, "także latem", "Latem krócej.")
    comment_on(expert, "Punkty informacyjne", "Które?")

    select(expert, "są")
    expert.keyboard.press("Alt+PageDown")
    announce = expert.locator("[data-range-announce]")
    expect(announce).to_contain_text("także latem")
    expert.keyboard.press("Alt+PageDown")
    expect(announce).to_contain_text("Punkty informacyjne")
