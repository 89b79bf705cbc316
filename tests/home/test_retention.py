"""docs/security.md, PR-05: personal data past its retention period is purged,
newer data stays, and every run is in the audit log."""

import io
import uuid
from datetime import timedelta

import pytest
from allauth.usersessions.models import UserSession
from django_tasks_db.models import DBTaskResult

from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from documents import services as drafts
from documents.models import DraftPresence
from home.models import OutgoingEmail, Subscription
from home.retention import purge_personal_data, purge_personal_data_task
from tests.documents.helpers import group_with_draft
from tests.factories import UserFactory
from workgroups.discussion import services as discussion
from workgroups.models import (
    Connection,
    Invitation,
    Membership,
    Mention,
    Message,
    Notification,
    Topic,
)
from workgroups.services import invitations as invitation_services

pytestmark = pytest.mark.django_db

NOW = timezone.now()
DAY = timedelta(days=1)


def _session(key, expires):
    return Session.objects.create(session_key=key, session_data="", expire_date=expires)


@pytest.fixture
def data_past_and_within_retention():
    """A group's personal data of each kind, some past its retention period
    and some within it: sessions, invitations, notifications, messages
    (deleted, hidden, mentioned), connections, presence, task results,
    e-mails, e-mail subscriptions and audit log entries."""
    author, draft = group_with_draft()
    group, person = author.group, author.user
    chair = Membership.objects.create(
        group=group, user=UserFactory(), role=Membership.Role.CHAIR
    ).user
    _sessions(person)
    invitations = _invitations(chair, group)
    _notifications(person, group)
    messages = _messages(person, chair, group)
    drafts.presence_mark(user=person, draft=draft)
    drafts.presence_mark(user=chair, draft=draft)
    DraftPresence.objects.filter(user=person).update(seen_at=NOW - 2 * DAY)
    _task_results_and_mail()
    _subscriptions()
    _log_entries(group, chair)
    return {"group": group, "person": person, "draft": draft, **invitations, **messages}


def _sessions(person):
    _session("old" + "x" * 29, NOW - DAY)
    live = _session("new" + "x" * 29, NOW + DAY)
    for key in ("old" + "x" * 29, live.session_key):
        UserSession.objects.create(
            user=person, ip="192.0.2.1", session_key=key, user_agent="UA"
        )


def _invitations(chair, group):
    def invitation(email, status, expired_days_ago):
        made, _ = invitation_services.invitation_create(
            actor=chair, group=group, email=email
        )
        Invitation.objects.filter(pk=made.pk).update(
            status=status, expires_at=NOW - expired_days_ago * DAY
        )
        return made.pk

    S = Invitation.Status
    return {
        "old_invitation": invitation("stara@example.org", S.PENDING, 31),
        "revoked_recently": invitation("cofnieta@example.org", S.REVOKED, 29),
        "accepted_long_ago": invitation("przyjeta@example.org", S.ACCEPTED, 400),
    }


def _notifications(person, group):
    for subject, age_days, read in (
        ("read old", 181, True),
        ("read new", 179, True),
        ("unread old", 181, False),
        ("unread very old", 361, False),
    ):
        made = Notification.objects.create(
            user=person, group=group, kind="minutes_approved", subject=subject, url="/"
        )
        Notification.objects.filter(pk=made.pk).update(
            created_at=NOW - age_days * DAY, read_at=NOW if read else None
        )


def _messages(person, chair, group):
    """Deleted long ago and recently, an ordinary one, one hidden long ago;
    mentions and connections old and new."""
    room = group.room
    topic = Topic.objects.create(room=room, title="Temat", created_by=chair)
    messages = []
    for body in ("dawno usunięta", "niedawno usunięta", "zwykła"):
        message, _ = discussion.message_post(
            author=person, topic=topic, body=body, client_id=uuid.uuid4()
        )
        messages.append(message)
    discussion.message_delete(actor=person, message=messages[0])
    discussion.message_delete(actor=person, message=messages[1])
    Message.objects.filter(pk=messages[0].pk).update(deleted_at=NOW - 31 * DAY)
    hidden, _ = discussion.message_post(
        author=person, topic=topic, body="dawno ukryta", client_id=uuid.uuid4()
    )
    discussion.message_hide(actor=chair, message=hidden)
    Message.objects.filter(pk=hidden.pk).update(hidden_at=NOW - 31 * DAY)
    for message, age in ((messages[0], 181), (messages[2], 1)):
        mention = Mention.objects.create(message=message, user=chair, read_at=NOW)
        Mention.objects.filter(pk=mention.pk).update(created_at=NOW - age * DAY)
    for name, age in (("old", 2), ("new", 0)):
        Connection.objects.create(
            channel_name=name, room=room, user=person, last_seen=NOW - age * DAY
        )
    return {"messages": messages, "hidden": hidden}


def _task_results_and_mail():
    for age in (31, 29):
        DBTaskResult.objects.create(
            args_kwargs={"args": [], "kwargs": {}},
            task_path="x",
            backend_name="default",
            run_after=NOW,
            status="SUCCESSFUL",
            finished_at=NOW - age * DAY,
        )
    for age, status in ((31, "sent"), (29, "failed"), (400, "queued")):
        mail = OutgoingEmail.objects.create(
            to=["x@example.org"], subject=f"{status} {age}", body="", status=status
        )
        OutgoingEmail.objects.filter(pk=mail.pk).update(
            created_at=NOW - age * DAY,
            finished_at=None if status == "queued" else NOW - age * DAY,
        )


def _subscriptions():
    for email, age, confirmed in (("a", 8, False), ("b", 6, False), ("c", 400, True)):
        row = Subscription.objects.create(
            email=f"{email}@example.org",
            language="pl",
            confirmed_at=NOW - age * DAY if confirmed else None,
        )
        Subscription.objects.filter(pk=row.pk).update(created_at=NOW - age * DAY)


def _log_entries(group, chair):
    ModelLogEntry.objects.all().delete()
    log(group, "wagtail.edit", user=chair)
    log(group, "wagtail.create", user=chair)
    ModelLogEntry.objects.filter(action="wagtail.create").update(
        timestamp=NOW - 731 * DAY
    )


def test_data_past_its_period_goes_and_newer_data_stays(data_past_and_within_retention):
    counts = purge_personal_data(now=NOW)

    assert list(Session.objects.values_list("session_key", flat=True)) == [
        "new" + "x" * 29
    ]
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [
        "new" + "x" * 29
    ]
    assert set(Invitation.objects.values_list("pk", flat=True)) == {
        data_past_and_within_retention["revoked_recently"],
        data_past_and_within_retention["accepted_long_ago"],
    }
    assert set(Notification.objects.values_list("subject", flat=True)) == {
        "read new",
        "unread old",
    }
    first, second, plain = data_past_and_within_retention["messages"]
    assert Message.objects.get(pk=first.pk).body == ""  # the row stays
    assert Message.objects.get(pk=second.pk).body == "niedawno usunięta"
    assert Message.objects.get(pk=plain.pk).body == "zwykła"
    assert (
        Message.objects.get(pk=data_past_and_within_retention["hidden"].pk).body == ""
    )
    assert list(Mention.objects.values_list("message_id", flat=True)) == [plain.pk]
    assert list(Connection.objects.values_list("channel_name", flat=True)) == ["new"]
    assert DraftPresence.objects.count() == 1
    assert DBTaskResult.objects.count() == 1
    # Mails of the invitations above (sent now), a recently failed one and
    # one still queued stay.
    assert set(
        OutgoingEmail.objects.filter(to=["x@example.org"]).values_list(
            "subject", flat=True
        )
    ) == {"failed 29", "queued 400"}
    assert counts == {
        "sessions": 1,
        "signed-in devices": 1,
        "task results": 1,
        "e-mails sent or given up": 1,
        "audit log entries": 1,
        "invitations": 1,
        "notifications": 2,
        "mentions": 1,
        "discussion connections": 1,
        "texts of deleted messages": 1,
        "texts of hidden messages": 1,
        "draft presence": 1,
        "unconfirmed e-mail subscriptions": 1,
    }
    assert sorted(Subscription.objects.values_list("email", flat=True)) == [
        "b@example.org",
        "c@example.org",
    ]


def test_every_purge_is_in_the_audit_log(data_past_and_within_retention):
    counts = purge_personal_data(now=NOW)

    entry = ModelLogEntry.objects.get(action="home.retention.purge")
    assert entry.data["deleted"] == counts
    assert entry.data["days"]["invitations"] == 30
    assert ModelLogEntry.objects.filter(action="wagtail.edit").exists()


def test_a_period_of_none_keeps_that_data(data_past_and_within_retention, settings):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "invitations": None}

    purge_personal_data(now=NOW)

    assert Invitation.objects.count() == 3


def test_a_second_run_deletes_nothing_more(data_past_and_within_retention):
    purge_personal_data(now=NOW)

    assert not any(purge_personal_data(now=NOW).values())


def test_command_and_task_run_the_same_purge(data_past_and_within_retention):
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "invitations: 1" in out.getvalue()

    result = purge_personal_data_task.enqueue()
    assert result.return_value["invitations"] == 0
