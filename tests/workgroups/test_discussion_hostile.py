"""Every message type of the room's WebSocket with hostile frames
(Hypothesis): wrong types, missing and extra fields, huge and broken text,
bad JSON, binary frames. The consumer never fails (no ``server_error``), the
socket stays open, bad input gets an error frame and writes nothing."""

import asyncio
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from django.core.cache import cache

from tests.hostile import group_with_form_targets, hostile_text, table_counts
from tests.workgroups.discussion_helpers import (
    keep_migrated_data,  # noqa: F401 -- used through usefixtures
    open_socket,
)
from workgroups.discussion import consumers
from workgroups.models import Message

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("keep_migrated_data"),
]

# Error codes the consumer may answer with; "server_error" is not one.
CLIENT_ERRORS = {
    "binary",
    "too_large",
    "rate_limited",
    "bad_json",
    "bad_frame",
    "unknown_type",
    "bad_field",
    "invalid",
    "forbidden",
}

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats()
    | hostile_text,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=6,
)


def frame_fields(world):
    """Plausible values of each frame type's fields."""
    topic = st.sampled_from([world.topic.pk, 0, 2**53])
    message = st.sampled_from([world.message.pk, 0, -1])
    seq = st.integers(min_value=-1, max_value=2**60)
    body = st.text(max_size=50) | hostile_text
    return {
        "post": {"topic": topic, "body": body, "client_id": st.uuids().map(str)},
        "edit": {"id": message, "body": body},
        "delete": {"id": message},
        "hide": {"id": message},
        "sync": {"last_seq": seq},
        "history": {"topic": topic, "before_seq": seq},
        "read": {"topic": topic, "seq": seq},
        "ping": {},
    }


def hostile_frames(world):
    fields = frame_fields(world)

    def frame(kind):
        return st.builds(
            lambda values, extra: {
                **extra,
                "type": kind,
                **{key: value for key, value in values.items() if value is not ...},
            },
            st.fixed_dictionaries(
                {
                    key: st.one_of(strategy, json_values, st.just(...))
                    for key, strategy in fields[kind].items()
                }
            ),
            st.dictionaries(st.text(max_size=8), json_values, max_size=2),
        )

    as_json = st.tuples(
        st.sampled_from(list(fields)).flatmap(frame) | json_values,
        st.booleans(),
    ).map(lambda pair: {"text": json.dumps(pair[0], ensure_ascii=pair[1])})
    raw = st.one_of(
        hostile_text.map(lambda text: {"text": text}),
        st.just({"text": "[" * 100_000}),
        st.just({"text": "x" * 20_000}),
        st.binary(max_size=50).map(lambda data: {"bytes": data}),
    )
    return as_json | raw


def _exchange(communicator, frame):
    """Send one frame, then a ping; every event until the pong."""

    async def run():
        # As the server receives it: empty frames included.
        await communicator.send_input({"type": "websocket.receive", **frame})
        await communicator.send_to(text_data='{"type": "ping"}')
        answers = []
        while not any(answer["type"] == "pong" for answer in answers):
            output = await communicator.receive_output(timeout=15)
            assert output["type"] == "websocket.send", f"socket closed: {output}"
            sent = json.loads(output["text"])
            # Events that waited together arrive as one "batch" frame.
            answers += sent["frames"] if sent["type"] == "batch" else [sent]
        # Anything still on its way (a frame the server sent just after).
        while not await communicator.receive_nothing(timeout=0.1):
            sent = await communicator.receive_json_from()
            answers += sent["frames"] if sent["type"] == "batch" else [sent]
        return answers

    return run


@settings(max_examples=100)
@given(data=st.data())
def _check_frames(loop, communicator, world, data):
    frame = data.draw(hostile_frames(world), label="frame")
    # Each example starts under the flood limits, the process's and the
    # workers' shared one (in the cache).
    consumers.rate_limit.buckets.clear()
    cache.clear()
    before = table_counts()
    answers = loop.run_until_complete(_exchange(communicator, frame)())
    errors = [answer for answer in answers if answer["type"] == "error"]
    assert {error["code"] for error in errors} <= CLIENT_ERRORS, errors
    for error in errors:
        if error["code"] == "invalid":
            assert error["message"], error
    if errors:
        after = table_counts()
        assert after == before, "a refused frame wrote rows"
    else:
        sent = json.loads(frame.get("text", "null"))
        if isinstance(sent, dict) and sent.get("type") == "post":
            ack = next(answer for answer in answers if answer["type"] == "ack")
            stored = Message.objects.get(pk=ack["id"])
            assert str(stored.client_id) == sent["client_id"]


@pytest.mark.slow
def test_every_frame_type_survives_hostile_input():
    world = group_with_form_targets()
    loop = asyncio.new_event_loop()
    try:
        communicator, connected, hello = loop.run_until_complete(
            open_socket(world.users["chair"], world.group.pk)
        )
        assert connected, hello
        try:
            _check_frames(loop, communicator, world)
        finally:
            loop.run_until_complete(communicator.disconnect())
    finally:
        consumers.rate_limit.buckets.clear()
        loop.close()
