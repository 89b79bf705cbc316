"""Proposals and votes: who may vote, changing a vote, closing at the time
and early, quorum, what closing records (register, minutes, matters
arising), notifications and live events."""

from datetime import timedelta

import pytest

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from wagtail.models import ModelLogEntry

from tests.workgroups.factories import (
    AgendaItemFactory,
    MeetingFactory,
    MembershipFactory,
    group_with_roles,
)
from tests.workgroups.proposal_helpers import make_due, open_proposal, vote
from workgroups.discussion.hub import hub
from workgroups.models import (
    AgendaItem,
    Attendance,
    Ballot,
    ConflictOfInterest,
    Decision,
    Membership,
    Minutes,
    Notification,
    Proposal,
    Room,
    Vote,
)
from workgroups.models.proposals import eligible_voters
from workgroups.models.record import minutes_canonical_text
from workgroups.services import meetings as meeting_services
from workgroups.services import proposals as services

pytestmark = pytest.mark.django_db

Role = Membership.Role
Outcome = Proposal.Outcome


def test_only_the_chair_and_secretary_open_a_proposal():
    roles, _proposal = open_proposal()
    outsider = MembershipFactory(role=Role.CHAIR).user
    for actor in (roles[Role.EXPERT].user, roles[Role.OBSERVER].user, outsider):
        with pytest.raises(PermissionDenied):
            services.proposal_open(
                actor=actor,
                group=roles[Role.CHAIR].group,
                title="X",
                closes_at=timezone.now() + timedelta(days=1),
            )
    services.proposal_open(
        actor=roles[Role.SECRETARY].user,
        group=roles[Role.CHAIR].group,
        title="Y",
        closes_at=timezone.now() + timedelta(days=1),
    )


def test_a_choice_needs_two_options_and_closing_in_the_future():
    roles, _p = open_proposal()
    with pytest.raises(ValidationError):
        open_proposal(roles, kind="choice", options=["Tylko jedna"])
    with pytest.raises(ValidationError):
        open_proposal(roles, closes_at=timezone.now() - timedelta(minutes=1))


def test_a_member_votes_and_changes_the_vote_until_it_closes():
    roles, proposal = open_proposal()
    vote(roles, Role.EXPERT, proposal, "disagree", reason="Za wcześnie.")
    vote(roles, Role.EXPERT, proposal, "agree")

    ballot = Ballot.objects.get()
    assert (ballot.choice, ballot.reason) == ("agree", "")
    make_due(proposal)
    with pytest.raises(ValidationError) as refused:
        vote(roles, Role.EXPERT, proposal, "block")
    assert refused.value.code == "closed"


def test_observer_former_member_and_outsider_cannot_vote():
    roles, proposal = open_proposal()
    with pytest.raises(PermissionDenied):
        vote(roles, Role.OBSERVER, proposal)
    roles[Role.EXPERT].delete()
    with pytest.raises(PermissionDenied):
        vote(roles, Role.EXPERT, proposal)
    with pytest.raises(PermissionDenied):
        services.ballot_cast(
            actor=MembershipFactory().user, proposal=proposal, choice="agree"
        )
    assert not Ballot.objects.exists()


def test_a_member_who_declared_a_conflict_cannot_vote_and_their_vote_is_dropped():
    roles, proposal = open_proposal()
    vote(roles, Role.EXPERT, proposal)
    services.proposal_conflict_declare(
        actor=roles[Role.EXPERT].user, proposal=proposal, description="Mój pracodawca"
    )
    assert not Ballot.objects.exists()
    with pytest.raises(ValidationError) as refused:
        vote(roles, Role.EXPERT, proposal)
    assert refused.value.code == "recused"


def test_a_conflict_declared_on_the_agenda_item_bars_the_vote_in_the_meeting():
    roles, _p = open_proposal()
    item = AgendaItemFactory(meeting=MeetingFactory(group=roles[Role.CHAIR].group))
    ConflictOfInterest.objects.create(
        agenda_item=item, user=roles[Role.EXPERT].user, description="Zlecenie"
    )
    _roles, proposal = open_proposal(roles, agenda_item=item)
    with pytest.raises(ValidationError) as refused:
        vote(roles, Role.EXPERT, proposal)
    assert refused.value.code == "recused"


def test_in_a_meeting_only_members_recorded_as_present_vote():
    roles = group_with_roles()
    item = AgendaItemFactory(meeting=MeetingFactory(group=roles[Role.CHAIR].group))
    here = [roles[Role.CHAIR].user, roles[Role.SECRETARY].user]
    _r, proposal = open_proposal(roles, agenda_item=item, present=here)

    with pytest.raises(ValidationError) as refused:
        vote(roles, Role.EXPERT, proposal)
    assert refused.value.code == "absent"
    assert not Ballot.objects.filter(user=roles[Role.EXPERT].user).exists()
    assert set(eligible_voters(proposal).values_list("user_id", flat=True)) == {
        user.pk for user in here
    }

    Attendance.objects.create(meeting=item.meeting, user=roles[Role.EXPERT].user)
    assert vote(roles, Role.EXPERT, proposal).choice == "agree"


def test_closing_at_the_time_records_the_decision_in_the_register():
    roles, proposal = open_proposal()
    vote(roles, Role.EXPERT, proposal, "agree")
    vote(roles, Role.SECRETARY, proposal, "abstain")
    make_due(proposal)

    assert services.proposals_close_due() == 1
    assert services.proposals_close_due() == 0

    proposal.refresh_from_db()
    assert proposal.outcome == Outcome.CARRIED
    assert proposal.tally["counts"] == {
        "agree": 1,
        "abstain": 1,
        "disagree": 0,
        "block": 0,
    }
    assert (proposal.eligible_count, proposal.voted_count) == (3, 2)
    registered = Decision.objects.registered().of_group(proposal.group_id)
    assert list(registered) == [proposal.decision]
    assert proposal.decision.votes_for == 1
    assert "za: 1, wstrzymało się: 1" in proposal.decision.text


def test_the_close_task_closes_only_when_due():
    _roles, proposal = open_proposal()
    services.proposal_close_at_time.call(proposal.pk)
    assert Proposal.objects.get().is_open
    make_due(proposal)
    services.proposal_close_at_time.call(proposal.pk)
    assert not Proposal.objects.get().is_open


def test_quorum_not_reached_takes_no_decision_and_says_so():
    roles, proposal = open_proposal()
    vote(roles, Role.EXPERT, proposal)
    make_due(proposal)
    services.proposals_close_due()

    proposal.refresh_from_db()
    assert proposal.outcome == Outcome.NO_QUORUM
    assert proposal.quorum_required == 2
    assert proposal.decision is None
    assert not Decision.objects.exists()
    entry = ModelLogEntry.objects.get(action="workgroups.proposal.close")
    assert entry.data["outcome"] == "no_quorum"


def test_a_block_blocks_and_a_poll_chooses_its_winner():
    roles, proposal = open_proposal()
    vote(roles, Role.EXPERT, proposal, "agree")
    vote(roles, Role.SECRETARY, proposal, "agree")
    vote(roles, Role.CHAIR, proposal, "block")
    make_due(proposal)
    services.proposals_close_due()
    assert Proposal.objects.get(pk=proposal.pk).outcome == Outcome.BLOCKED

    _r, poll = open_proposal(roles, kind="score", options=["Kraków", "Tarnów"])
    vote(roles, Role.EXPERT, poll, "", scores=[5, 1])
    vote(roles, Role.CHAIR, poll, "", scores=[2, 3])
    with pytest.raises(ValidationError):
        vote(roles, Role.SECRETARY, poll, "", scores=[9, 1])
    make_due(poll)
    services.proposals_close_due()
    poll.refresh_from_db()
    assert (poll.outcome, poll.tally["totals"]) == (Outcome.CHOSEN, [7, 4])
    assert "Kraków" in poll.decision.text


def test_the_chair_closes_early_only_when_everyone_has_voted():
    roles, proposal = open_proposal()
    vote(roles, Role.EXPERT, proposal)
    with pytest.raises(ValidationError) as refused:
        services.proposal_close(actor=roles[Role.CHAIR].user, proposal=proposal)
    assert refused.value.code == "not_everyone"
    vote(roles, Role.SECRETARY, proposal)
    vote(roles, Role.CHAIR, proposal)
    with pytest.raises(PermissionDenied):
        services.proposal_close(actor=roles[Role.SECRETARY].user, proposal=proposal)

    services.proposal_close(actor=roles[Role.CHAIR].user, proposal=proposal)

    assert Proposal.objects.get().outcome == Outcome.CARRIED
    with pytest.raises(ValidationError) as refused:
        services.proposal_close(actor=roles[Role.CHAIR].user, proposal=proposal)
    assert refused.value.code == "closed"


def test_closing_between_meetings_goes_into_the_next_meetings_matters_arising():
    roles, proposal = open_proposal()
    group = roles[Role.CHAIR].group
    meeting = MeetingFactory(group=group)
    regular = AgendaItemFactory(meeting=meeting, position=0)
    for role in (Role.EXPERT, Role.SECRETARY):
        vote(roles, role, proposal)
    make_due(proposal)
    services.proposals_close_due()

    decision = Decision.objects.get()
    arising = meeting.agenda_items.get(kind=AgendaItem.Kind.MATTERS_ARISING)
    assert (decision.minutes.meeting, decision.agenda_item) == (meeting, arising)
    assert list(meeting.agenda_items.order_by("position")) == [
        arising,
        regular,
    ]
    text = minutes_canonical_text(decision.minutes)
    assert "Decyzja podjęta między posiedzeniami: Wniosek „Stanowisko" in text
    # It stays in the register while the next minutes are a draft.
    assert Decision.objects.registered().count() == 1


def _schedule_meeting(roles):
    start = timezone.now() + timedelta(days=5)
    return meeting_services.meeting_schedule(
        actor=roles[Role.SECRETARY].user,
        group=roles[Role.CHAIR].group,
        title="Posiedzenie",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        address="Kraków",
    )


def test_a_meeting_scheduled_later_takes_up_the_decision():
    roles, proposal = open_proposal()
    for role in (Role.EXPERT, Role.SECRETARY):
        vote(roles, role, proposal)
    make_due(proposal)
    services.proposals_close_due()
    assert Decision.objects.get().minutes is None

    meeting = _schedule_meeting(roles)
    arising = meeting.agenda_items.get()
    assert "Decyzja podjęta między posiedzeniami" in arising.body
    assert Decision.objects.get().agenda_item == arising


def test_a_meeting_with_no_decision_to_take_up_gets_no_minutes_yet():
    roles, _proposal = open_proposal()
    meeting = _schedule_meeting(roles)
    # The secretary's "Write the minutes" stays on the meeting's page.
    assert not Minutes.objects.filter(meeting=meeting).exists()


def test_a_vote_in_the_meeting_goes_into_its_minutes_with_named_votes():
    roles, _p = open_proposal()
    item = AgendaItemFactory(meeting=MeetingFactory(group=roles[Role.CHAIR].group))
    _r, proposal = open_proposal(roles, agenda_item=item)
    _r, secret = open_proposal(roles, agenda_item=item, secret=True, title="Tajne")
    for p in (proposal, secret):
        vote(roles, Role.EXPERT, p, "agree")
        vote(roles, Role.CHAIR, p, "disagree")
        services.proposal_close(actor=roles[Role.SECRETARY].user, proposal=p)

    open_decision, secret_decision = (
        Proposal.objects.get(pk=p.pk).decision for p in (proposal, secret)
    )
    assert open_decision.minutes.meeting == item.meeting
    assert open_decision.agenda_item == item
    assert not open_decision.taken_between_meetings
    assert {
        (v.user_id, v.choice) for v in Vote.objects.filter(decision=open_decision)
    } == {
        (roles[Role.EXPERT].user_id, "for"),
        (roles[Role.CHAIR].user_id, "against"),
    }
    assert not Vote.objects.filter(decision=secret_decision).exists()
    # In the register once the minutes are approved, as any minutes decision.
    assert not Decision.objects.registered().exists()


def test_notifications_are_stored_without_language_and_read_in_the_readers(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        roles, proposal = open_proposal()
    notification = Notification.objects.filter(
        user=roles[Role.EXPERT].user, kind=Notification.Kind.PROPOSAL_OPENED
    ).get()
    assert notification.params["title"] == proposal.title
    assert notification.subject == ""
    with translation.override("en"):
        english = notification.text
    with translation.override("uk"):
        ukrainian = notification.text
    assert english == f"Vote open: {proposal.title}"
    assert ukrainian != english and proposal.title in ukrainian
    assert Notification.objects.filter(kind="proposal_opened").count() == 4


def test_the_reminder_goes_once_to_those_who_have_not_voted(
    django_capture_on_commit_callbacks,
):
    roles, proposal = open_proposal(closes_at=timezone.now() + timedelta(hours=2))
    vote(roles, Role.EXPERT, proposal)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.proposals_remind_due() == 1
        assert services.proposals_remind_due() == 0
    reminded = set(
        Notification.objects.filter(kind="proposal_reminder").values_list(
            "user_id", flat=True
        )
    )
    assert reminded == {roles[Role.CHAIR].user_id, roles[Role.SECRETARY].user_id}


def test_the_live_event_carries_only_the_proposals_id(
    monkeypatch, django_capture_on_commit_callbacks
):
    published = []
    monkeypatch.setattr(hub, "publish", lambda room, event: published.append(event))
    roles, proposal = open_proposal(secret=True)
    assert Room.objects.filter(group=proposal.group).exists()
    with django_capture_on_commit_callbacks(execute=True):
        vote(roles, Role.EXPERT, proposal, "block", reason="Tajny powód")
    assert published == [{"type": "proposal", "op": "changed", "id": proposal.pk}]


def test_a_vote_in_a_meeting_gets_no_reminder():
    roles, _p = open_proposal()
    item = AgendaItemFactory(meeting=MeetingFactory(group=roles[Role.CHAIR].group))
    open_proposal(
        roles, agenda_item=item, closes_at=timezone.now() + timedelta(minutes=15)
    )
    assert services.proposals_remind_due() == 0
