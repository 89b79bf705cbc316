"""daphne's WebSocket connections send small frames at once (no Nagle)."""

import contextlib
from unittest import mock

from daphne.ws_protocol import WebSocketProtocol

import platforma.asgi  # noqa: F401 -- applies it, as in a worker


def test_websocket_connections_turn_nagle_off_before_the_handshake_goes_on():
    protocol = WebSocketProtocol()
    protocol.transport = mock.Mock()
    calls = []
    protocol.transport.setTcpNoDelay.side_effect = lambda on: calls.append(on)
    request = mock.Mock(peer="tcp:127.0.0.1:5000", headers={}, path="/ws/x/")
    # The fake request goes no further than the handshake's first checks.
    with contextlib.suppress(Exception):
        protocol.onConnect(request)
    assert calls == [True]
