"""Reads of proposals that the pages, the live results and the exports share:
who may see a proposal (its group's current members) and what of its
results (a secret ballot only totals, and those only after closing if asked
to; docs/security.md, PR-06)."""

from django.db.models import Count
from django.http import Http404
from django.utils import timezone

from home.people import person_name
from workgroups import access, tally
from workgroups.models import Ballot, Proposal
from workgroups.models.proposals import (
    absent_from_the_meeting,
    eligible_voters,
    recused_user_ids,
)


def member_proposal_or_404(user, proposal_id, **rights):
    """The proposal and ``user``'s membership of its group; 404 for anyone
    else, as for a proposal that does not exist."""
    proposal = (
        Proposal.objects.select_related("group", "agenda_item__meeting", "topic")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        raise Http404
    membership = access.require_membership(user, proposal.group_id, **rights)
    return proposal, membership


def proposals_of(group):
    """The group's proposals, open ones first, with how many have voted."""
    return (
        Proposal.objects.filter(group=group)
        .annotate(ballot_count=Count("ballots"))
        .order_by("-status", "-opens_at", "-pk")
    )


def calendar_proposals_of(user):
    """Closing times of the proposals of every group ``user`` belongs to."""
    return Proposal.objects.for_member(user).select_related("group").order_by("pk")


def proposals_of_items(items):
    """Proposals voted under these agenda items, by item id."""
    found = {}
    for proposal in Proposal.objects.filter(agenda_item__in=items):
        found.setdefault(proposal.agenda_item_id, []).append(proposal)
    return found


def results_of(proposal, membership):
    """What ``membership`` may read of the results now: totals (live while
    open, fixed at closing) and, for an open ballot, who voted what."""
    if proposal.is_open:
        eligible = list(eligible_voters(proposal).values_list("user_id", flat=True))
        ballots = _ballots_of(proposal, eligible)
        counted = tally.tally_of(proposal, ((b.choice, b.scores) for b in ballots))
        eligible_count, voted = len(eligible), counted["voted"]
    else:
        counted = proposal.tally
        # An open ballot's counted votes, by name (a secret one keeps none).
        ballots = _ballots_of(proposal, counted.get("counted_ids", []))
        eligible_count, voted = proposal.eligible_count, proposal.voted_count
    hidden = proposal.results_after_close and proposal.is_open
    return {
        "hidden": hidden,
        "lines": [] if hidden else tally.result_lines(proposal, counted),
        "voted": voted,
        "eligible": eligible_count,
        "named": _named(proposal, ballots) if not (hidden or proposal.secret) else [],
        "winner": tally.winner_of(proposal),
    }


def _ballots_of(proposal, user_ids):
    return list(
        Ballot.objects.filter(proposal=proposal, user_id__in=user_ids)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def _named(proposal, ballots):
    labels = dict(proposal.choices())
    return [
        {
            "name": person_name(b.user),
            "answer": labels.get(b.choice, "") or ", ".join(map(str, b.scores)),
            "reason": b.reason,
        }
        for b in ballots
    ]


def ballot_state(proposal, membership):
    """(may vote, recused, absent, own ballot) for the page's form."""
    user_id = membership.user_id
    recused = user_id in recused_user_ids(proposal)
    absent = membership.can_write and absent_from_the_meeting(proposal, user_id)
    own = Ballot.objects.filter(proposal=proposal, user_id=user_id).first()
    may_vote = (
        proposal.is_open
        and proposal.closes_at > timezone.now()
        and membership.can_write
        and not recused
        and not absent
    )
    return may_vote, recused, absent, own
