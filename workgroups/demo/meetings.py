"""The demo meetings of "Rynek pracy" (data: ``meetings.json``): a past
meeting with approved minutes, a decision and an action item, and an
upcoming meeting. Written straight to the tables, so that no notification
goes out; created once."""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from home.demo.data import read
from home.models import InfoPoint
from workgroups.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    Minutes,
    MinutesItem,
    WorkingGroup,
)
from workgroups.models.record import (
    fingerprint_of,
    minutes_canonical_text,
    quorum_of,
)

DATA = read(__package__, "meetings.json")
UPCOMING_MEETING = DATA["upcoming"]["title"]


def load():
    group = WorkingGroup.objects.get(slug=DATA["group"])
    users = {
        u.email: u for u in get_user_model().objects.filter(memberships__group=group)
    }
    point = InfoPoint.objects.filter(kind=InfoPoint.Kind.POINT).first()
    if not Meeting.objects.filter(group=group, title=DATA["past"]["title"]).exists():
        _past_meeting(group, users, point)
    if not Meeting.objects.filter(group=group, title=UPCOMING_MEETING).exists():
        _meeting(group, DATA["upcoming"], users, point)


def demo_time(days_from_today, hour):
    """A full hour ``days_from_today`` days from today, in the site's zone."""
    day = timezone.localdate() + timedelta(days=days_from_today)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def approve_minutes(minutes, *, chair, at):
    """Approves demo minutes in the tables as ``minutes_approve`` would
    (quorum, canonical text, fingerprint), but at the time ``at`` and with no
    notification."""
    voting, present, required = quorum_of(minutes.meeting)
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_at = at
    minutes.approved_by = chair
    minutes.voting_members, minutes.voting_present = voting, present
    minutes.quorum_required = required
    minutes.save()
    minutes.approved_text = minutes_canonical_text(minutes)
    minutes.fingerprint = fingerprint_of(minutes.approved_text)
    minutes.save()


def meeting_with_item(group, data, *, chair, presenter=None, info_point=None):
    """A meeting of ``data`` (title, days from today, hours, optional online
    link) with its one agenda item (``data["agenda_item"]``)."""
    days, (start, end) = data["days_from_today"], data["hours"]
    meeting = Meeting.objects.create(
        group=group,
        title=data["title"],
        starts_at=demo_time(days, start),
        ends_at=demo_time(days, end),
        info_point=info_point,
        online_url=data.get("online_url", ""),
        created_by=chair,
    )
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=0,
        title=data["agenda_item"]["title"],
        presenter=presenter,
        duration_minutes=data["agenda_item"]["duration_minutes"],
    )
    return meeting, item


def _meeting(group, data, users, point):
    return meeting_with_item(
        group,
        data,
        chair=users[DATA["chair"]],
        presenter=users[data["agenda_item"]["presenter"]],
        info_point=point,
    )


def _past_meeting(group, users, point):
    """Everyone attended; the minutes are approved, with a revision."""
    data = DATA["past"]
    meeting, item = _meeting(group, data, users, point)
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, user=user) for user in users.values()
    )
    minutes = Minutes.objects.create(meeting=meeting)
    MinutesItem.objects.create(minutes=minutes, agenda_item=item, notes=data["notes"])
    Decision.objects.create(minutes=minutes, agenda_item=item, **data["decision"])
    action = data["action_item"]
    ActionItem.objects.create(
        minutes=minutes,
        agenda_item=item,
        description=action["description"],
        owner=users[action["owner"]],
        due_date=timezone.localdate() + timedelta(days=action["due_in_days"]),
    )
    chair = users[DATA["chair"]]
    at = demo_time(data["days_from_today"], data["approved_at_hour"])
    approve_minutes(minutes, chair=chair, at=at)
    minutes.save_revision(user=chair, clean=False)
