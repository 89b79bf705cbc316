"""E-mail through the outbox against a real SMTP server on loopback
(aiosmtpd): down while mails are queued, up later; temporary and permanent
refusals. The database task backend and its worker run the tasks, as in
production."""

import email
import email.policy
import time
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django_tasks_db.management.commands.db_worker import Worker

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from deploy.servers import free_port
from home.models import OutgoingEmail
from tests.workgroups.factories import MembershipFactory
from workgroups.models import Invitation, Membership, Notification
from workgroups.services import invitations, meetings

Role = Membership.Role
Status = OutgoingEmail.Status


class Inbox:
    """aiosmtpd handler: keeps every message it accepts; refuses the
    recipients in ``refuse`` with the reply given there."""

    def __init__(self):
        self.messages = []
        self.refuse = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(
            envelope.content, policy=email.policy.default
        )
        self.messages.append((envelope.rcpt_tos, message))
        return "250 Message accepted"

    def to(self, address):
        return [message for rcpt, message in self.messages if address in rcpt]


@pytest.fixture
def smtp(settings):
    """A mail server on a loopback port, not started: ``start()`` brings it
    up. Mails are tried again after 0.3 s here (a minute in production)."""
    port = free_port()
    settings.OUTBOX_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, 5
    settings.OUTBOX_FIRST_RETRY_SECONDS = 0.3
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    inbox.start = controller.start
    yield inbox
    if getattr(controller, "_thread", None) is not None:
        controller.stop()


@pytest.fixture
def db_tasks(settings, transactional_db):
    """django-tasks-db's backend, as production runs it; ``run()`` works
    every task that is due, as ``manage.py db_worker --batch`` does."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def run():
        Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
            excluded_queue_names=[],
        ).run()

    return run


def _wait_until_due():
    """Sleep until every queued mail's next attempt is due."""
    latest = max(
        OutgoingEmail.objects.filter(status=Status.QUEUED).values_list(
            "next_attempt_at", flat=True
        )
    )
    time.sleep(max((latest - timezone.now()).total_seconds(), 0) + 0.05)


def test_mails_made_while_the_server_is_down_arrive_once_it_is_up(smtp, db_tasks):
    chair = MembershipFactory(role=Role.CHAIR, user__email="chair@example.org")
    MembershipFactory(
        group=chair.group, role=Role.EXPERT, user__email="expert@example.org"
    )
    with translation.override("uk"):
        invitation, _token = invitations.invitation_create(
            actor=chair.user, group=chair.group, email="nowa@example.org"
        )
    now = timezone.now()
    meetings.meeting_schedule(
        actor=chair.user,
        group=chair.group,
        title="Posiedzenie wiosenne",
        starts_at=now + timedelta(days=7),
        ends_at=now + timedelta(days=7, hours=2),
        address="ul. Basztowa 22, Kraków",
    )

    db_tasks()  # the server is down: every attempt fails

    invitation.refresh_from_db()
    assert invitation.mail.status == Status.QUEUED
    assert invitation.mail.attempts >= 1
    assert invitation.mail.next_attempt_at > invitation.mail.created_at
    assert OutgoingEmail.objects.filter(status=Status.QUEUED).count() == 3

    smtp.start()
    _wait_until_due()
    db_tasks()

    invitation.refresh_from_db()
    assert invitation.mail.status == Status.SENT
    assert len(smtp.messages) == 3
    (invited,) = smtp.to("nowa@example.org")
    assert (
        invited["Subject"].strip() == f"Запрошення до робочої групи {chair.group.name}"
    )
    for address in ("chair@example.org", "expert@example.org"):
        (notified,) = smtp.to(address)
        assert "Zaplanowano spotkanie: Posiedzenie wiosenne" in notified["Subject"]


def test_a_permanent_refusal_fails_the_invitation_and_tells_the_chair(
    smtp, db_tasks, client
):
    chair = MembershipFactory(role=Role.CHAIR)
    smtp.refuse["nikt@example.org"] = "550 5.1.1 <nikt@example.org>: no such user"
    smtp.start()
    invitation, _token = invitations.invitation_create(
        actor=chair.user, group=chair.group, email="nikt@example.org"
    )

    db_tasks()

    invitation.refresh_from_db()
    assert invitation.mail.status == Status.FAILED
    assert invitation.mail.attempts == 1
    assert "no such user" in invitation.mail.last_error
    assert smtp.messages == []
    notice = Notification.objects.get(user=chair.user)
    assert notice.kind == Notification.Kind.INVITATION_UNDELIVERED
    assert "nikt@example.org" in notice.text
    client.force_login(chair.user)
    page = client.get(reverse("workgroups:invitations", args=[chair.group_id])).text
    assert "nie doręczono" in page
    assert "no such user" in page
    # The chair can send it again: a new mail, queued.
    invitations.invitation_resend(actor=chair.user, invitation=invitation)
    assert Invitation.objects.get().mail.status == Status.QUEUED


def test_a_temporary_refusal_is_tried_again_until_the_server_takes_it(smtp, db):
    """Here the tasks run at once (the in-process backend of development,
    which cannot defer): ``send_queued_mail`` takes the retries over."""
    chair = MembershipFactory(role=Role.CHAIR)
    smtp.refuse["nowa@example.org"] = "451 4.3.0 try again later"
    smtp.start()
    invitation, _token = invitations.invitation_create(
        actor=chair.user, group=chair.group, email="nowa@example.org"
    )
    invitation.refresh_from_db()
    assert invitation.mail.status == Status.QUEUED
    assert "try again later" in invitation.mail.last_error

    del smtp.refuse["nowa@example.org"]
    _wait_until_due()
    call_command("send_queued_mail", verbosity=0)

    invitation.refresh_from_db()
    assert invitation.mail.status == Status.SENT
    assert invitation.mail.attempts == 2
    assert len(smtp.to("nowa@example.org")) == 1


def test_a_mail_is_given_up_after_the_documented_time(smtp, settings, db):
    """The server stays down past ``OUTBOX_GIVE_UP_SECONDS`` (none, here)."""
    settings.OUTBOX_GIVE_UP_SECONDS = 0
    chair = MembershipFactory(role=Role.CHAIR)
    invitation, _token = invitations.invitation_create(
        actor=chair.user, group=chair.group, email="nowa@example.org"
    )

    invitation.refresh_from_db()
    assert invitation.mail.status == Status.FAILED
    assert Notification.objects.filter(
        user=chair.user, kind=Notification.Kind.INVITATION_UNDELIVERED
    ).exists()
