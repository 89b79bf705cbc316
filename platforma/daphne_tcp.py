"""TCP_NODELAY on daphne's WebSocket connections.

Twisted leaves Nagle's algorithm on, so a small frame written while the
previous one is not yet acknowledged waits for the peer's delayed ACK (about
40 ms on Linux): the live discussion's acknowledgement follows the message's
own broadcast on the same socket, so every post took ~40 ms longer than its
work. Browsers and asyncio servers send at once; so does daphne now.
Imported by ``platforma.asgi``; a no-op where daphne is not installed.
"""

import contextlib


def send_small_frames_at_once():
    try:
        from daphne.ws_protocol import WebSocketProtocol
    except ImportError:  # another ASGI server
        return
    if getattr(WebSocketProtocol, "_platforma_nodelay", False):
        return
    on_connect = WebSocketProtocol.onConnect

    def onConnect(self, request):  # noqa: N802 -- autobahn's name
        with contextlib.suppress(AttributeError, OSError):
            self.transport.setTcpNoDelay(True)
        return on_connect(self, request)

    WebSocketProtocol.onConnect = onConnect
    WebSocketProtocol._platforma_nodelay = True
