"""The public's e-mail subscription in a browser, in each language: the
form, the confirmation link from the mail, the unsubscribe page; each page
audited with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from home.models import Subscription
from tests.e2e.helpers import assert_accessible


def _confirmation_link(email_dir, address):
    for path in sorted(email_dir.iterdir()):
        text = path.read_text(errors="replace")
        if f"To: {address}" in text:
            match = re.search(
                r"https?://[^/\s]+(/\w\w/subskrypcja/potwierdz/\S+/)", text
            )
            if match:
                return match.group(1)
    raise AssertionError(f"no confirmation e-mail to {address}")


@pytest.mark.parametrize("language", ["pl", "uk", "en"])
def test_subscribe_confirm_and_unsubscribe(
    page, axe, email_dir, django_db_blocker, language
):
    address = f"czytelnik-{language}@example.org"
    page.goto(f"/{language}/")
    page.locator(".site-footer").get_by_role(
        "link", name=re.compile("e-mail|електронною", re.I)
    ).click()
    expect(page).to_have_url(re.compile(f"/{language}/subskrypcja/$"))
    assert_accessible(axe, page)

    page.locator("#id_email").fill(address)
    page.locator("form.form-grid button[type=submit]").click()
    expect(page.locator(".message--success")).to_be_visible()
    assert_accessible(axe, page)

    page.goto(_confirmation_link(email_dir, address))
    assert_accessible(axe, page)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main [role=status]")).to_be_visible()
    assert_accessible(axe, page)

    with django_db_blocker.unblock():
        subscription = Subscription.objects.get(email=address)
    assert subscription.confirmed_at is not None
    assert subscription.language == language
    page.goto(f"/{language}/subskrypcja/wypisz/{subscription.token}/")
    assert_accessible(axe, page)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main [role=status]")).to_be_visible()
    assert_accessible(axe, page)
    with django_db_blocker.unblock():
        assert not Subscription.objects.filter(email=address).exists()
