"""WebSockets pass origin validation before any route sees them (AC-13)."""

import pytest
from channels.testing import WebsocketCommunicator

from platforma.asgi import application

# Channels' consumers (the origin denier too) close stale database
# connections on every event, which touches the database.
pytestmark = pytest.mark.django_db


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "origin",
    [
        b"https://evil.example",
        b"http://sub.localhost.evil.example",
        b"null",
        None,
        b"https://testserver",  # the site's host, another scheme
        b"http://testserver:8443",  # the site's host, another port
    ],
)
async def test_websocket_from_a_foreign_or_missing_origin_is_refused(origin):
    headers = [(b"host", b"testserver")]
    headers += [(b"origin", origin)] if origin else []
    communicator = WebsocketCommunicator(application, "/ws/groups/1/", headers=headers)

    connected, code = await communicator.connect()

    assert not connected
    await communicator.disconnect()


@pytest.mark.asyncio
async def test_websocket_from_the_site_itself_passes_to_the_routes():
    communicator = WebsocketCommunicator(
        application,
        "/ws/no-such-route/",
        headers=[(b"origin", b"http://testserver"), (b"host", b"testserver")],
    )

    with pytest.raises(ValueError, match="No route found"):
        await communicator.connect()
