"""Minutes: notes per agenda item, decisions with votes, action items,
approval by the chair, corrections, the canonical text and its fingerprint."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.log_actions import log

from workgroups.access import check_membership
from workgroups.models import (
    ActionItem,
    AgendaItem,
    ConflictOfInterest,
    Decision,
    Meeting,
    Membership,
    Minutes,
    MinutesItem,
    Vote,
)
from workgroups.models.personal import Notification
from workgroups.models.record import (
    fingerprint_of,
    minutes_canonical_text,
    quorum_of,
)
from workgroups.services.notifications import notify_on_commit


def _editable_or_error(minutes):
    if not minutes.is_editable:
        raise ValidationError(
            _("Approved minutes are read-only. Start a correction to change them."),
            code="approved",
        )


@transaction.atomic
def minutes_start(*, actor, meeting: Meeting) -> Minutes:
    check_membership(actor, meeting.group_id, manage=True)
    if meeting.is_cancelled:
        raise ValidationError(_("The meeting is cancelled."))
    minutes, _created = Minutes.objects.get_or_create(meeting=meeting)
    return minutes


@transaction.atomic
def minutes_save(
    *, actor, minutes: Minutes, notes: dict[int, str], base_version: int
) -> Minutes:
    """Save the notes per agenda item. A save based on an older version than
    the stored one is refused and changes nothing (docs/security.md, DU-06)."""
    check_membership(actor, minutes.meeting.group_id, manage=True)
    _editable_or_error(minutes)
    items = set(minutes.meeting.agenda_items.values_list("pk", flat=True))
    if not set(notes) <= items:
        raise ValidationError(_("Notes can only be written on this meeting's agenda."))
    if any("\x00" in text for text in notes.values()):
        raise ValidationError(_("The text contains a NUL character."), code="nul")
    updated = (
        Minutes.objects.filter(pk=minutes.pk, version=base_version)
        .exclude(status=Minutes.Status.APPROVED)
        .update(version=F("version") + 1)
    )
    if not updated:
        raise ValidationError(
            _(
                "Someone else saved these minutes in the meantime. Your changes "
                "were not saved: reload the page, then make them again."
            ),
            code="stale",
        )
    for agenda_item_id, text in notes.items():
        MinutesItem.objects.update_or_create(
            minutes=minutes, agenda_item_id=agenda_item_id, defaults={"notes": text}
        )
    minutes.refresh_from_db()
    return minutes


def _item_of_minutes(minutes, agenda_item):
    if agenda_item.meeting_id != minutes.meeting_id:
        raise ValidationError(_("The agenda item belongs to another meeting."))


@transaction.atomic
def decision_record(
    *,
    actor,
    minutes: Minutes,
    agenda_item: AgendaItem,
    text: str,
    method: str = Decision.Method.CONSENSUS,
    votes: dict | None = None,
    follow_up: bool = False,
) -> Decision:
    """Record a decision. ``votes`` maps user ids to ``for``/``against``/
    ``abstain``; only members with a vote count, and a member who recused
    themselves from this agenda item is kept on record but not counted."""
    check_membership(actor, minutes.meeting.group_id, manage=True)
    _editable_or_error(minutes)
    _item_of_minutes(minutes, agenda_item)
    votes = {int(k): v for k, v in (votes or {}).items() if v}
    if method == Decision.Method.VOTE and not votes:
        raise ValidationError(_("Record at least one vote, or choose consensus."))
    if method == Decision.Method.CONSENSUS:
        votes = {}
    voting = set(
        Membership.objects.voting()
        .filter(group_id=minutes.meeting.group_id)
        .values_list("user_id", flat=True)
    )
    if not set(votes) <= voting:
        raise ValidationError(_("Only members with a vote can vote."))
    if any(choice not in Vote.Choice.values for choice in votes.values()):
        raise ValidationError(_("A vote is for, against or abstain."))
    recused = set(
        ConflictOfInterest.objects.filter(
            agenda_item=agenda_item, recused=True
        ).values_list("user_id", flat=True)
    )
    decision = Decision(
        minutes=minutes,
        agenda_item=agenda_item,
        text=text,
        method=method,
        follow_up=follow_up,
    )
    counted = [c for uid, c in votes.items() if uid not in recused]
    decision.votes_for = counted.count(Vote.Choice.FOR)
    decision.votes_against = counted.count(Vote.Choice.AGAINST)
    decision.abstentions = counted.count(Vote.Choice.ABSTAIN)
    decision.full_clean()
    decision.save()
    Vote.objects.bulk_create(
        Vote(decision=decision, user_id=uid, choice=c, counted=uid not in recused)
        for uid, c in votes.items()
    )
    Minutes.objects.filter(pk=minutes.pk).update(version=F("version") + 1)
    return decision


@transaction.atomic
def action_item_add(
    *,
    actor,
    minutes: Minutes,
    agenda_item: AgendaItem,
    description: str,
    owner,
    due_date: date,
) -> ActionItem:
    check_membership(actor, minutes.meeting.group_id, manage=True)
    _editable_or_error(minutes)
    _item_of_minutes(minutes, agenda_item)
    if not Membership.objects.filter(
        group_id=minutes.meeting.group_id, user=owner
    ).exists():
        raise ValidationError({"owner": _("The owner must be a member of the group.")})
    item = ActionItem(
        minutes=minutes,
        agenda_item=agenda_item,
        description=description,
        owner=owner,
        due_date=due_date,
    )
    item.full_clean()
    item.save()
    Minutes.objects.filter(pk=minutes.pk).update(version=F("version") + 1)
    # Its owner hears of it when the minutes are approved (minutes_approve).
    return item


@transaction.atomic
def action_item_set_status(*, actor, action_item: ActionItem, status: str):
    """The owner, the chair or the secretary move an action item on."""
    membership = check_membership(
        actor, action_item.minutes.meeting.group_id, write=True
    )
    if action_item.owner_id != actor.pk and not membership.can_manage:
        raise PermissionDenied
    if status not in ActionItem.Status.values:
        raise ValidationError(_("Unknown status."))
    action_item.status = status
    action_item.save(update_fields=["status"])
    return action_item


@transaction.atomic
def minutes_approve(*, actor, minutes: Minutes, base_version: int) -> Minutes:
    """The chair approves the minutes as they stood at ``base_version``. Of
    any number of simultaneous approvals exactly one takes effect (a
    conditional UPDATE), with one revision and one audit entry (DU-08)."""
    check_membership(actor, minutes.meeting.group_id, chair=True)
    meeting = minutes.meeting
    voting, present, required = quorum_of(meeting)
    now = timezone.now()
    previously_approved_at = (
        Minutes.objects.filter(pk=minutes.pk)
        .values_list("approved_at", flat=True)
        .first()
    )
    updated = Minutes.objects.filter(
        pk=minutes.pk,
        version=base_version,
        status__in=[Minutes.Status.DRAFT, Minutes.Status.CORRECTING],
    ).update(
        status=Minutes.Status.APPROVED,
        approved_at=now,
        approved_by=actor,
        voting_members=voting,
        voting_present=present,
        quorum_required=required,
        version=F("version") + 1,
    )
    if not updated:
        current = Minutes.objects.get(pk=minutes.pk)
        if current.is_approved:
            raise ValidationError(
                _("These minutes are already approved."), code="approved"
            )
        raise ValidationError(
            _(
                "The minutes changed since you opened them. Read them again "
                "before approving."
            ),
            code="stale",
        )
    minutes.refresh_from_db()
    minutes.approved_text = minutes_canonical_text(minutes)
    minutes.fingerprint = fingerprint_of(minutes.approved_text)
    minutes.save(update_fields=["approved_text", "fingerprint"])
    minutes.save_revision(user=actor, clean=False)
    log(
        minutes,
        "workgroups.minutes.approve",
        user=actor,
        data={"fingerprint": minutes.fingerprint, "reason": minutes.correction_reason},
    )
    notify_on_commit(Notification.Kind.MINUTES_APPROVED, minutes.pk)
    _notify_new_action_items(minutes, since=previously_approved_at)
    return minutes


def _notify_new_action_items(minutes, *, since):
    """Owners of the action items these minutes now put on record (all of
    them at the first approval, those a correction added at a later one)."""
    items = minutes.action_items.all()
    if since is not None:
        items = items.filter(created_at__gt=since)
    for item_id in items.values_list("pk", flat=True):
        notify_on_commit(Notification.Kind.ACTION_ASSIGNED, item_id)


@transaction.atomic
def minutes_start_correction(*, actor, minutes: Minutes, reason: str) -> Minutes:
    """Reopen approved minutes for a correction, which needs a reason; the
    approved fingerprint stands until the correction is approved."""
    check_membership(actor, minutes.meeting.group_id, manage=True)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the minutes are corrected.")})
    updated = Minutes.objects.filter(
        pk=minutes.pk, status=Minutes.Status.APPROVED
    ).update(
        status=Minutes.Status.CORRECTING,
        correction_reason=reason,
        version=F("version") + 1,
    )
    if not updated:
        raise ValidationError(_("Only approved minutes can be corrected."))
    minutes.refresh_from_db()
    log(minutes, "workgroups.minutes.correct", user=actor, data={"reason": reason})
    return minutes
