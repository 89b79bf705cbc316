"""The demo proposals of "Rynek pracy" (data: ``proposals.json``): one open
for votes, and one closed as the clock's task closes it, so that its decision
shows in the register and in the upcoming meeting's matters arising. Created
once."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from home.demo.data import read
from workgroups.models import Ballot, Proposal, WorkingGroup
from workgroups.services.proposals import proposal_close_at_time

DATA = read(__package__, "proposals.json")


def load(*, stdout):
    group = WorkingGroup.objects.get(slug=DATA["group"])
    people = {
        u.email: u for u in get_user_model().objects.filter(memberships__group=group)
    }
    closed, opened = DATA["closed"], DATA["open"]
    if not Proposal.objects.filter(group=group, title=closed["title"]).exists():
        _closed(group, people, closed)
    if not Proposal.objects.filter(group=group, title=opened["title"]).exists():
        _open(group, people, opened)
    stdout.write(f"Proposals: “{closed['title']}”, “{opened['title']}”")


def _ballots(proposal, people, ballots):
    Ballot.objects.bulk_create(
        Ballot(proposal=proposal, user=people[email], choice=choice)
        for email, choice in ballots.items()
    )


@transaction.atomic
def _closed(group, people, data):
    now = timezone.now()
    proposal = Proposal.objects.create(
        group=group,
        title=data["title"],
        text=data["text"],
        opens_at=now - timedelta(days=data["opened_days_ago"]),
        closes_at=now - timedelta(days=data["closed_days_ago"]),
        created_by=people[DATA["chair"]],
    )
    _ballots(proposal, people, data["ballots"])
    # Closed as the clock's task closes it: tally, decision, matters arising.
    proposal_close_at_time.call(proposal.pk)


def _open(group, people, data):
    proposal = Proposal.objects.create(
        group=group,
        title=data["title"],
        text=data["text"],
        kind=Proposal.Kind.CHOICE,
        options=data["options"],
        closes_at=timezone.now() + timedelta(days=data["closes_in_days"]),
        created_by=people[DATA["chair"]],
    )
    _ballots(proposal, people, data["ballots"])
