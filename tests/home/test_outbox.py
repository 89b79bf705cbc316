"""The e-mail outbox (home/outbox.py) seen from outside the invitations:
allauth's mails pass through it, administrators find failed mail in the
admin, and nothing else can be done to it there."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from django.core import mail

from home.models import OutgoingEmail
from tests.factories import UserFactory, sign_in

pytestmark = pytest.mark.django_db

Status = OutgoingEmail.Status


def test_a_password_reset_mail_is_recorded_and_sent_through_the_outbox(client):
    user = UserFactory(email="osoba@example.org")

    client.post("/pl/accounts/password/reset/", {"email": user.email})

    recorded = OutgoingEmail.objects.get()
    assert recorded.to == ["osoba@example.org"]
    assert recorded.status == Status.SENT
    assert "/password/reset/key/" in recorded.body
    assert [m.to for m in mail.outbox] == [["osoba@example.org"]]
    assert mail.outbox[0].extra_headers["Message-ID"] == recorded.headers["Message-ID"]


def _mail(subject, status):
    return OutgoingEmail.objects.create(
        to=["ktos@example.org"], subject=subject, body="Treść", status=status
    )


def test_an_administrator_finds_failed_mail_in_the_admin_and_cannot_edit_it(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    TOTP.activate(admin, "JBSWY3DPEHPK3PXP")
    sign_in(client, admin, second_factor=True)
    failed = _mail("Nie doszło", Status.FAILED)
    _mail("Doszło", Status.SENT)

    listing = client.get("/admin/outbox/", {"status": "failed"})

    assert listing.status_code == 200
    assert "Nie doszło" in listing.text
    assert "Doszło<" not in listing.text
    assert f"/admin/outbox/inspect/{failed.pk}/" in listing.text
    assert "/admin/outbox/new/" not in listing.text
    assert client.get(f"/admin/outbox/inspect/{failed.pk}/").status_code == 200
    edit = client.get(f"/admin/outbox/edit/{failed.pk}/", follow=True)
    assert edit.status_code == 404
