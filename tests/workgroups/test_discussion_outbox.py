"""A socket's outbox (``workgroups.discussion.hub.Outbox``) keeps sending
after a frame fails: a live draft's socket once went deaf for good when the
server refused a frame sent before the socket was accepted. (A connection
the client has left refuses nothing: its sockets drop such sends,
``workgroups.discussion.sockets``.)"""

import asyncio

import pytest

from workgroups.discussion.hub import Outbox

pytestmark = pytest.mark.asyncio


async def test_a_frame_that_fails_does_not_stop_the_next_ones():
    sent = []

    async def send(text):
        if text == "refused":
            raise ValueError("Socket has not been accepted, so cannot send over it")
        sent.append(text)

    outbox = Outbox(send)
    outbox.put("refused")
    await asyncio.sleep(0)
    outbox.put("later")
    for _ in range(10):
        await asyncio.sleep(0)
    outbox.close()
    assert sent == ["later"]


async def test_held_events_leave_in_order_once_released():
    sent = []

    async def send(text):
        sent.append(text)

    outbox = Outbox(send)
    outbox.hold()
    outbox.put('{"n": 1}')
    outbox.put('{"n": 2}')
    await asyncio.sleep(0.01)
    assert sent == []
    outbox.release()
    await asyncio.sleep(0.01)
    outbox.close()
    assert sent == ['{"type": "batch", "frames": [{"n": 1},{"n": 2}]}']
