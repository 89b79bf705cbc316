from playwright.sync_api import expect

from documents.demo import TITLE
from home.demo import demo_password
from tests.e2e.helpers import assert_accessible, sign_in


def test_draft_pages_have_no_wcag_violation(page, axe):
    sign_in(page, "ekspert@example.org", demo_password())
    page.goto("/pl/drafts/groups/1/")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert_accessible(axe, page)

    page.get_by_role("link", name="wszystkie wersje").click()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Porównaj").click()
    expect(page.locator("ins")).to_contain_text("bezpłatnie")
    assert_accessible(axe, page)


def test_member_comments_on_a_paragraph_from_the_keyboard(page):
    sign_in(page, "przewodniczaca@example.org", demo_password())
    page.goto("/pl/drafts/groups/1/")
    page.get_by_role("link", name=TITLE).click()

    paragraph = page.get_by_role("region", name="Akapit 2")
    paragraph.get_by_text("Skomentuj akapit 2").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(paragraph.get_by_label("Twój komentarz")).to_be_focused()
    page.keyboard.type("Dodajmy dane z 2023 r.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Twój komentarz został dodany")
    expect(page.locator("#main")).to_contain_text("Dodajmy dane z 2023 r.")
