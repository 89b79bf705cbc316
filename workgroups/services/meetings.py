"""Meetings, agendas, attendance answers and records, conflicts of interest."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wagtail.log_actions import log

from home.people import person_name
from workgroups.access import check_membership
from workgroups.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    ConflictOfInterest,
    Decision,
    Meeting,
    Membership,
    Rsvp,
    WorkingGroup,
)
from workgroups.models.arising import MATTERS_ARISING_TITLE
from workgroups.models.personal import Notification
from workgroups.services import proposals
from workgroups.services.notifications import notify_on_commit


def matters_arising_lines(group):
    """Open action items and decisions to follow up, from the group's approved
    minutes, as the lines of the next agenda's first item: stored as words
    and kinds, worded when read (``AgendaItem.body``)."""
    lines = []
    actions = (
        ActionItem.objects.open()
        .registered()
        .filter(minutes__meeting__group=group)
        .select_related("owner")
    )
    for item in actions:
        lines.append(
            {
                "kind": "action",
                "text": item.description,
                "owner": person_name(item.owner),
                "due": item.due_date.isoformat(),
            }
        )
    decisions = Decision.objects.registered().filter(
        minutes__meeting__group=group, follow_up=True
    )
    lines += [{"kind": "follow_up", "text": d.text} for d in decisions]
    lines += [
        {"kind": "between_meetings", "text": d.text}
        for d in proposals.pending_decisions(group)
    ]
    return lines


@transaction.atomic
def meeting_schedule(
    *,
    actor,
    group: WorkingGroup,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    info_point=None,
    address: str = "",
    online_url: str = "",
    agenda=(),
) -> Meeting:
    """Schedule a meeting; ``agenda`` is a sequence of dicts with ``title``,
    ``presenter``, ``duration_minutes``. Matters arising from earlier minutes
    become the first item."""
    check_membership(actor, group.pk, manage=True)
    meeting = Meeting(
        group=group,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        info_point=info_point,
        address=address,
        online_url=online_url,
        created_by=actor,
    )
    meeting.full_clean()
    meeting.save()
    position = 0
    arising = matters_arising_lines(group)
    if arising:
        arising_item = AgendaItem.objects.create(
            meeting=meeting,
            position=position,
            kind=AgendaItem.Kind.MATTERS_ARISING,
            title=MATTERS_ARISING_TITLE,
            params={"lines": arising},
            duration_minutes=10,
        )
        proposals.decisions_take_up(meeting, arising_item)
        position += 1
    for entry in agenda:
        item = AgendaItem(meeting=meeting, position=position, **entry)
        item.full_clean()
        item.save()
        position += 1
    log(meeting, "workgroups.meeting.schedule", user=actor)
    notify_on_commit(Notification.Kind.MEETING_SCHEDULED, meeting.pk)
    return meeting


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, **fields) -> Meeting:
    check_membership(actor, meeting.group_id, manage=True)
    if meeting.is_cancelled:
        raise ValidationError(_("A cancelled meeting cannot be changed."))
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.sequence += 1
    meeting.full_clean()
    meeting.save()
    log(meeting, "workgroups.meeting.change", user=actor)
    notify_on_commit(Notification.Kind.MEETING_CHANGED, meeting.pk)
    return meeting


@transaction.atomic
def meeting_cancel(*, actor, meeting: Meeting) -> Meeting:
    check_membership(actor, meeting.group_id, manage=True)
    updated = Meeting.objects.filter(
        pk=meeting.pk, status=Meeting.Status.SCHEDULED
    ).update(status=Meeting.Status.CANCELLED, sequence=meeting.sequence + 1)
    if not updated:
        raise ValidationError(_("This meeting is already cancelled."))
    meeting.refresh_from_db()
    log(meeting, "workgroups.meeting.cancel", user=actor)
    notify_on_commit(Notification.Kind.MEETING_CANCELLED, meeting.pk)
    return meeting


def _require_open_agenda(meeting):
    if meeting.is_cancelled:
        raise ValidationError(_("The meeting is cancelled."))
    minutes = getattr(meeting, "minutes", None)
    if minutes is not None and minutes.was_approved:
        raise ValidationError(
            _("The minutes of this meeting are approved: the agenda is closed.")
        )


def _presenter_must_be_member(meeting, presenter):
    if (
        presenter is not None
        and not Membership.objects.filter(
            group_id=meeting.group_id, user=presenter
        ).exists()
    ):
        raise ValidationError({"presenter": _("The presenter must be a member.")})


@transaction.atomic
def agenda_item_add(
    *,
    actor,
    meeting: Meeting,
    title: str,
    presenter=None,
    duration_minutes: int = 15,
    description: str = "",
) -> AgendaItem:
    check_membership(actor, meeting.group_id, manage=True)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_open_agenda(meeting)
    _presenter_must_be_member(meeting, presenter)
    last = meeting.agenda_items.order_by("-position").first()
    item = AgendaItem(
        meeting=meeting,
        position=(last.position + 1) if last else 0,
        title=title,
        presenter=presenter,
        duration_minutes=duration_minutes,
        description=description,
    )
    item.full_clean()
    item.save()
    Meeting.objects.filter(pk=meeting.pk).update(
        agenda_version=meeting.agenda_version + 1
    )
    return item


@transaction.atomic
def agenda_item_remove(*, actor, item: AgendaItem) -> None:
    check_membership(actor, item.meeting.group_id, manage=True)
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    _require_open_agenda(meeting)
    item.delete()
    Meeting.objects.filter(pk=meeting.pk).update(
        agenda_version=meeting.agenda_version + 1
    )


@transaction.atomic
def agenda_reorder(
    *, actor, meeting: Meeting, order: list[int], base_version: int
) -> None:
    """Put the agenda items in ``order`` (their ids). ``base_version`` is the
    agenda version the person saw: if the agenda changed since, nothing
    changes and the person is told to reload (docs/security.md, DU-06)."""
    check_membership(actor, meeting.group_id, manage=True)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_open_agenda(meeting)
    if meeting.agenda_version != base_version:
        raise ValidationError(
            _(
                "The agenda was changed by someone else in the meantime. "
                "Reload the page and reorder again."
            ),
            code="stale",
        )
    items = {item.pk: item for item in meeting.agenda_items.all()}
    if sorted(order) != sorted(items) or len(set(order)) != len(order):
        raise ValidationError(_("The new order must list every agenda item once."))
    for position, pk in enumerate(order):
        items[pk].position = position
    AgendaItem.objects.bulk_update(items.values(), ["position"])
    Meeting.objects.filter(pk=meeting.pk).update(
        agenda_version=meeting.agenda_version + 1
    )


@transaction.atomic
def rsvp_answer(*, actor, meeting: Meeting, answer: str) -> Rsvp:
    check_membership(actor, meeting.group_id, write=True)
    if meeting.is_cancelled:
        raise ValidationError(_("The meeting is cancelled: no answer is needed."))
    if answer not in Rsvp.Answer.values:
        raise ValidationError(_("Answer yes, no or maybe."))
    rsvp, _created = Rsvp.objects.update_or_create(
        meeting=meeting, user=actor, defaults={"answer": answer}
    )
    return rsvp


@transaction.atomic
def attendance_record(*, actor, meeting: Meeting, user_ids) -> None:
    """Replace the list of who attended with ``user_ids`` (current members)."""
    check_membership(actor, meeting.group_id, manage=True)
    minutes = getattr(meeting, "minutes", None)
    if minutes is not None and not minutes.is_editable:
        raise ValidationError(_("Approved minutes are read-only."))
    user_ids = {int(pk) for pk in user_ids}
    members = set(
        Membership.objects.filter(group_id=meeting.group_id).values_list(
            "user_id", flat=True
        )
    )
    if not user_ids <= members:
        raise ValidationError(_("Only members of the group can be recorded."))
    Attendance.objects.filter(meeting=meeting).exclude(user_id__in=user_ids).delete()
    present = set(
        Attendance.objects.filter(meeting=meeting).values_list("user_id", flat=True)
    )
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, user_id=pk) for pk in user_ids - present
    )
    log(meeting, "workgroups.meeting.attendance", user=actor)


@transaction.atomic
def conflict_declare(
    *, actor, agenda_item: AgendaItem, description: str, recused=True, user=None
) -> ConflictOfInterest:
    """A member declares a conflict of interest on an agenda item; the chair
    or secretary may record one for another member (``user``)."""
    meeting = agenda_item.meeting
    membership = check_membership(actor, meeting.group_id, write=True)
    user = user or actor
    if user != actor:
        if not membership.can_manage:
            raise PermissionDenied
        if not Membership.objects.filter(group_id=meeting.group_id, user=user).exists():
            raise ValidationError(_("Only members of the group can be recorded."))
    minutes = getattr(meeting, "minutes", None)
    if minutes is not None and not minutes.is_editable:
        raise ValidationError(_("Approved minutes are read-only."))
    declaration = ConflictOfInterest(
        agenda_item=agenda_item, user=user, description=description, recused=recused
    )
    declaration.full_clean()
    declaration.save()
    log(meeting, "workgroups.meeting.conflict", user=actor)
    return declaration
