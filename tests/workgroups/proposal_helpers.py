"""Builders for proposal tests: a group with a member of every role and a
proposal put to it by the chair."""

from datetime import timedelta

from django.utils import timezone

from tests.workgroups.factories import group_with_roles
from workgroups.models import Attendance, Membership, Proposal
from workgroups.services import proposals as services

Role = Membership.Role


def open_proposal(roles=None, present=None, **fields):
    """A proposal the chair opens; in a meeting, ``present`` (everyone by
    default) recorded as attending."""
    roles = roles or group_with_roles()
    chair = roles[Role.CHAIR]
    fields.setdefault("title", "Stanowisko w sprawie staży")
    fields.setdefault("closes_at", timezone.now() + timedelta(days=3))
    if fields.get("agenda_item") and present is None:
        present = [membership.user for membership in roles.values()]
    for user in present or ():
        Attendance.objects.get_or_create(
            meeting=fields["agenda_item"].meeting, user=user
        )
    proposal = services.proposal_open(actor=chair.user, group=chair.group, **fields)
    return roles, proposal


def make_due(proposal):
    """Move the closing time into the past, as the clock would."""
    past = timezone.now() - timedelta(minutes=1)
    Proposal.objects.filter(pk=proposal.pk).update(
        opens_at=past - timedelta(days=1), closes_at=past
    )
    proposal.refresh_from_db()
    return proposal


def vote(roles, role, proposal, choice="agree", **kwargs):
    return services.ballot_cast(
        actor=roles[role].user, proposal=proposal, choice=choice, **kwargs
    )
