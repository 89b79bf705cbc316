import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

from django.contrib.auth import get_user_model
from django.core import mail
from django.template import Context, Template
from django.utils import translation

from home import people
from tests.factories import DEFAULT_PASSWORD, UserFactory, editor
from tests.workgroups.factories import MembershipFactory

pytestmark = pytest.mark.django_db

LOGIN = "/pl/accounts/login/"
WRONG_CREDENTIALS = "Podany adres e-mail i/lub hasło są niepoprawne."


def _login(client, email, password=DEFAULT_PASSWORD, url=LOGIN, **headers):
    return client.post(url, {"login": email, "password": password}, headers=headers)


def _without_csrf(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_sign_in_by_email_leads_to_own_account_page(client, user):
    response = _login(client, user.email)

    assert response.status_code == 302
    assert response["Location"] == "/pl/accounts/profile/"
    page = client.get(response["Location"]).content.decode()
    assert user.get_full_name() in page


def test_email_case_does_not_matter_when_signing_in(client, user):
    response = _login(client, user.email.upper())

    assert response["Location"] == "/pl/accounts/profile/"


def test_unverified_email_cannot_sign_in(client):
    person = UserFactory(verified_email=False)

    response = _login(client, person.email)

    assert response["Location"] == "/pl/accounts/confirm-email/"
    assert client.get("/pl/accounts/profile/").status_code == 302
    assert len(mail.outbox) == 1


def test_unknown_email_and_wrong_password_get_the_same_translated_answer(client, user):
    unknown = _login(client, "nobody@example.org")
    wrong = _login(client, user.email, password="wrong password")

    assert unknown.status_code == wrong.status_code == 200
    assert WRONG_CREDENTIALS in unknown.content.decode()
    assert _without_csrf(unknown.content.decode()) == _without_csrf(
        wrong.content.decode().replace(user.email, "nobody@example.org")
    )


def test_sixth_failed_sign_in_is_refused_as_too_many_attempts(client, user):
    for attempt in range(5):
        response = _login(
            client,
            user.email.swapcase(),
            password=f"wrong {attempt}",
            **{"x-forwarded-for": f"10.0.0.{attempt}"},
        )
        assert WRONG_CREDENTIALS in response.content.decode()

    response = _login(client, user.email)

    assert response.status_code == 200
    assert "Zbyt wiele nieudanych prób logowania" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_next_pointing_to_another_host_is_ignored(client, user):
    response = _login(client, user.email, url=f"{LOGIN}?next=https://evil.example/")

    assert response["Location"] == "/pl/accounts/profile/"


def test_public_sign_up_is_closed(client):
    response = client.post(
        "/pl/accounts/signup/",
        {"email": "new@example.org", "password1": "x" * 16, "password2": "x" * 16},
    )

    assert "Rejestracja zamknięta" in response.content.decode()
    assert not get_user_model().objects.filter(email="new@example.org").exists()


def test_password_reset_answers_alike_for_known_and_unknown_email(client, user):
    known = client.post("/pl/accounts/password/reset/", {"email": user.email})
    unknown = client.post("/pl/accounts/password/reset/", {"email": "no@example.org"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    reset_links = [m for m in mail.outbox if "/password/reset/key/" in m.body]
    assert [m.to for m in reset_links] == [[user.email]]


@pytest.mark.parametrize(
    ("chosen", "page", "written_in"), [("uk", "pl", "uk"), ("", "en", "en")]
)
def test_the_password_reset_mail_is_in_the_owners_language(
    client, user, chosen, page, written_in
):
    """The language the person chose on their account page, whatever page
    they asked from; without a choice, the page's."""
    people.account_profile_update(
        actor=user, user=user, first_name="Olena", last_name="K", language=chosen
    )

    client.post(f"/{page}/accounts/password/reset/", {"email": user.email})

    [message] = [m for m in mail.outbox if "/password/reset/key/" in m.body]
    with translation.override(written_in):
        subject = translation.gettext("Password Reset Email")
    assert subject in message.subject
    link = re.search(r"http://testserver(/\S+)", message.body)[1]
    assert link.startswith(f"/{written_in}/accounts/password/reset/key/")
    assert client.get(link)["Location"].startswith(f"/{written_in}/")  # it works


def test_invalid_reset_link_gets_a_translated_page(client, user):
    response = client.get("/pl/accounts/password/reset/key/1-bad-token/", follow=True)

    assert response.status_code == 200
    assert "Link do resetowania hasła był nieprawidłowy" in response.content.decode()


def test_sign_out_ends_the_session(client, user):
    client.force_login(user)

    client.post("/pl/accounts/logout/")

    assert client.get("/pl/accounts/profile/").status_code == 302


def test_account_page_requires_sign_in(client):
    response = client.get("/uk/accounts/profile/")

    assert response["Location"] == "/uk/accounts/login/?next=/uk/accounts/profile/"


def test_admin_login_form_is_replaced_by_allauth(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/pl/accounts/login/")


def test_private_pages_login_form_is_replaced_by_allauth(client):
    """Wagtail's own front-end login (Django's LoginView) would sign an
    editor in with the password alone, past TOTP and the rate limits."""
    person = editor()
    TOTP.activate(person, "JBSWY3DPEHPK3PXP")

    response = client.post(
        "/pl/_util/login/?next=/admin/",
        {"username": person.email, "password": DEFAULT_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == "/pl/accounts/login/?next=/admin/"
    assert client.get("/admin/").status_code == 302  # still signed out


def test_editor_without_totp_is_sent_to_set_it_up(client):
    client.force_login(editor())

    response = client.get("/admin/")

    # After confirming it is them with a code sent by e-mail (home/mfa.py).
    assert response["Location"] == "/pl/accounts/2fa/confirm/?next=%2Fadmin%2F"


def test_editor_with_totp_enters_the_admin_after_giving_the_code(client):
    person = editor()
    secret = "JBSWY3DPEHPK3PXP"
    TOTP.activate(person, secret)
    _login(client, person.email)
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    client.post("/pl/accounts/2fa/authenticate/", {"code": code})

    assert client.get("/admin/").status_code == 200


def test_member_without_admin_rights_never_enters_the_admin(client, user):
    client.force_login(user)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_signing_in_with_totp_asks_for_the_code(client):
    """…and then lands the editor on the admin dashboard."""
    person = editor()
    secret = "JBSWY3DPEHPK3PXP"
    TOTP.activate(person, secret)
    assert Authenticator.objects.filter(user=person).exists()

    response = _login(client, person.email)
    assert response["Location"] == "/pl/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session

    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = client.post("/pl/accounts/2fa/authenticate/", {"code": code})

    assert response["Location"] == "/admin/"
    assert client.session["_auth_user_id"] == str(person.pk)


def test_signing_in_gives_a_new_session_key(client, user):
    client.get(LOGIN)
    before = client.session.session_key

    _login(client, user.email)

    assert client.session.session_key != before


def test_pages_for_a_signed_in_person_are_never_cached(client, user):
    client.force_login(user)

    response = client.get("/pl/accounts/profile/")

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_changing_email_keeps_the_old_address_until_the_new_one_is_verified(
    client, user
):
    old_email = user.email
    client.force_login(user)

    client.post("/pl/accounts/email/", {"action_add": "", "email": "nowy@example.org"})

    user.refresh_from_db()
    assert user.email == old_email
    assert [m.to for m in mail.outbox] == [["nowy@example.org"]]
    assert not EmailAddress.objects.get(email="nowy@example.org").verified


def test_too_many_reset_requests_for_one_address_get_a_clear_answer(client, user):
    for _ in range(5):
        client.post("/pl/accounts/password/reset/", {"email": user.email})

    response = client.post("/pl/accounts/password/reset/", {"email": user.email})

    assert response.status_code == 429
    assert "Zbyt wiele prób" in response.content.decode()


def test_everyone_edits_their_name_and_preferred_language(client, user):
    client.force_login(user)

    response = client.post(
        "/pl/accounts/profile/",
        {"first_name": " Olena ", "last_name": "Kowal", "language": "uk"},
    )

    user.refresh_from_db()
    assert response["Location"] == "/uk/accounts/profile/"
    assert user.get_full_name() == "Olena Kowal"
    assert people.preferred_language(user) == "uk"
    page = client.get(response["Location"]).text
    assert 'value="Olena"' in page
    assert '<option value="uk" selected>' in page


def test_a_name_cannot_be_emptied_nor_the_language_made_up(client, user):
    client.force_login(user)

    response = client.post(
        "/en/accounts/profile/", {"first_name": "", "last_name": "X", "language": "de"}
    )

    assert response.status_code == 400
    assert "This field is required." in response.text
    assert "Select a valid choice." in response.text
    user.refresh_from_db()
    assert user.first_name == "Maria"


def test_one_name_for_a_person_everywhere_and_former_member_only_once_erased(user):
    nameless = UserFactory(first_name="", last_name="", username="olena")
    render = Template("{% load platforma_tags %}{{ person|person_name }}").render

    assert render(Context({"person": user})) == user.get_full_name()
    assert render(Context({"person": nameless})) == "olena"
    with translation.override("en"):
        assert render(Context({"person": None})) == "former member"


def test_sign_in_lands_a_member_on_the_workspace_in_their_language(client):
    member = MembershipFactory().user
    people.account_profile_update(
        actor=member, user=member, first_name="Olena", last_name="K", language="uk"
    )

    response = _login(client, member.email)

    assert response["Location"] == "/uk/workspace/"


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [("/pl/zespoly/", "/pl/zespoly/"), ("https://evil.example/", "/pl/workspace/")],
)
def test_sign_in_honours_a_safe_next_only(client, next_url, lands_on):
    member = MembershipFactory().user

    response = _login(client, member.email, url=f"{LOGIN}?next={next_url}")

    assert response["Location"] == lands_on
