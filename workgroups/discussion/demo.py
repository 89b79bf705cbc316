"""Demo discussion: a topic with two messages in the labour-market group."""

import uuid

from django.contrib.auth import get_user_model

from workgroups.discussion import services
from workgroups.models import Topic, WorkingGroup

TOPIC = "Sprawy bieżące (tekst demonstracyjny)"
MESSAGES = [
    (
        "przewodniczaca@example.org",
        "Witajcie! Tu omawiamy sprawy między spotkaniami (tekst demonstracyjny).",
    ),
    (
        "ekspert@example.org",
        "Dziękuję, przygotuję notatkę o uznawaniu kwalifikacji (tekst demonstracyjny).",
    ),
]


def load(*, stdout):
    group = WorkingGroup.objects.get(slug="rynek-pracy")
    room = group.room
    users = get_user_model().objects
    chair = users.get(email="przewodniczaca@example.org")
    topic = Topic.objects.filter(room=room, title=TOPIC).first()
    if topic is None:
        topic = services.topic_create(actor=chair, room=room, title=TOPIC)
    for number, (email, body) in enumerate(MESSAGES):
        services.message_post(
            author=users.get(email=email),
            topic=topic,
            body=body,
            client_id=uuid.uuid5(uuid.NAMESPACE_URL, f"demo-discussion-{number}"),
        )
    stdout.write(f"Discussion: topic “{TOPIC}” in {group.name}")
