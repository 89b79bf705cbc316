"""The second factor where a password alone must not reach (docs/security.md,
AU-04): the admin, group work of groups that require it, acting on someone
else's account; and no enrolment of an authenticator with a password alone
for accounts that must have one."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from django.core import mail
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD, UserFactory, editor, sign_in
from tests.workgroups.factories import MembershipFactory
from workgroups import access

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXP"
ENROL = "/pl/accounts/2fa/confirm/"


def _code_from_mail():
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def test_an_editor_without_a_second_factor_cannot_enrol_with_the_password_alone(
    client,
):
    person = editor()
    sign_in(client, person)

    to_admin = client.get("/admin/")
    to_activation = client.get(reverse("mfa_activate_totp"))

    assert to_admin.status_code == 302
    assert to_admin["Location"].startswith(ENROL)
    assert to_activation["Location"].startswith(ENROL)


def test_the_enrolment_code_goes_to_the_verified_address_and_is_checked(client):
    person = editor()
    sign_in(client, person)

    page = client.get(ENROL, {"next": "/admin/"})
    assert page.status_code == 200
    assert mail.outbox[-1].to == [person.email]
    code = _code_from_mail()
    wrong = "000000" if code != "000000" else "111111"
    refused = client.post(ENROL, {"code": wrong, "next": "/admin/"})
    accepted = client.post(ENROL, {"code": code, "next": "/admin/"})

    assert refused.status_code == 400
    assert code not in refused.content.decode()
    assert accepted.status_code == 302
    assert accepted["Location"].startswith(reverse("mfa_activate_totp"))
    # Confirmed: the set-up itself is allauth's (which asks for the password).
    activation = client.get(reverse("mfa_activate_totp"))
    assert not activation.get("Location", "").startswith(ENROL)


def test_five_wrong_codes_use_the_code_up(client):
    sign_in(client, editor())
    client.get(ENROL)
    code = _code_from_mail()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        client.post(ENROL, {"code": wrong})

    late = client.post(ENROL, {"code": code})

    assert late.status_code == 400
    assert client.get(reverse("mfa_activate_totp"))["Location"].startswith(ENROL)


def test_the_admin_opens_only_in_a_session_that_used_the_second_factor(client):
    person = editor()
    TOTP.activate(person, SECRET)

    password_only = sign_in(client, person).get("/admin/")
    with_code = sign_in(client, person, second_factor=True).get("/admin/")

    assert password_only.status_code == 302
    assert password_only["Location"].startswith(reverse("mfa_reauthenticate"))
    assert with_code.status_code == 200


def test_acting_on_someone_elses_account_needs_the_second_factor_just_now(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    TOTP.activate(admin, SECRET)
    person = UserFactory()
    url = reverse("privacy:person_data", args=[person.pk])
    sign_in(client, admin, second_factor=True)
    fresh = client.get(url)

    session = client.session
    for record in session["account_authentication_methods"]:
        record["at"] = time.time() - 600
    session.save()
    stale = client.get(url)
    download = client.post(reverse("privacy:person_download", args=[person.pk]))

    assert fresh.status_code == 200
    assert stale.status_code == 302
    assert stale["Location"].startswith(reverse("mfa_reauthenticate"))
    assert download["Location"].startswith(reverse("mfa_reauthenticate"))


def test_a_group_that_requires_a_second_factor_holds_its_members_to_it(client):
    membership = MembershipFactory()
    group = membership.group
    group.require_mfa = True
    group.save()
    group_url = reverse("workgroups:group", args=[group.pk])

    signed_in = client.post(
        reverse("account_login"),
        {"login": membership.user.email, "password": DEFAULT_PASSWORD},
    )
    workspace = client.get(group_url)
    public_page = client.get(reverse("privacy:notice"))

    assert signed_in.status_code == 302
    assert workspace.status_code == 302
    assert workspace["Location"].startswith(ENROL)
    assert public_page.status_code == 200
    # A live connection of that session is refused as well.
    verdict = access.socket_verdict(
        user_id=membership.user.pk,
        session_key=client.session.session_key,
        group_id=group.pk,
    )
    assert verdict.close_code == access.CLOSE_SIGNED_OUT


def test_a_member_with_the_second_factor_in_the_session_works_as_usual(client):
    membership = MembershipFactory()
    membership.group.require_mfa = True
    membership.group.save()
    TOTP.activate(membership.user, SECRET)
    sign_in(client, membership.user, second_factor=True)

    response = client.get(reverse("workgroups:group", args=[membership.group.pk]))

    assert response.status_code == 200
    assert (
        access.socket_verdict(
            user_id=membership.user.pk,
            session_key=client.session.session_key,
            group_id=membership.group.pk,
        ).membership
        is not None
    )
