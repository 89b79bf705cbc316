"""Exactly one close: simultaneous last votes, and the chair closing while
the clock's task does (threads on a transactional database, SQLite or
PostgreSQL, whichever the run uses)."""

import pytest

from wagtail.models import ModelLogEntry

from tests.threads import in_threads
from tests.workgroups.proposal_helpers import make_due, open_proposal, vote
from workgroups.models import Decision, Membership, Proposal
from workgroups.services import proposals as services

Role = Membership.Role


def _closed_once(proposal):
    proposal = Proposal.objects.get(pk=proposal.pk)
    assert not proposal.is_open
    assert ModelLogEntry.objects.filter(action="workgroups.proposal.close").count() == 1
    assert Decision.objects.count() == 1
    return proposal


@pytest.mark.usefixtures("migrated_data")
def test_simultaneous_last_votes_close_the_proposal_exactly_once():
    roles, proposal = open_proposal(close_when_all_voted=True)
    vote(roles, Role.CHAIR, proposal)

    outcomes = in_threads(
        lambda: vote(roles, Role.EXPERT, proposal, "agree"),
        lambda: vote(roles, Role.SECRETARY, proposal, "disagree"),
    )

    assert outcomes == ["ok", "ok"]
    closed = _closed_once(proposal)
    assert closed.voted_count == 3
    assert closed.tally["counts"]["agree"] == 2


@pytest.mark.usefixtures("migrated_data")
def test_the_chair_and_the_clock_closing_together_close_once():
    roles, proposal = open_proposal()
    for role in (Role.CHAIR, Role.EXPERT, Role.SECRETARY):
        vote(roles, role, proposal)
    make_due(proposal)

    outcomes = in_threads(
        lambda: services.proposal_close(
            actor=roles[Role.CHAIR].user, proposal=proposal
        ),
        services.proposals_close_due,
        services.proposals_close_due,
    )

    assert outcomes.count("ok") >= 2
    _closed_once(proposal)
