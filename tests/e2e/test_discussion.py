"""Live discussion in a real browser: two members in two browser contexts,
a dropped connection that catches up, text that stays text, and accessibility."""

import pytest
from playwright.sync_api import expect

from home.demo import demo_password
from tests.e2e.helpers import assert_accessible, sign_in
from workgroups.demo.discussion import TOPIC
from workgroups.models import Topic

CHAIR = "przewodniczaca@example.org"
EXPERT = "ekspert@example.org"
# Resolves once the page's socket has closed (the page then reconnects).
CLOSE_SOCKET = """() => new Promise(resolve => {
    const socket = window.platformaDiscussion.socket();
    socket.addEventListener("close", resolve);
    socket.close();
})"""


@pytest.fixture
def topic_path(demo_site, django_db_blocker):
    with django_db_blocker.unblock():
        topic = Topic.objects.select_related("room").get(title=TOPIC)
    return f"/pl/discussion/{topic.room.group_id}/topics/{topic.pk}/"


@pytest.fixture
def second_page(browser, live_server_url):
    context = browser.new_context(base_url=live_server_url, locale="pl-PL")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def open_topic(page, email, path):
    sign_in(page, email, demo_password())
    page.goto(path)
    expect(page.locator("[data-status][data-state=live]")).to_be_visible()


def say(page, text):
    page.locator("textarea[name=body]").fill(text)
    page.locator("[data-post-form] button[type=submit]").click()
    expect(
        page.locator("[data-messages] li[data-state=sent]", has_text=text)
        .or_(page.locator("[data-messages] li[data-seq]", has_text=text))
        .first
    ).to_be_visible()


def test_two_members_talk_live_and_a_dropped_connection_catches_up(
    page, second_page, topic_path
):
    dialogs = []
    for each in (page, second_page):
        each.set_default_timeout(15_000)
        each.on("dialog", lambda dialog: (dialogs.append(dialog), dialog.dismiss()))
    open_topic(page, CHAIR, topic_path)
    open_topic(second_page, EXPERT, topic_path)
    messages = second_page.locator("[data-messages]")

    say(page, "Dzień dobry na żywo")
    expect(messages.get_by_text("Dzień dobry na żywo")).to_have_count(1)
    say(second_page, "Odpowiedź eksperta")
    expect(
        page.locator("[data-messages]").get_by_text("Odpowiedź eksperta")
    ).to_be_visible()

    # The expert's network drops: the page says so at once (its socket's
    # frames, offline, would only wait), and three messages are sent meanwhile.
    second_page.context.set_offline(True)
    expect(
        second_page.locator("[data-status][data-state=reconnecting]")
    ).to_be_visible()
    for number in (1, 2, 3):
        say(page, f"Zaległa wiadomość {number}")
    second_page.context.set_offline(False)

    expect(second_page.locator("[data-status][data-state=live]")).to_be_visible(
        timeout=30_000
    )
    for number in (1, 2, 3):
        expect(messages.get_by_text(f"Zaległa wiadomość {number}")).to_have_count(1)
    seqs = messages.locator("li[data-seq]").evaluate_all(
        "items => items.map(item => Number(item.dataset.seq))"
    )
    assert seqs == sorted(seqs) and len(seqs) == len(set(seqs))

    # A socket closed under the page (a server restarting) opens again.
    second_page.evaluate(CLOSE_SOCKET)
    expect(second_page.locator("[data-status][data-state=live]")).to_be_visible()
    say(page, "Po ponownym połączeniu")
    expect(messages.get_by_text("Po ponownym połączeniu")).to_have_count(1)

    # What a member writes is shown as text, live and after a reload.
    payload = '<img src=x onerror="alert(1)"> </script><svg onload=alert(2)> {{7*7}}'
    say(page, payload)
    expect(messages.get_by_text(payload)).to_have_count(1)
    second_page.reload()
    expect(second_page.locator("[data-messages]").get_by_text(payload)).to_have_count(1)
    assert dialogs == []


def test_a_topic_closed_by_the_chair_closes_live_for_the_others(
    page, second_page, topic_path
):
    open_topic(page, CHAIR, topic_path)
    open_topic(second_page, EXPERT, topic_path)
    notice = second_page.locator("#topic-closed")
    expect(notice).to_be_hidden()

    page.get_by_role("button", name="Zamknij wątek").click()
    expect(page.get_by_text("Wątek zamknięty")).to_be_visible()

    expect(notice).to_be_visible()
    expect(second_page.locator("[data-post-form]")).to_be_hidden()
    expect(second_page.locator("[data-announcer]")).to_have_text(notice.inner_text())

    page.get_by_role("button", name="Otwórz wątek ponownie").click()
    expect(notice).to_be_hidden()
    expect(second_page.locator("[data-post-form]")).to_be_visible()
    say(second_page, "Znowu otwarte")


def test_the_topic_page_is_accessible(page, axe, topic_path):
    open_topic(page, EXPERT, topic_path)
    assert_accessible(axe, page)


def test_the_topic_page_works_without_javascript(browser, live_server_url, topic_path):
    context = browser.new_context(
        base_url=live_server_url, locale="pl-PL", java_script_enabled=False
    )
    page = context.new_page()
    try:
        sign_in(page, CHAIR, demo_password())
        page.goto(topic_path)
        page.locator("textarea[name=body]").fill("Bez skryptów")
        page.locator("[data-post-form] button[type=submit]").click()
        expect(
            page.locator("[data-messages]").get_by_text("Bez skryptów")
        ).to_be_visible()
    finally:
        context.close()


def test_a_page_signed_out_elsewhere_stays_signed_out_through_a_network_drop(
    page, topic_path
):
    open_topic(page, EXPERT, topic_path)
    sockets = []
    page.on("websocket", lambda socket: sockets.append(socket.url))

    other_tab = page.context.new_page()
    other_tab.goto("/pl/")
    other_tab.get_by_role("button", name="Wyloguj się").click()
    signed_out = page.locator("[data-status][data-state=signed_out]")
    expect(signed_out).to_be_visible()

    # Back online, the page does not try its socket again.
    page.context.set_offline(True)
    page.context.set_offline(False)
    page.wait_for_timeout(1500)
    expect(signed_out).to_be_visible()
    assert sockets == []
