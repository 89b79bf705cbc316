"""A workspace page costs as many queries in a group of 30 members with 30
meetings, 30 drafts and 30 proposals as in a group of one of each: no query
per member, meeting, draft or message (docs/benchmarks.md#make-bench-pages)."""

import uuid

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents import services as draft_services
from tests.workgroups.factories import (
    AgendaItemFactory,
    MeetingFactory,
    MembershipFactory,
    group_with_roles,
)
from tests.workgroups.proposal_helpers import open_proposal
from workgroups.discussion import services as discussion
from workgroups.models import Membership, Rsvp, Topic

pytestmark = pytest.mark.django_db

Role = Membership.Role
# The chair's view of each page, reached once already (PostgreSQL and SQLite).
PINNED = {
    "dashboard": 8,
    "group": 7,
    "meeting": 14,
    "draft": 11,
    "topic": 10,
    "proposals": 3,
}


def _group(size):
    """A group with every role plus ``size`` members, meetings (each with an
    agenda item; every member answers the first), drafts, proposals and
    messages in one topic; the chair and the pages' URLs."""
    roles = group_with_roles()
    chair = roles[Role.CHAIR].user
    group = roles[Role.CHAIR].group
    members = [MembershipFactory(group=group).user for _ in range(size)]
    meetings = [MeetingFactory(group=group) for _ in range(size)]
    for meeting in meetings:
        AgendaItemFactory(meeting=meeting)
    for member in members:
        Rsvp.objects.create(meeting=meetings[0], user=member, answer="yes")
    drafts = [
        draft_services.draft_create(
            actor=chair, group=group, title=f"Projekt {n}", text="Akapit."
        )
        for n in range(size)
    ]
    for n in range(size):
        open_proposal(roles, title=f"Wniosek {n}")
    topic = Topic.objects.create(room=group.room, title="Sprawy", created_by=chair)
    for n, member in enumerate(members):
        discussion.message_post(
            author=member, topic=topic, body=f"Wiadomość {n}", client_id=uuid.uuid4()
        )
    urls = {
        "dashboard": reverse("workgroups:dashboard"),
        "group": reverse("workgroups:group", args=[group.pk]),
        "meeting": reverse("workgroups:meeting", args=[meetings[0].pk]),
        "draft": reverse("documents:detail", args=[drafts[0].pk]),
        "topic": reverse("discussion:topic", args=[group.pk, topic.pk]),
        "proposals": reverse("workgroups:proposals", args=[group.pk]),
    }
    return chair, urls


def _counts(client, size):
    chair, urls = _group(size)
    client.force_login(chair)
    counts = {}
    for name, url in urls.items():
        client.get(url)  # per-process caches warm, as in a running server
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[name] = len(queries)
    client.logout()
    return counts


@pytest.mark.slow
def test_workspace_pages_cost_the_same_queries_with_30_of_everything(
    client, pages_made_afresh
):
    small = _counts(client, 1)
    large = _counts(client, 30)

    assert large == small
    for name, count in large.items():
        assert count <= PINNED[name], (name, large)
