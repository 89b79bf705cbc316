"""Proposals and votes: opening, casting and changing a ballot, closing at
the time or early, and what closing leaves behind — a decision in the
register, in the meeting's minutes or in the next meeting's matters arising
(docs/subsystems/proposals-and-votes.md)."""

from datetime import datetime, timedelta

from django_tasks import task

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wagtail.log_actions import log

from home.people import person_name
from workgroups import tally
from workgroups.access import check_membership
from workgroups.discussion.hub import hub
from workgroups.models import (
    AgendaItem,
    ConflictOfInterest,
    Decision,
    Meeting,
    Minutes,
    Room,
    Vote,
    WorkingGroup,
)
from workgroups.models.arising import MATTERS_ARISING_TITLE
from workgroups.models.personal import Notification
from workgroups.models.proposals import (
    SCORE_MAX,
    Ballot,
    Proposal,
    absent_from_the_meeting,
    eligible_voters,
    recused_user_ids,
)
from workgroups.services.notifications import notify_on_commit

# Those who have not voted hear of it this long before the vote closes.
REMIND_BEFORE = timedelta(hours=24)
Kind = Proposal.Kind


def _no_nul(*texts):
    if any("\x00" in text for text in texts):
        raise ValidationError(_("The text contains a NUL character."), code="nul")


def _place_in_group(group, agenda_item, topic):
    if agenda_item is not None and agenda_item.meeting.group_id != group.pk:
        raise ValidationError(_("The agenda item belongs to another group."))
    if topic is not None and topic.room.group_id != group.pk:
        raise ValidationError(_("The topic belongs to another group."))


@transaction.atomic
def proposal_open(
    *,
    actor,
    group: WorkingGroup,
    title: str,
    closes_at: datetime,
    text: str = "",
    kind: str = Kind.CONSENT,
    options=(),
    secret: bool = False,
    results_after_close: bool = False,
    close_when_all_voted: bool = False,
    agenda_item: AgendaItem | None = None,
    topic=None,
) -> Proposal:
    """The chair or the secretary puts a proposal to the members with a vote,
    between meetings or on an agenda item of a meeting."""
    check_membership(actor, group.pk, manage=True)
    _no_nul(title, text, *options)
    _place_in_group(group, agenda_item, topic)
    if kind not in Kind.values:
        raise ValidationError(_("Unknown kind of proposal."))
    proposal = Proposal(
        group=group,
        title=title.strip(),
        text=text.strip(),
        kind=kind,
        options=[option.strip() for option in options if option.strip()],
        secret=secret,
        results_after_close=results_after_close,
        close_when_all_voted=close_when_all_voted,
        closes_at=closes_at,
        agenda_item=agenda_item,
        topic=topic,
        created_by=actor,
    )
    if closes_at and closes_at <= timezone.now():
        raise ValidationError(
            {"closes_at": _("The closing time must be in the future.")}
        )
    proposal.full_clean()
    proposal.save()
    log(proposal, "workgroups.proposal.open", user=actor)
    notify_on_commit(Notification.Kind.PROPOSAL_OPENED, proposal.pk)
    transaction.on_commit(lambda: _schedule(proposal), robust=True)
    return proposal


def _schedule(proposal):
    """Closing and the reminder as deferred tasks where the task backend can
    defer (production's database backend); ``close_due_proposals`` is the
    safety net that finds whatever is due."""
    if not proposal_close_at_time.get_backend().supports_defer:
        return
    proposal_close_at_time.using(run_after=proposal.closes_at).enqueue(proposal.pk)
    remind_at = proposal.closes_at - REMIND_BEFORE
    if remind_at > timezone.now() and not proposal.in_meeting:
        proposal_remind.using(run_after=remind_at).enqueue(proposal.pk)


def _validated_answer(proposal, choice, scores):
    if proposal.kind == Kind.SCORE:
        try:
            scores = [int(score) for score in scores or ()]
        except (TypeError, ValueError):
            scores = []
        if len(scores) != len(proposal.options) or not all(
            0 <= score <= SCORE_MAX for score in scores
        ):
            raise ValidationError(
                _("Give every option a score from 0 to %(max)s.") % {"max": SCORE_MAX}
            )
        return "", scores
    if choice not in dict(proposal.choices()):
        raise ValidationError(_("Choose one of the answers."))
    return choice, []


def _refuse_unless_open(proposal):
    now = timezone.now()
    if not proposal.is_open or proposal.closes_at <= now:
        raise ValidationError(_("This vote is closed."), code="closed")
    if proposal.opens_at > now:
        raise ValidationError(_("This vote has not opened yet."), code="not_open")


@transaction.atomic
def ballot_cast(
    *, actor, proposal: Proposal, choice: str = "", scores=None, reason: str = ""
) -> Ballot:
    """Cast or change ``actor``'s vote. Observers have no vote and a member
    who declared a conflict of interest on the matter casts none. The
    proposal's row is locked, so that of simultaneous last votes exactly one
    sees everyone voted and closes it."""
    check_membership(actor, proposal.group_id, write=True)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    _refuse_unless_open(proposal)
    if actor.pk in recused_user_ids(proposal):
        raise ValidationError(
            _("You declared a conflict of interest on this matter: you do not vote."),
            code="recused",
        )
    if absent_from_the_meeting(proposal, actor.pk):
        raise ValidationError(
            _(
                "This vote is taken in the meeting: only members recorded as "
                "present vote. Ask the secretary to record your attendance."
            ),
            code="absent",
        )
    choice, scores = _validated_answer(proposal, choice or "", scores)
    reason = (reason or "").strip()
    _no_nul(reason)
    if len(reason) > 2000:
        raise ValidationError(_("The reason is too long (2000 characters at most)."))
    ballot, _created = Ballot.objects.update_or_create(
        proposal=proposal,
        user=actor,
        defaults={"choice": choice, "scores": scores, "reason": reason},
    )
    _changed_on_commit(proposal)
    if proposal.close_when_all_voted and _everyone_voted(proposal):
        _close(proposal, actor=None)
    return ballot


def _everyone_voted(proposal):
    eligible = eligible_voters(proposal).values("user_id")
    voted = proposal.ballots.filter(user_id__in=eligible).count()
    return voted >= eligible.count()


@transaction.atomic
def proposal_close(*, actor, proposal: Proposal) -> Proposal:
    """Close before the time: the chair, once everyone with a vote has voted;
    in a meeting, the chair or the secretary when they end the vote."""
    membership = check_membership(actor, proposal.group_id, manage=True)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not proposal.is_open:
        raise ValidationError(_("This vote is already closed."), code="closed")
    if not proposal.in_meeting:
        if not membership.is_chair:
            raise PermissionDenied
        if proposal.closes_at > timezone.now() and not _everyone_voted(proposal):
            raise ValidationError(
                _(
                    "Not everyone with a vote has voted: the vote stays open "
                    "until %(time)s."
                )
                % {
                    "time": timezone.localtime(proposal.closes_at).strftime(
                        "%Y-%m-%d %H:%M"
                    )
                },
                code="not_everyone",
            )
    return _close(proposal, actor=actor)


@task()
def proposal_close_at_time(proposal_id):
    """Close the proposal if its time has come (a deferred task)."""
    proposal = Proposal.objects.due().filter(pk=proposal_id).first()
    if proposal is not None:
        with transaction.atomic():
            _close(proposal, actor=None)


def proposals_close_due(now=None) -> int:
    """Close every proposal whose time has come; returns how many this call
    closed (another worker closing the same one at the same time makes it
    close once: the conditional update in ``_close``)."""
    closed = 0
    for proposal in Proposal.objects.due(now):
        with transaction.atomic():
            closed += _close(proposal, actor=None) is not None
    return closed


def _close(proposal, *, actor):
    """Close, count, decide, record — once. Must be called inside a
    transaction; the conditional update lets exactly one caller through."""
    now = timezone.now()
    if not Proposal.objects.filter(pk=proposal.pk, status=Proposal.Status.OPEN).update(
        status=Proposal.Status.CLOSED, closed_at=now
    ):
        return None
    proposal.refresh_from_db()
    eligible = set(eligible_voters(proposal).values_list("user_id", flat=True))
    ballots = list(proposal.ballots.filter(user_id__in=eligible).select_related("user"))
    counted = tally.tally_of(proposal, ((b.choice, b.scores) for b in ballots))
    if not proposal.secret:
        # Whose ballots counted, so that the page names them after closing.
        counted["counted_ids"] = sorted(b.user_id for b in ballots)
    proposal.tally = counted
    proposal.eligible_count = len(eligible)
    proposal.voted_count = counted["voted"]
    proposal.quorum_required = proposal.group.quorum_for(len(eligible))
    proposal.outcome = tally.outcome_of(
        proposal, counted, required=proposal.quorum_required
    )
    if proposal.outcome != Proposal.Outcome.NO_QUORUM:
        proposal.decision = _record_decision(proposal, ballots)
    proposal.save()
    log(
        proposal,
        "workgroups.proposal.close",
        user=actor,
        data={"outcome": proposal.outcome, "voted": proposal.voted_count},
    )
    notify_on_commit(Notification.Kind.PROPOSAL_CLOSED, proposal.pk)
    _changed_on_commit(proposal)
    return proposal


def _record_decision(proposal, ballots):
    """The decision, worded in the site's language as the minutes are: in
    the meeting's minutes for a vote on an agenda item, otherwise in the
    register at once and in the next meeting's matters arising."""
    minutes, item = _minutes_place(proposal)
    counts = proposal.tally.get("counts", {})
    with translation.override(settings.LANGUAGE_CODE):
        text = tally.decision_text(proposal, _names(proposal, ballots))
    decision = Decision(
        minutes=minutes,
        agenda_item=item,
        text=text,
        method=Decision.Method.VOTE
        if proposal.kind == Kind.CONSENT
        else Decision.Method.POLL,
        votes_for=counts.get(Ballot.Position.AGREE, 0),
        votes_against=counts.get(Ballot.Position.DISAGREE, 0)
        + counts.get(Ballot.Position.BLOCK, 0),
        abstentions=counts.get(Ballot.Position.ABSTAIN, 0),
        taken_between_meetings=item is None or item.pk != proposal.agenda_item_id,
    )
    decision.full_clean()
    decision.save()
    if minutes is not None:
        Minutes.objects.filter(pk=minutes.pk).update(version=F("version") + 1)
    if proposal.in_meeting and not proposal.secret and proposal.kind == Kind.CONSENT:
        _named_votes(decision, ballots)
    return decision


def _names(proposal, ballots):
    """Who answered what, by name, for an open ballot (none for a secret)."""
    if proposal.secret:
        return []
    labels = dict(proposal.choices())
    return sorted(
        (
            person_name(b.user),
            str(labels.get(b.choice, "")) or ", ".join(map(str, b.scores)),
        )
        for b in ballots
    )


def _named_votes(decision, ballots):
    """An open ballot's votes by name, as the minutes record a show of hands."""
    as_vote = {
        Ballot.Position.AGREE: Vote.Choice.FOR,
        Ballot.Position.DISAGREE: Vote.Choice.AGAINST,
        Ballot.Position.BLOCK: Vote.Choice.AGAINST,
        Ballot.Position.ABSTAIN: Vote.Choice.ABSTAIN,
    }
    Vote.objects.bulk_create(
        Vote(decision=decision, user_id=b.user_id, choice=as_vote[b.choice])
        for b in ballots
    )


def _minutes_place(proposal):
    """(minutes, agenda item) where the decision goes: the meeting's own
    minutes while they can change, else the next meeting's matters arising,
    else (None, None) until a meeting is scheduled (``decisions_take_up``)."""
    if proposal.in_meeting:
        meeting = proposal.agenda_item.meeting
        minutes, _created = Minutes.objects.get_or_create(meeting=meeting)
        if minutes.is_editable:
            return minutes, proposal.agenda_item
    meeting = (
        Meeting.objects.filter(
            group_id=proposal.group_id,
            status=Meeting.Status.SCHEDULED,
            starts_at__gt=timezone.now(),
        )
        .exclude(minutes__approved_at__isnull=False)
        .order_by("starts_at")
        .first()
    )
    if meeting is None:
        return None, None
    return _matters_arising_of(meeting)


def _matters_arising_of(meeting):
    item = meeting.agenda_items.filter(kind=AgendaItem.Kind.MATTERS_ARISING).first()
    if item is None:
        meeting.agenda_items.update(position=F("position") + 1)
        item = AgendaItem.objects.create(
            meeting=meeting,
            position=0,
            kind=AgendaItem.Kind.MATTERS_ARISING,
            title=MATTERS_ARISING_TITLE,
            duration_minutes=10,
        )
        Meeting.objects.filter(pk=meeting.pk).update(
            agenda_version=F("agenda_version") + 1
        )
    minutes, _created = Minutes.objects.get_or_create(meeting=meeting)
    return minutes, item


def pending_decisions(group):
    """Decisions taken between meetings that no meeting has taken up yet."""
    return Decision.objects.filter(
        taken_between_meetings=True, minutes__isnull=True, proposal__group=group
    )


def decisions_take_up(meeting, item):
    """A newly scheduled meeting's matters arising take up the decisions
    taken since the last one (called by ``meeting_schedule``). A meeting with
    none to take up gets no minutes yet: the secretary starts them."""
    pending = pending_decisions(meeting.group)
    if not pending.exists():
        return
    minutes, _created = Minutes.objects.get_or_create(meeting=meeting)
    pending.update(minutes=minutes, agenda_item=item)


def _changed_on_commit(proposal):
    """Tell the group's open pages that the proposal changed. The event
    carries only its id: each page asks again for what its reader may see
    (docs/security.md, PR-06)."""
    room_id = (
        Room.objects.filter(group_id=proposal.group_id)
        .values_list("pk", flat=True)
        .first()
    )
    if room_id is None:
        return
    event = {"type": "proposal", "op": "changed", "id": proposal.pk}
    transaction.on_commit(lambda: hub.publish(room_id, event), robust=True)


@transaction.atomic
def proposal_conflict_declare(*, actor, proposal: Proposal, description: str):
    """A member declares a conflict of interest on a proposal and stands
    aside: a ballot already cast no longer counts, and no other can be cast."""
    check_membership(actor, proposal.group_id, write=True)
    description = (description or "").strip()
    _no_nul(description)
    if not proposal.is_open:
        raise ValidationError(_("This vote is closed."), code="closed")
    declaration = ConflictOfInterest(
        proposal=proposal, user=actor, description=description, recused=True
    )
    declaration.full_clean()
    declaration.save()
    Ballot.objects.filter(proposal=proposal, user=actor).delete()
    log(proposal, "workgroups.proposal.conflict", user=actor)
    _changed_on_commit(proposal)
    return declaration


@task()
def proposal_remind(proposal_id):
    """Remind those who have not voted, once (a deferred task)."""
    proposals_remind_due(only=proposal_id)


def proposals_remind_due(now=None, only=None) -> int:
    """Open proposals between meetings closing within ``REMIND_BEFORE`` whose
    reminder has not gone: each is marked and its reminder enqueued once."""
    now = now or timezone.now()
    # A vote in a meeting is cast there and then: no reminder.
    due = Proposal.objects.open().filter(
        reminded_at__isnull=True,
        closes_at__lte=now + REMIND_BEFORE,
        agenda_item__isnull=True,
    )
    if only is not None:
        due = due.filter(pk=only)
    sent = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            if Proposal.objects.filter(pk=pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                notify_on_commit(Notification.Kind.PROPOSAL_REMINDER, pk)
                sent += 1
    return sent
