"""Demo discussion (data: ``discussion.json``): a topic with two messages in
the labour-market group, posted through the discussion's services."""

import uuid

from django.contrib.auth import get_user_model

from home.demo.data import read
from workgroups.discussion import services
from workgroups.models import Topic, WorkingGroup

DATA = read(__package__, "discussion.json")
TOPIC = DATA["topic"]


def load(*, stdout):
    group = WorkingGroup.objects.get(slug=DATA["group"])
    room = group.room
    users = get_user_model().objects
    topic = Topic.objects.filter(room=room, title=TOPIC).first()
    if topic is None:
        chair = users.get(email=DATA["opened_by"])
        topic = services.topic_create(actor=chair, room=room, title=TOPIC)
    for number, message in enumerate(DATA["messages"]):
        # A fixed client id per message: posting it again changes nothing.
        services.message_post(
            author=users.get(email=message["author"]),
            topic=topic,
            body=message["body"],
            client_id=uuid.uuid5(uuid.NAMESPACE_URL, f"demo-discussion-{number}"),
        )
    stdout.write(f"Discussion: topic “{TOPIC}” in {group.name}")
