"""Shared steps of the discussion tests: sockets with a real session cookie
and Origin, through the whole ASGI application."""

import asyncio
import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from uvicorn.protocols.utils import ClientDisconnected

from django.test import Client

from platforma.asgi import application
from tests.conftest import restore_migrated_data


def session_cookie(user):
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def open_socket(
    user, group_id, *, origin=b"http://testserver", path=None, cookie=None, app=None
):
    """(communicator, connected, hello frame or close code), signed in as
    ``user`` in a new session, or with the session ``cookie``."""
    communicator = await socket_communicator(
        user, group_id, origin=origin, path=path, cookie=cookie, app=app
    )
    connected, code = await communicator.connect()
    if not connected:
        return communicator, False, code
    hello = await communicator.receive_json_from(timeout=15)
    return communicator, True, hello


async def socket_communicator(
    user, group_id, *, origin=b"http://testserver", path=None, cookie=None, app=None
):
    """A room socket not yet connected (``app``: the site, or a wrapper)."""
    headers = [(b"origin", origin), (b"host", b"testserver")]
    if user is not None:
        cookie = await database_sync_to_async(session_cookie)(user)
    if cookie is not None:
        headers.append((b"cookie", cookie))
    return WebsocketCommunicator(
        app or application, path or f"/ws/groups/{group_id}/", headers=headers
    )


class LeavingClient:
    """The site as a server runs it for a client that leaves: after
    ``sends`` messages to it (the accept is one), or once ``leave()`` is
    called, every send raises, as uvicorn's ``ClientDisconnected``."""

    def __init__(self, sends=None):
        self.sends = sends

    def leave(self):
        self.sends = 0

    async def __call__(self, scope, receive, send):
        async def send_until_gone(message):
            if self.sends is not None:
                if self.sends <= 0:
                    raise ClientDisconnected
                self.sends -= 1
            await send(message)

        await application(scope, receive, send_until_gone)


async def next_frame(communicator, *, timeout=15):
    """The next event the client handles: the frames of a ``batch`` (events
    that waited on the server together) one by one."""
    waiting = communicator.__dict__.setdefault("batched", [])
    if not waiting:
        frame = await communicator.receive_json_from(timeout=timeout)
        if frame["type"] != "batch":
            return frame
        waiting.extend(frame["frames"])
    return waiting.pop(0)


async def nothing_more(communicator, *, timeout=0.5):
    """The events that still arrive within ``timeout`` seconds."""
    heard = list(communicator.__dict__.setdefault("batched", []))
    communicator.batched.clear()
    while not await communicator.receive_nothing(timeout=timeout):
        heard.append(await next_frame(communicator))
    return heard


async def receive_type(communicator, kind, *, timeout=15):
    """The next frame of type ``kind``, skipping others (presence…)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        frame = await next_frame(communicator, timeout=max(0.1, deadline - loop.time()))
        if frame["type"] == kind:
            return frame


async def send(communicator, frame):
    await communicator.send_to(text_data=json.dumps(frame))


@pytest.fixture(scope="module")
def keep_migrated_data(django_db_setup, django_db_blocker):
    """Transactional tests end with a flush, which also takes away what the
    migrations created: put it back for the tests after the module."""
    yield
    with django_db_blocker.unblock():
        restore_migrated_data()
