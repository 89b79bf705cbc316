import re
import threading
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry

from tests.factories import UserFactory
from tests.workgroups.factories import MembershipFactory
from workgroups.models import Invitation, Membership
from workgroups.services import invitations as services

pytestmark = pytest.mark.django_db

Role = Membership.Role
PASSWORD = "a long and unusual password 42"  # noqa: S105


def _invite(django_capture_on_commit_callbacks, email="nowa@example.org", chair=None):
    chair = chair or MembershipFactory(role=Role.CHAIR)
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = services.invitation_create(
            actor=chair.user, group=chair.group, email=email
        )
    return chair, invitation, token


def _signup_is_closed(client):
    return 'name="password1"' not in client.get(reverse("account_signup")).text


def _link_in(message):
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def test_chair_invites_and_the_e_mail_carries_a_working_link(
    django_capture_on_commit_callbacks,
):
    _chair, invitation, token = _invite(django_capture_on_commit_callbacks)

    assert mail.outbox[0].to == ["nowa@example.org"]
    assert _link_in(mail.outbox[0]) == reverse("workgroups:invitation", args=[token])
    assert invitation.token_hash != token  # only the hash is stored
    assert invitation.expires_at - timezone.now() > timedelta(days=6, hours=23)


@pytest.mark.parametrize("role", [Role.SECRETARY, Role.EXPERT, Role.OBSERVER])
def test_only_the_chair_invites(role):
    member = MembershipFactory(role=role)
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            actor=member.user, group=member.group, email="x@y.pl"
        )
    assert not Invitation.objects.exists()


def test_invitee_signs_up_from_the_link_and_lands_in_the_group(
    client, django_capture_on_commit_callbacks
):
    chair, _invitation, token = _invite(django_capture_on_commit_callbacks)
    link = reverse("workgroups:invitation", args=[token])

    assert _signup_is_closed(client)
    assert client.get(link).status_code == 200
    client.post(link)
    assert not _signup_is_closed(client)
    response = client.post(
        reverse("account_signup"),
        {
            "email": "nowa@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "first_name": "Olena",
            "last_name": "Kowal",
        },
    )

    user = get_user_model().objects.get(email="nowa@example.org")
    assert user.get_full_name() == "Olena Kowal"
    assert response.status_code == 302
    assert response["Location"] == reverse("workgroups:group", args=[chair.group_id])
    assert Membership.objects.get(user=user).group == chair.group
    assert EmailAddress.objects.get(user=user).verified
    assert Invitation.objects.get().status == Invitation.Status.ACCEPTED
    # The link cannot be used a second time.
    client.logout()
    again = client.get(link)
    assert again.status_code == 410
    assert "już wykorzystane" in again.text


def test_sign_up_starts_from_the_name_the_chair_gave_and_requires_one(
    client, django_capture_on_commit_callbacks
):
    chair = MembershipFactory(role=Role.CHAIR)
    client.force_login(chair.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("workgroups:invitations", args=[chair.group_id]),
            {
                "email": "nowa@example.org",
                "role": Role.EXPERT,
                "first_name": "Olena",
                "language": "pl",
            },
        )
    client.logout()
    client.post(_link_in(mail.outbox[0]))

    form = client.get(reverse("account_signup")).text
    response = client.post(
        reverse("account_signup"),
        {"email": "nowa@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert 'name="first_name" value="Olena"' in form
    assert 'name="last_name"' in form
    assert response.status_code == 200
    assert "To pole jest wymagane" in response.text
    assert not get_user_model().objects.filter(email="nowa@example.org").exists()


def test_sign_up_with_another_address_than_invited_is_refused(
    client, django_capture_on_commit_callbacks
):
    _chair, _invitation, token = _invite(django_capture_on_commit_callbacks)
    client.post(reverse("workgroups:invitation", args=[token]))

    response = client.post(
        reverse("account_signup"),
        {"email": "inna@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 200
    assert not get_user_model().objects.filter(email="inna@example.org").exists()


def test_existing_account_joins_after_signing_in(
    client, django_capture_on_commit_callbacks
):
    person = UserFactory(email="obecna@example.org")
    chair, _invitation, token = _invite(
        django_capture_on_commit_callbacks, email="obecna@example.org"
    )
    link = reverse("workgroups:invitation", args=[token])
    assert "Zaloguj" in client.get(link).text

    client.force_login(person)
    response = client.post(link)

    assert response["Location"] == reverse("workgroups:group", args=[chair.group_id])
    assert Membership.objects.filter(user=person, group=chair.group).exists()


def test_a_signed_in_person_with_another_address_cannot_use_the_link(
    client, django_capture_on_commit_callbacks
):
    _chair, _invitation, token = _invite(django_capture_on_commit_callbacks)
    intruder = UserFactory()
    client.force_login(intruder)

    response = client.post(reverse("workgroups:invitation", args=[token]))

    assert response.status_code == 410
    assert not Membership.objects.filter(user=intruder).exists()


@pytest.mark.parametrize("case", ["expired", "revoked", "forged", "resent"])
def test_unusable_links_get_a_clear_translated_page(
    client, django_capture_on_commit_callbacks, case
):
    chair, invitation, token = _invite(django_capture_on_commit_callbacks)
    expected = {
        "expired": "wygasło",
        "revoked": "wycofane",
        "forged": "nieprawidłowy",
        "resent": "nieprawidłowy",
    }[case]
    if case == "expired":
        Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    elif case == "revoked":
        services.invitation_revoke(actor=chair.user, invitation=invitation)
    elif case == "forged":
        token = token[:-2] + "xy"
    else:
        services.invitation_resend(actor=chair.user, invitation=invitation)

    response = client.post(reverse("workgroups:invitation", args=[token]))

    assert response.status_code in (404, 410)
    assert expected in response.text
    assert not Membership.objects.exclude(pk=chair.pk).exists()
    assert _signup_is_closed(client)


def test_chair_sees_pending_invitations_and_can_resend_and_revoke(
    client, django_capture_on_commit_callbacks
):
    chair, invitation, _token = _invite(django_capture_on_commit_callbacks)
    client.force_login(chair.user)
    url = reverse("workgroups:invitations", args=[chair.group_id])
    assert "nowa@example.org" in client.get(url).text

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse(
                "workgroups:invitation_resend", args=[chair.group_id, invitation.pk]
            )
        )
    assert len(mail.outbox) == 2
    client.post(
        reverse("workgroups:invitation_revoke", args=[chair.group_id, invitation.pk])
    )
    assert Invitation.objects.get().status == Invitation.Status.REVOKED


def test_inviting_a_member_or_a_pending_address_twice_is_refused(
    django_capture_on_commit_callbacks,
):
    chair, _invitation, _token = _invite(django_capture_on_commit_callbacks)
    for email in ("nowa@example.org", chair.user.email):
        with pytest.raises(ValidationError):
            services.invitation_create(actor=chair.user, group=chair.group, email=email)
    assert Invitation.objects.count() == 1


@pytest.mark.usefixtures("migrated_data")
def test_twenty_parallel_acceptances_have_one_effect():
    """DU-08: one membership and one audit entry."""
    chair = MembershipFactory(role=Role.CHAIR)
    person = UserFactory(email="rownolegla@example.org")
    _invitation, token = services.invitation_create(
        actor=chair.user, group=chair.group, email=person.email
    )
    barrier = threading.Barrier(20)
    outcomes = []

    def accept():
        barrier.wait()
        try:
            services.invitation_accept(user=person, token=token)
            outcomes.append("ok")
        except Exception as error:  # noqa: BLE001 - counted below
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("ok") == 1
    assert Membership.objects.filter(user=person).count() == 1
    assert ModelLogEntry.objects.filter(action="workgroups.membership.add").count() == 1


def test_the_chair_writes_the_invitation_in_the_invited_persons_language(
    client, django_capture_on_commit_callbacks
):
    """The invited person has no account and so no language yet: the chair
    picks it, and the mail and its link speak it whatever the chair reads."""
    chair = MembershipFactory(role=Role.CHAIR)
    client.force_login(chair.user)
    page = client.get(reverse("workgroups:invitations", args=[chair.group.pk]))
    assert page.context["form"]["language"].value() == "pl"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("workgroups:invitations", args=[chair.group.pk]),
            {"email": "nowa@example.org", "role": Role.EXPERT, "language": "uk"},
        )

    message = mail.outbox[0]
    assert message.subject.startswith("Запрошення до робочої групи")
    assert _link_in(message).startswith("/uk/")
    assert Invitation.objects.get().language == "uk"


def test_an_invitation_in_a_language_the_site_does_not_speak_is_refused(client):
    chair = MembershipFactory(role=Role.CHAIR)
    client.force_login(chair.user)

    response = client.post(
        reverse("workgroups:invitations", args=[chair.group.pk]),
        {"email": "nowa@example.org", "role": Role.EXPERT, "language": "de"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["language"]
    assert not Invitation.objects.exists()
