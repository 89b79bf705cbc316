"""What the room sockets (the discussion's, the live drafts') share.

A send on a connection the client has left raises ``OSError`` (ASGI;
uvicorn's ``ClientDisconnected``), and an exception ends the consumer
without its ``disconnect``: its place in the hub, its presence row and its
outbox's task would outlive the connection. A send to a gone client is
dropped instead; the server's ``websocket.disconnect``, which follows,
tidies up as for any socket."""

from channels.generic.websocket import AsyncWebsocketConsumer


class RoomSocketConsumer(AsyncWebsocketConsumer):
    async def __call__(self, scope, receive, send):
        async def send_unless_gone(message):
            try:
                await send(message)
            except OSError:
                return  # the client left; its disconnect comes next

        await super().__call__(scope, receive, send_unless_gone)
