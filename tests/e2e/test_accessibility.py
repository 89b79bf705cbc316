import pytest

from tests.e2e.helpers import assert_accessible


@pytest.mark.parametrize("language", ["pl", "uk", "en"])
@pytest.mark.parametrize("path", ["", "accounts/login/", "privacy/"])
def test_page_has_no_wcag_violation(page, axe, language, path):
    page.goto(f"/{language}/{path}")

    assert_accessible(axe, page)


def test_keyboard_user_reaches_main_content_through_the_skip_link(page):
    page.goto("/pl/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Przejdź do treści głównej")
    assert skip_link.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "main"
