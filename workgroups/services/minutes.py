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
    Attendance,
    ConflictOfInterest,
    Decision,
    Meeting,
    Membership,
    Minutes,
    MinutesItem,
    Vote,
)
from workgroups.models.meetings import fingerprint_of
from workgroups.models.personal import Notification
from workgroups.services.notifications import notify_on_commit


def quorum_of(meeting: Meeting):
    """(voting members, voting members present, required) by the group's rule
    and the recorded attendance; observers have no vote."""
    voting = set(
        Membership.objects.voting()
        .filter(group_id=meeting.group_id)
        .values_list("user_id", flat=True)
    )
    present = set(
        Attendance.objects.filter(meeting=meeting).values_list("user_id", flat=True)
    )
    required = meeting.group.quorum_for(len(voting))
    return len(voting), len(voting & present), required


def quorum_sentence(voting, present, required):
    values = {"present": present, "voting": voting, "required": required}
    if present >= required:
        return (
            _(
                "Quorum reached: %(present)s of %(voting)s members with a vote "
                "attended (%(required)s required)."
            )
            % values
        )
    return (
        _(
            "Quorum not reached: %(present)s of %(voting)s members with a vote "
            "attended (%(required)s required). Decisions recorded here are not "
            "binding until confirmed at a quorate meeting."
        )
        % values
    )


def minutes_canonical_text(minutes: Minutes) -> str:
    """The minutes as plain text in a fixed form: what the fingerprint hashes
    and the export contains. Action item statuses are left out: they change
    after approval without changing the record."""
    meeting = minutes.meeting
    lines = [
        f"{meeting.group.name}",
        f"{meeting.title}",
        timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")
        + "–"
        + timezone.localtime(meeting.ends_at).strftime("%H:%M")
        + " Europe/Warsaw",
    ]
    if meeting.place:
        lines.append(meeting.place)
    if meeting.online_url:
        lines.append(meeting.online_url)
    attendees = sorted(
        (a.user.get_full_name() or a.user.email)
        for a in Attendance.objects.filter(meeting=meeting).select_related("user")
    )
    lines.append(_("Present: %(names)s") % {"names": ", ".join(attendees) or "—"})
    if minutes.quorum_required is not None:
        quorum = (
            minutes.voting_members,
            minutes.voting_present,
            minutes.quorum_required,
        )
    else:
        quorum = quorum_of(meeting)
    lines.append(quorum_sentence(*quorum))
    notes = {item.agenda_item_id: item.notes for item in minutes.items.all()}
    decisions = list(minutes.decisions.all())
    actions = list(minutes.action_items.select_related("owner"))
    conflicts = list(
        ConflictOfInterest.objects.filter(agenda_item__meeting=meeting).select_related(
            "user"
        )
    )
    for number, item in enumerate(meeting.agenda_items.all(), start=1):
        lines.append("")
        lines.append(f"{number}. {item.title}")
        if notes.get(item.pk):
            lines.append(notes[item.pk].strip())
        for conflict in conflicts:
            if conflict.agenda_item_id == item.pk:
                name = conflict.user.get_full_name() or conflict.user.email
                text = (
                    _(
                        "%(name)s declared a conflict of interest (%(what)s) "
                        "and did not vote."
                    )
                    if conflict.recused
                    else _("%(name)s declared a conflict of interest (%(what)s).")
                )
                lines.append(text % {"name": name, "what": conflict.description})
        for decision in decisions:
            if decision.agenda_item_id == item.pk:
                label = (
                    _("Decision taken between meetings: %(text)s")
                    if decision.taken_between_meetings
                    else _("Decision: %(text)s")
                )
                lines.append(label % {"text": decision.text})
                lines.append(decision_outcome(decision))
        for action in actions:
            if action.agenda_item_id == item.pk:
                lines.append(
                    _("Action: %(text)s — %(owner)s, by %(due)s")
                    % {
                        "text": action.description,
                        "owner": action.owner.get_full_name() or action.owner.email,
                        "due": action.due_date.isoformat(),
                    }
                )
    return "\n".join(lines).strip() + "\n"


def decision_outcome(decision: Decision) -> str:
    if decision.method == Decision.Method.CONSENSUS:
        return _("Taken by consensus.")
    if decision.method == Decision.Method.POLL:
        return _("Taken by a poll of the members.")
    return _("Vote: %(for)s for, %(against)s against, %(abstain)s abstained.") % {
        "for": decision.votes_for,
        "against": decision.votes_against,
        "abstain": decision.abstentions,
    }


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
