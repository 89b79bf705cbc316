"""Several worker processes on Redis, and a Redis outage (docs/security.md, DU-04):
real uvicorn processes, a Redis server of the test's own, real WebSockets."""

import asyncio
import json
import uuid

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from deploy.servers import redis_server
from tests.utils import workers
from tests.workgroups.discussion_helpers import (
    keep_migrated_data,  # noqa: F401 -- used through usefixtures
    session_cookie,
)
from tests.workgroups.factories import MembershipFactory
from workgroups.discussion.consumers import RATE_BURST
from workgroups.models import Membership, Message, Topic

pytestmark = [
    pytest.mark.multiprocess,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("keep_migrated_data"),
]


def make_room_with_topic():
    chair = MembershipFactory(role=Membership.Role.CHAIR)
    expert = MembershipFactory(group=chair.group)
    room = chair.group.room
    topic = Topic.objects.create(room=room, title="Między procesami")
    return {
        "group": chair.group,
        "topic": topic,
        "chair_cookie": session_cookie(chair.user).decode(),
        "expert_cookie": session_cookie(expert.user).decode(),
    }


def socket(port, world, cookie):
    return connect(
        f"ws://127.0.0.1:{port}/ws/groups/{world['group'].pk}/",
        origin=f"http://127.0.0.1:{port}",
        additional_headers={"Cookie": world[cookie]},
    )


async def next_of(websocket, kind, timeout=60):
    """The next event of type ``kind`` (also inside a ``batch`` frame)."""
    waiting = websocket.__dict__.setdefault("batched", [])
    async with asyncio.timeout(timeout):
        while True:
            if not waiting:
                frame = json.loads(await websocket.recv())
                waiting.extend(frame["frames"] if frame["type"] == "batch" else [frame])
            frame = waiting.pop(0)
            if frame["type"] == kind:
                return frame


def post(world, body):
    return json.dumps(
        {
            "type": "post",
            "topic": world["topic"].pk,
            "body": body,
            "client_id": str(uuid.uuid4()),
        }
    )


async def oversized_frames(world, port):
    # Over our 16 KiB: an error frame; over the worker's 1 MiB: uvicorn ends
    # the connection (close code 1009, "message too big"); the worker lives on.
    async with socket(port, world, "chair_cookie") as websocket:
        await next_of(websocket, "hello")
        await websocket.send(json.dumps({"type": "ping", "x": "a" * 100_000}))
        too_large = await next_of(websocket, "error")
        await websocket.send("b" * (1024 * 1024 + 1))
        try:
            while True:
                await websocket.recv()
        except ConnectionClosed as closed:
            close_code = closed.rcvd.code if closed.rcvd else "dropped"
    async with socket(port, world, "chair_cookie") as websocket:
        await next_of(websocket, "hello")
        await websocket.send(post(world, "Po ogromnej ramce"))
        after = await next_of(websocket, "ack")
    return too_large["code"], close_code, after["seq"]


async def flood_through_both(world, first_port, second_port):
    # The same person floods through both workers: 20 frames each, 40 in
    # all, within the burst of each process but over the shared one.
    async with (
        socket(first_port, world, "expert_cookie") as one,
        socket(second_port, world, "expert_cookie") as other,
    ):
        await next_of(one, "hello")
        await next_of(other, "hello")
        for websocket in (one, other):
            for _ in range(20):
                # Answered without the database: the flood is quick.
                await websocket.send(json.dumps({"type": "nonsense"}))
        answers = []
        for websocket in (one, other):
            while len(answers) < (20 if websocket is one else 40):
                frame = json.loads(await websocket.recv())
                if frame["type"] == "error":
                    answers.append(frame["code"])
        return answers


def test_a_message_sent_through_one_worker_reaches_a_client_of_the_other():
    """And the flood limit holds over both workers together, and frames too
    large for us or for uvicorn get an answer, never a dead worker."""
    world = make_room_with_topic()

    async def scenario(first_port, second_port):
        async with (
            socket(first_port, world, "chair_cookie") as sender,
            socket(second_port, world, "expert_cookie") as listener,
        ):
            await next_of(sender, "hello")
            await next_of(listener, "hello")
            await sender.send(post(world, "Przez dwa procesy"))
            ack = await next_of(sender, "ack")
            event = await next_of(listener, "message")
            answers = await flood_through_both(world, first_port, second_port)
            frames = await oversized_frames(world, first_port)
            return ack, event, answers, frames

    with redis_server() as redis, workers(2, redis.url) as (first, second):
        ack, event, answers, frames = asyncio.run(scenario(first, second))

    assert event["message"]["body"] == "Przez dwa procesy"
    assert event["message"]["seq"] == ack["seq"] == 1
    # The flood limit is shared by the workers (in the cache, on Redis).
    assert answers.count("rate_limited") >= 5
    assert RATE_BURST - 5 <= answers.count("unknown_type") <= 40 - 5
    too_large, close_code, after_seq = frames
    assert too_large == "too_large"
    assert close_code in (1009, "dropped")
    assert after_seq == 2


def test_redis_outage_keeps_posting_and_live_delivery_resumes():
    world = make_room_with_topic()

    async def scenario(redis, first_port, second_port):
        async with (
            socket(first_port, world, "chair_cookie") as sender,
            socket(second_port, world, "expert_cookie") as listener,
        ):
            await next_of(sender, "hello")
            await next_of(listener, "hello")

            redis.stop()
            down = await next_of(sender, "status")
            await next_of(listener, "status")
            await sender.send(post(world, "W czasie awarii"))
            during = await next_of(sender, "ack")

            redis.start()
            up = await next_of(listener, "status")
            # The listener catches up on what pub/sub could not carry …
            await listener.send(json.dumps({"type": "sync", "last_seq": 0}))
            caught_up = await next_of(listener, "sync")
            # … and live delivery between the workers works again.
            await next_of(sender, "status")
            await sender.send(post(world, "Po awarii"))
            after = await next_of(listener, "message")
            return down, during, up, caught_up, after

    with redis_server() as redis, workers(2, redis.url) as (first, second):
        down, during, up, caught_up, after = asyncio.run(scenario(redis, first, second))

    assert down["state"] == "reconnecting"
    assert during["seq"] == 1
    assert Message.objects.filter(body="W czasie awarii").count() == 1
    assert up["state"] == "live"
    assert [m["body"] for m in caught_up["messages"]] == ["W czasie awarii"]
    assert after["message"]["body"] == "Po awarii"
    assert after["message"]["seq"] == 2
