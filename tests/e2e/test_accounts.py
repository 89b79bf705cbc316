import re
import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import expect

from home.demo import demo_password
from tests.e2e.helpers import sign_in


def _current_code(secret):
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def _wait_for_next_totp_period():
    """A code is accepted once: the second sign-in needs the next one."""
    time.sleep(30 - time.time() % 30 + 0.5)


def test_expert_signs_in_switches_language_and_signs_out(page):
    sign_in(page, "ekspert@example.org", demo_password())

    expect(page).to_have_url("/pl/workspace/")
    account = page.get_by_role("navigation", name="Konto")
    account.get_by_role("link", name="Piotr Ekspert").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Moje konto")

    page.get_by_role("link", name="Українська").click()
    expect(page).to_have_url("/uk/accounts/profile/")
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.get_by_role("heading", level=1)).to_have_text("Мій обліковий запис")

    page.get_by_role("button", name="Вийти").click()
    expect(page).to_have_url("/uk/")
    expect(page.get_by_role("link", name="Увійти")).to_be_visible()
    page.goto("/uk/accounts/profile/")
    expect(page).to_have_url("/uk/accounts/login/?next=/uk/accounts/profile/")


def _enrolment_code(email_dir, address):
    """The six-digit code of the newest e-mail to ``address`` (home/mfa.py)."""
    for path in sorted(email_dir.iterdir(), reverse=True):
        text = path.read_text(errors="replace")
        if f"To: {address}" in text:
            match = re.search(r"^(\d{6})$", text, re.MULTILINE)
            if match:
                return match.group(1)
    raise AssertionError(f"no code e-mailed to {address}")


def test_editor_sets_up_totp_before_the_admin_opens_then_signs_in_with_a_code(
    page, email_dir
):
    """The password alone enrols no authenticator: a code goes to the
    editor's e-mail first; then the admin opens in a session that used the
    second factor (docs/security.md, AU-04)."""
    sign_in(page, "redakcja@example.org", demo_password())
    page.goto("/admin/")

    expect(page).to_have_url("/pl/accounts/2fa/confirm/?next=%2Fadmin%2F")
    expect(page.get_by_role("status")).to_contain_text(
        "uwierzytelniania dwuskładnikowego"
    )
    code = _enrolment_code(email_dir, "redakcja@example.org")
    page.get_by_label("Kod z wiadomości e-mail").fill(code)
    page.get_by_role("button", name="Potwierdź").click()
    # Changing how one signs in always asks for the password again (AU-07).
    page.get_by_label("Hasło").fill(demo_password())
    page.get_by_role("button", name="Potwierdź").click()
    expect(page).to_have_url("/pl/accounts/2fa/totp/activate/?next=%2Fadmin%2F")
    secret = page.get_by_label("Tajny klucz uwierzytelniający").input_value()
    page.get_by_label("Kod uwierzytelniający").fill(_current_code(secret))
    page.get_by_role("button", name="Aktywuj").click()

    # Set up in this session, but not yet used in it: the admin asks for it.
    page.goto("/admin/")
    expect(page).to_have_url("/pl/accounts/2fa/reauthenticate/?next=%2Fadmin%2F")
    _wait_for_next_totp_period()
    page.get_by_label("Kod").fill(_current_code(secret))
    page.get_by_role("button", name="Potwierdź").click()
    expect(page).to_have_url("/admin/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Platforma")
