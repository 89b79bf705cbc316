"""The main flows with the keyboard only (Tab, Enter, typing): sign in, read
the programme down to an action, post a message in the discussion room. The
focused element is always visibly marked. (Commenting on a paragraph from
the keyboard: tests/e2e/test_drafts.py.)"""

import pytest
from playwright.sync_api import expect

from home.demo import demo_password
from tests.e2e.helpers import sign_in
from workgroups.demo.discussion import TOPIC
from workgroups.models import Topic

FOCUSED = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    return {
        tag: element.tagName.toLowerCase(),
        name: element.getAttribute("name") || "",
        text: (element.innerText || element.value || "").trim(),
        visible: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
            || style.boxShadow !== "none",
    };
}"""


def tab_to(page, matches, *, limit=120):
    """Presses Tab until ``matches(focused)`` holds; every element on the way
    shows where the focus is."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["tag"] != "body":
            assert focused["visible"], f"focus not visible on {focused}"
        if matches(focused):
            return focused
    raise AssertionError("never reached by Tab")


def follow(page):
    """Enter on a link or a submit button, and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_sign_in_with_the_keyboard(page):
    page.goto("/pl/accounts/login/")

    tab_to(page, lambda f: f["name"] == "login")
    page.keyboard.type("ekspert@example.org")
    tab_to(page, lambda f: f["name"] == "password")
    page.keyboard.type(demo_password())
    follow(page)

    expect(page).to_have_url("/pl/workspace/")


def test_read_the_programme_down_to_an_action_with_the_keyboard(page):
    page.goto("/pl/")

    tab_to(
        page, lambda f: f["tag"] == "a" and f["text"].startswith("Przeczytaj program")
    )
    page.keyboard.press("Enter")
    expect(page).to_have_url("/pl/program/")
    tab_to(page, lambda f: f["tag"] == "a" and f["text"].startswith("3. Mieszkanie"))
    follow(page)
    tab_to(page, lambda f: f["tag"] == "a" and f["text"].startswith("3.1.1."))
    follow(page)

    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Informacja o wynajmie mieszkania"
    )


@pytest.fixture
def topic_path(demo_site, django_db_blocker):
    with django_db_blocker.unblock():
        topic = Topic.objects.select_related("room").get(title=TOPIC)
    return f"/pl/discussion/{topic.room.group_id}/topics/{topic.pk}/"


def test_post_a_message_with_the_keyboard(page, topic_path):
    sign_in(page, "ekspert@example.org", demo_password())
    page.goto(topic_path)
    expect(page.locator("[data-status][data-state=live]")).to_be_visible()

    tab_to(page, lambda f: f["name"] == "body")
    page.keyboard.type("Napisane samą klawiaturą")
    tab_to(page, lambda f: f["tag"] == "button")
    page.keyboard.press("Enter")

    expect(
        page.locator("[data-messages] li", has_text="Napisane samą klawiaturą")
    ).to_have_count(1)
