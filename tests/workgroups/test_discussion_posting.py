"""Who may post where, decided for a whole batch of posts at once
(``services.message_post_many``, the WebSocket writer's group commit): each
post in a mixed batch gets its own answer, and the checks cost one query."""

import uuid

import pytest

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.workgroups.factories import MembershipFactory, group_with_roles
from workgroups.discussion import services as discussion
from workgroups.models import Membership, Message, Topic

pytestmark = pytest.mark.django_db
Role = Membership.Role


@pytest.fixture
def rooms():
    """Two groups' rooms, each with one open topic; the first also with a
    closed one."""
    here, there = group_with_roles(), group_with_roles()
    chair = here[Role.CHAIR].user
    room = here[Role.CHAIR].group.room
    topic = discussion.topic_create(actor=chair, room=room, title="Otwarty")
    closed = discussion.topic_create(actor=chair, room=room, title="Zamknięty")
    Topic.objects.filter(pk=closed.pk).update(is_closed=True)
    other = discussion.topic_create(
        actor=there[Role.CHAIR].user, room=there[Role.CHAIR].group.room, title="Obcy"
    )
    return {
        "roles": here,
        "room": room,
        "topic": topic,
        "closed": closed,
        "other": other,
    }


def post(author, room, topic, body="Dzień dobry", client_id=None):
    return discussion.Post(
        author=author,
        room=room,
        topic_id=topic.pk,
        body=body,
        client_id=client_id or uuid.uuid4(),
    )


def test_each_post_of_a_mixed_batch_gets_its_own_answer(rooms):
    roles, room = rooms["roles"], rooms["room"]
    expert, chair = roles[Role.EXPERT].user, roles[Role.CHAIR].user
    gone = MembershipFactory(group=room.group, role=Role.EXPERT).user
    gone.is_active = False
    gone.save()
    stranger = group_with_roles()[Role.EXPERT].user
    resent = uuid.uuid4()
    first, _ = discussion.message_post(
        author=expert, topic=rooms["topic"], body="Pierwsza", client_id=resent
    )
    twice = uuid.uuid4()
    batch = {
        "expert": post(expert, room, rooms["topic"]),
        "chair": post(chair, room, rooms["topic"], body="Przewodnicząca"),
        "observer": post(roles[Role.OBSERVER].user, room, rooms["topic"]),
        "deactivated": post(gone, room, rooms["topic"]),
        "stranger": post(stranger, room, rooms["topic"]),
        "closed": post(expert, room, rooms["closed"]),
        "foreign topic": post(expert, room, rooms["other"]),
        "resend": post(expert, room, rooms["topic"], client_id=resent),
        "twice 1": post(chair, room, rooms["topic"], body="Raz", client_id=twice),
        "twice 2": post(chair, room, rooms["topic"], body="Raz", client_id=twice),
    }

    discussion.message_post_many(batch.values())

    for name in ("observer", "deactivated", "stranger", "foreign topic"):
        assert isinstance(batch[name].error, PermissionDenied), name
        assert batch[name].result is None, name
    assert isinstance(batch["closed"].error, ValidationError)
    assert batch["resend"].result == (first, False)
    made = batch["twice 1"].result
    assert made[1] is True and batch["twice 2"].result == made
    stored = Message.objects.filter(room=room).order_by("seq")
    assert [m.body for m in stored] == [
        "Pierwsza",
        "Dzień dobry",
        "Przewodnicząca",
        "Raz",
    ]
    assert [m.seq for m in stored] == sorted({m.seq for m in stored})


def test_the_checks_of_a_batch_cost_one_query_however_many_posts(rooms):
    roles, room, topic = rooms["roles"], rooms["room"], rooms["topic"]
    authors = [roles[role].user for role in (Role.CHAIR, Role.EXPERT)]
    for size in (1, 12):
        posts = [post(authors[i % 2], room, topic) for i in range(size)]
        with CaptureQueriesContext(connection) as queries:
            discussion.message_post_many(posts)
        reads = [
            q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")
        ]
        assert len(reads) == 1, reads
        assert all(p.result[1] for p in posts)
