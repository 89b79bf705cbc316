"""The WebSocket of a working group's room: ``/ws/groups/<group id>/``.

Authenticated by the session (AuthMiddlewareStack) behind the Origin check
(``platforma.origin``); access is decided by ``workgroups.access`` through
the socket's gate (``gate.py``): at connect, before every frame, and at once
when any worker announces that the person's access may have changed. A
person whose access ended is cut off: close code 4401 when the session or
the account ended (sign-out, password change, deactivation, erasure), 4403
when the membership did. The group comes from the URL only: no frame can
name a group or choose a handler outside ``HANDLERS``. A bad frame gets an
error frame and the socket stays open; nothing a client sends ends the
consumer.

Client frames (JSON objects with a ``type``): ``post`` {topic, body,
client_id}, ``edit`` {id, body}, ``delete`` {id}, ``hide`` {id}, ``sync``
{last_seq, topic?}, ``history`` {topic, before_seq}, ``read`` {topic, seq}, ``ping``.
"""

import asyncio
import contextvars
import json
import logging
import uuid
from urllib.parse import parse_qs

from channels.db import database_sync_to_async

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import InterfaceError, OperationalError

from workgroups import access
from workgroups.discussion import selectors, services, text
from workgroups.discussion.gate import AccessGate
from workgroups.discussion.hub import Outbox, hub
from workgroups.discussion.limits import RateLimit, SharedRateLimit
from workgroups.discussion.rendering import languages_of, serialize_message
from workgroups.discussion.sockets import RoomSocketConsumer
from workgroups.discussion.writer import writer

logger = logging.getLogger(__name__)
text.warm_up()

MAX_FRAME = 16 * 1024  # characters; a message is at most 4,000
# Per person: 30 frames at once, then 10 per second, over all worker
# processes together (SharedRateLimit, in the Django cache: Redis in
# production) and in each process (RateLimit, in memory, so that the limit
# still holds while the cache is away).
RATE_BURST = 30
RATE_PER_SECOND = 10.0
SYNC_CHUNK = 50
PRESENCE_DELAY = 0.5  # seconds
RECHECK_RETRY = 0.5  # seconds before asking a database that was away again


class BadFrame(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


rate_limit = RateLimit(RATE_BURST, RATE_PER_SECOND)
shared_rate_limit = SharedRateLimit(RATE_BURST, RATE_BURST / RATE_PER_SECOND)


class Presence:
    """Who is online, broadcast once per moment per room and process: the
    sockets that come and go meanwhile share one presence event."""

    def __init__(self, delay):
        self.delay = delay
        self.loop = None
        self.dirty = set()
        self.task = None

    def changed(self, room_id):
        loop = asyncio.get_running_loop()
        if self.loop is not loop:
            self.loop, self.dirty, self.task = loop, set(), None
        self.dirty.add(room_id)
        if self.task is None or self.task.done():
            self.task = loop.create_task(self._flush())

    async def _flush(self):
        await asyncio.sleep(self.delay)
        while self.dirty:
            room_id = self.dirty.pop()
            try:
                await database_sync_to_async(services.presence_publish)(room_id)
            except Exception:  # noqa: BLE001 -- presence is best effort
                logger.warning("discussion presence not published", exc_info=True)


presence = Presence(PRESENCE_DELAY)


def _int(frame, key, *, optional=False):
    value = frame.get(key)
    if value is None and optional:
        return None
    if type(value) is not int or not 0 <= value < 2**53:
        raise BadFrame("bad_field")
    return value


def _text(frame, key):
    value = frame.get(key)
    if not isinstance(value, str):
        raise BadFrame("bad_field")
    return value


def _client_id(frame):
    try:
        return uuid.UUID(_text(frame, "client_id"))
    except ValueError:
        raise BadFrame("bad_field") from None


class DiscussionConsumer(RoomSocketConsumer):
    # Live events come through the hub, not per-socket channel-layer groups.
    channel_layer_alias = "discussion-uses-the-hub"

    room = None
    language = None  # the reader's, when the socket names one
    outbox = None
    revoked = False

    async def connect(self):
        user = self.scope.get("user")
        session = self.scope.get("session")
        if user is None or not user.is_authenticated or session is None:
            await self.close()
            return
        group_id = self.scope["url_route"]["kwargs"]["group_id"]
        self.gate = AccessGate(
            user_id=user.pk, session_key=session.session_key, group_id=group_id
        )
        verdict = await self.gate.recheck()
        if verdict.membership is None:
            await self.close()
            return
        room = await database_sync_to_async(selectors.room_of)(group_id)
        if room is None:
            await self.close()
            return
        self.user, self.room = user, room
        # A catch-up goes to this reader alone: in the language of their page
        # (``?lang=`` of the socket's URL), not in all of them.
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        self.languages = languages_of(query.get("lang", [""])[0])
        # Live events, too, come in that language alone (``hub.narrow``).
        self.language = self.languages[0] if len(self.languages) == 1 else None
        self.connection_id = f"ws-{uuid.uuid4().hex}"
        self.outbox = Outbox(self._send_text)
        await hub.join(room.pk, self)
        await self.accept()
        await self.send_frame(
            {"type": "hello", "last_seq": room.last_seq, "state": hub.state}
        )
        await self._bookkeeping(
            services.connection_open,
            user=user,
            room=room,
            channel_name=self.connection_id,
        )
        presence.changed(room.pk)

    async def disconnect(self, code):
        if self.room is None:
            return
        room, self.room = self.room, None
        self.outbox.close()
        await hub.leave(room.pk, self)
        await self._bookkeeping(
            services.connection_close, channel_name=self.connection_id
        )
        presence.changed(room.pk)

    async def _bookkeeping(self, service, **kwargs):
        # Who is online is not worth a socket: with the database away, the
        # socket lives on without it.
        try:
            await database_sync_to_async(service)(**kwargs)
        except (OperationalError, InterfaceError):
            logger.warning("discussion: connection not recorded", exc_info=True)

    async def _send_text(self, text):
        await self.send(text_data=text)

    async def send_frame(self, frame):
        await self.send(text_data=json.dumps(frame))

    async def error(self, code, **extra):
        await self.send_frame({"type": "error", "code": code, **extra})

    # --- the hub calls these -----------------------------------------------

    @property
    def user_id(self):
        return self.user.pk

    def access_changed(self, event):
        """The person's access may have changed (``event``: what ended, from
        ``access.invalidate``; None: unknown): cut off at once what ended,
        look again at the rest, holding its events meanwhile."""
        if self.room is None or self.revoked:
            return
        code = event and access.ended(
            event,
            user_id=self.user.pk,
            session_key=self.gate.session_key,
            group_id=self.room.group_id,
        )
        if code:
            self.outbox.close()  # nothing more goes out
            asyncio.get_running_loop().create_task(
                self._cut_off(code), context=contextvars.Context()
            )
            return
        self.outbox.hold()
        # A context of its own: the announcement may come from a thread that
        # runs synchronous code for asgiref, whose marks must not follow.
        asyncio.get_running_loop().create_task(
            self._recheck(), context=contextvars.Context()
        )

    async def _recheck(self):
        delay = RECHECK_RETRY
        while self.room is not None and not self.revoked:
            try:
                verdict = await self.gate.recheck()
            except (OperationalError, InterfaceError):
                # The database is away: the socket's events wait (they are
                # not sent to someone whose access may have ended).
                logger.warning("discussion: access not rechecked yet")
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            if verdict.membership is None:
                await self._cut_off(verdict.close_code)
            else:
                self.outbox.release()
            return

    async def _cut_off(self, code):
        if self.revoked or self.room is None:
            return
        self.revoked = True
        self.outbox.close()
        await hub.leave(self.room.pk, self)
        await self.close(code=code)

    # --- frames from the client --------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        if self.room is None or self.revoked:
            return
        if text_data is None:
            await self.error("binary")
            return
        if len(text_data) > MAX_FRAME:
            await self.error("too_large")
            return
        if not rate_limit.allow(self.user.pk) or not (
            await shared_rate_limit.allowed(self.user.pk)
        ):
            await self.error("rate_limited")
            return
        try:
            frame = json.loads(text_data)
        except (ValueError, RecursionError):
            await self.error("bad_json")
            return
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            await self.error("bad_frame")
            return
        handler = HANDLERS.get(frame["type"])
        if handler is None:
            await self.error("unknown_type")
            return
        reference = frame.get("client_id")
        reference = reference if isinstance(reference, str) else None
        try:
            verdict = await self.gate.check()
            if verdict.membership is None:
                await self._cut_off(verdict.close_code)
                return
            await handler(self, frame)
        except BadFrame as bad:
            await self.error(bad.code, client_id=reference)
        except ValidationError as invalid:
            await self.error(
                "invalid", message=" ".join(invalid.messages), client_id=reference
            )
        except PermissionDenied:
            await self._forbidden(reference)
        except (OperationalError, InterfaceError):
            # The database is away (restart, outage): nothing was stored or
            # acknowledged; the client sends it again with the same client id.
            logger.warning("discussion: database unavailable", exc_info=True)
            await self.error("unavailable", client_id=reference, retry=True)
        except Exception:  # noqa: BLE001 -- the socket survives; the log keeps it
            logger.exception("discussion frame failed")
            await self.error("server_error", client_id=reference)

    async def _forbidden(self, reference):
        try:
            verdict = await self.gate.recheck()
        except (OperationalError, InterfaceError):
            await self.error("unavailable", client_id=reference, retry=True)
            return
        if verdict.membership is None:
            await self._cut_off(verdict.close_code)
        else:
            await self.error("forbidden", client_id=reference)

    def _topic(self, topic_id):
        topic = selectors.room_topic(self.room, topic_id)
        if topic is None:
            raise PermissionDenied
        return topic

    def _message(self, message_id):
        message = selectors.room_message(self.room, message_id)
        if message is None:
            raise PermissionDenied
        return message

    async def on_post(self, frame):
        client_id = _client_id(frame)
        topic_id, body = _int(frame, "topic"), _text(frame, "body")
        # Stored with the other posts of the moment (group commit); membership
        # and the topic are checked there, for the whole batch at once.
        message, _ = await writer.post(
            author=self.user,
            room=self.room,
            topic_id=topic_id,
            body=body,
            client_id=client_id,
        )
        await self.send_frame(
            {
                "type": "ack",
                "client_id": str(client_id),
                "id": message.pk,
                "seq": message.seq,
            }
        )

    def _change(self, service, frame, **kwargs):
        message_id = _int(frame, "id")

        def change():
            return service(actor=self.user, message=self._message(message_id), **kwargs)

        return database_sync_to_async(change)()

    async def on_edit(self, frame):
        message = await self._change(
            services.message_edit, frame, body=_text(frame, "body")
        )
        await self.send_frame({"type": "done", "id": message.pk})

    async def on_delete(self, frame):
        message = await self._change(services.message_delete, frame)
        await self.send_frame({"type": "done", "id": message.pk})

    async def on_hide(self, frame):
        message = await self._change(services.message_hide, frame)
        await self.send_frame({"type": "done", "id": message.pk})

    async def on_sync(self, frame):
        """Every message event after ``last_seq``; with ``topic``, also that
        topic's title and state now (a rename or close has no sequence
        number: a client that was away would miss it)."""
        last_seq = _int(frame, "last_seq")
        topic_id = _int(frame, "topic", optional=True)

        def read():
            topic = None if topic_id is None else self._topic(topic_id)
            messages = selectors.messages_after(self.room, last_seq)
            if messages is None:
                return None, topic
            return [
                serialize_message(m, languages=self.languages) for m in messages
            ], topic

        messages, topic = await database_sync_to_async(read)()
        if topic is not None:
            await self.send_frame(services.topic_event(topic, "update"))
        if messages is None:
            await self.send_frame({"type": "reload"})
            return
        for start in range(0, len(messages), SYNC_CHUNK):
            await self.send_frame(
                {"type": "sync", "messages": messages[start : start + SYNC_CHUNK]}
            )
        await self.send_frame({"type": "synced"})

    async def on_history(self, frame):
        topic_id = _int(frame, "topic")
        before_seq = _int(frame, "before_seq", optional=True)

        def read():
            page, has_more = selectors.history(
                self._topic(topic_id), before_seq=before_seq
            )
            return [
                serialize_message(message, languages=self.languages) for message in page
            ], has_more

        messages, has_more = await database_sync_to_async(read)()
        await self.send_frame(
            {
                "type": "history",
                "topic": topic_id,
                "messages": messages,
                "has_more": has_more,
            }
        )

    async def on_read(self, frame):
        topic_id, seq = _int(frame, "topic"), _int(frame, "seq")

        def mark():
            services.read_mark(user=self.user, topic=self._topic(topic_id), seq=seq)

        await database_sync_to_async(mark)()

    async def on_ping(self, frame):
        await database_sync_to_async(services.connection_touch)(
            channel_name=self.connection_id
        )
        await self.send_frame({"type": "pong", "state": hub.state})


HANDLERS = {
    "post": DiscussionConsumer.on_post,
    "edit": DiscussionConsumer.on_edit,
    "delete": DiscussionConsumer.on_delete,
    "hide": DiscussionConsumer.on_hide,
    "sync": DiscussionConsumer.on_sync,
    "history": DiscussionConsumer.on_history,
    "read": DiscussionConsumer.on_read,
    "ping": DiscussionConsumer.on_ping,
}
