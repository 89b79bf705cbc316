"""The per-process hub: one Redis pub/sub subscription per room per worker
process, fanned out to that process's sockets.

Stock Channels gives each socket its own channel-layer group membership, so a
message to a room of 200 is 200 Redis writes and reads, and channels-redis
silently drops what exceeds a channel's capacity. Here each event is
published once, received once per process and encoded once; every socket has
a bounded outbox, so one slow socket never holds up a room — when its outbox
overflows it loses events and is told to resynchronise from the database by
sequence number (the database, not Redis, is the source of truth). Events
that wait in an outbox together leave in one ``batch`` frame.

Without ``REDIS_URL`` (development, unit tests) the hub is local to the
process. When Redis goes away the hub tells its sockets "reconnecting",
still delivers to its own process's sockets, reconnects with back-off,
subscribes again and tells them "live": pub/sub does not replay, so clients
then catch up by sequence number.
"""

import asyncio
import contextlib
import contextvars
import json
import logging
import threading
from collections import deque

import redis
import redis.asyncio as aioredis
from redis.backoff import NoBackoff

from django.conf import settings

from workgroups.discussion.rendering import in_language

logger = logging.getLogger(__name__)

CONTROL = "control"
OUTBOX_LIMIT = 1000
RESYNC = json.dumps({"type": "resync"})
# {"type": "batch", "frames": [event, …]}: events that waited together.
BATCH_LIMIT = 100
BATCH_START = '{"type": "batch", "frames": ['
BATCH_END = "]}"


def _no_retry():
    # Fail at once, so that an outage is noticed (and reported) at once.
    from redis.asyncio.retry import Retry as AsyncRetry
    from redis.retry import Retry

    return Retry(NoBackoff(), 0), AsyncRetry(NoBackoff(), 0)


class Outbox:
    """A socket's bounded queue of outgoing frames, written by its own task."""

    def __init__(self, send, limit=None):
        self.send = send
        self.limit = limit or OUTBOX_LIMIT
        self.queue = deque()
        self.overflowed = False
        self.holds = 0
        self.wake = asyncio.Event()
        self.task = asyncio.get_running_loop().create_task(self._run())

    def hold(self):
        """Keep what arrives until ``release``: while the socket's access is
        checked again, nothing published after the reason for the check may
        reach it (if access ended, the socket closes with it unsent)."""
        self.holds += 1

    def release(self):
        self.holds = max(0, self.holds - 1)
        self.wake.set()

    def put(self, text):
        if len(self.queue) >= self.limit:
            if not self.overflowed:
                logger.warning("discussion socket outbox full: events dropped")
            self.overflowed = True
            hub.dropped += 1
            return
        self.queue.append(text)
        self.wake.set()

    async def _run(self):
        while True:
            await self.wake.wait()
            self.wake.clear()
            while self.queue and not self.holds:
                await self._send_next()
            if self.overflowed:
                self.overflowed = False
                await self.send(RESYNC)

    async def _send_next(self):
        """One frame; a failure is logged and the outbox goes on (its task
        ending would leave the socket open and deaf)."""
        if len(self.queue) == 1:
            text = self.queue.popleft()
        else:
            # Several waiting (a burst, or a busy worker): one frame
            # carries them, in order — a frame costs the server far more
            # than its bytes, so a backlog drains faster than it grew.
            texts = [
                self.queue.popleft() for _ in range(min(len(self.queue), BATCH_LIMIT))
            ]
            text = BATCH_START + ",".join(texts) + BATCH_END
        try:
            await self.send(text)
        except Exception as error:  # noqa: BLE001 -- logged; the next frames go
            logger.warning("socket outbox: a frame could not be sent: %r", error)

    def close(self):
        self.task.cancel()


class Hub:
    """One kind of room (``kind``: the discussion's groups, the drafts' live
    documents) on its own Redis channels; the control channel ("check
    access again") is one for all kinds, so every hub of a process hears
    it."""

    instances = []

    def __init__(self, kind="discussion", narrow=None):
        self.kind = kind
        self.narrow = narrow  # (event text, language) -> the reader's text
        Hub.instances.append(self)
        self.rooms = {}  # room id -> set of sockets in this process
        self.sockets = set()
        self.loop = None
        self.state = "live"
        self.dropped = 0
        self._pubsub = None
        self._reader = None
        self._ready = None
        self._clients = {}
        self._lock = threading.Lock()

    @property
    def redis_url(self):
        return settings.REDIS_URL

    def _channel(self, name):
        prefix = getattr(settings, "DISCUSSION_HUB_PREFIX", "platforma")
        kind = "discussion" if name == CONTROL else self.kind
        return f"{prefix}:{kind}:{name}"

    # --- sockets (called on the event loop) ---------------------------------

    async def join(self, room_id, socket):
        self._bind()
        self.sockets.add(socket)
        members = self.rooms.setdefault(room_id, set())
        first = not members
        members.add(socket)
        if self.redis_url and self._pubsub is None and self.state == "live":
            # The first socket of a fresh process: wait (briefly) until the
            # hub listens, so that the socket misses nothing after its sync.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._ready.wait(), timeout=2)
        if first and self._pubsub is not None:
            try:
                await self._pubsub.subscribe(self._channel(room_id))
            except (redis.RedisError, OSError):
                logger.warning("discussion hub could not subscribe; will retry")

    async def leave(self, room_id, socket):
        self.sockets.discard(socket)
        members = self.rooms.get(room_id)
        if members is None:
            return
        members.discard(socket)
        if not members:
            del self.rooms[room_id]
            if self._pubsub is not None:
                try:
                    await self._pubsub.unsubscribe(self._channel(room_id))
                except (redis.RedisError, OSError):
                    logger.info("discussion hub could not unsubscribe")

    def _bind(self):
        loop = asyncio.get_running_loop()
        if self.loop is loop:
            return
        # A new event loop (a new process, or a test): start afresh on it.
        self.loop = loop
        self._pubsub = None
        self._ready = asyncio.Event()
        self.state = "live"
        if self.redis_url:
            self._reader = loop.create_task(self._read())

    async def _read(self):
        delay = 0.1
        while True:
            client = aioredis.Redis.from_url(
                self.redis_url, socket_connect_timeout=2, retry=_no_retry()[1]
            )
            pubsub = client.pubsub(ignore_subscribe_messages=True)
            try:
                channels = [self._channel(CONTROL)]
                channels += [self._channel(room_id) for room_id in list(self.rooms)]
                await pubsub.subscribe(*channels)
                self._pubsub = pubsub
                self._ready.set()
                delay = 0.1
                if self.state != "live":
                    logger.warning("discussion hub: Redis is back")
                    self._recheck_all()
                    self._set_state("live")
                async for item in pubsub.listen():
                    if item["type"] == "message":
                        self._receive(item["channel"], item["data"])
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 -- whatever Redis does, retry
                logger.warning("discussion hub lost Redis; retrying", exc_info=True)
            self._pubsub = None
            self._ready.clear()
            if self.state != "reconnecting":
                self._set_state("reconnecting")
            for closable in (pubsub, client):
                with contextlib.suppress(Exception):  # already broken
                    await closable.aclose()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)

    def _receive(self, channel, data):
        name = channel.decode().rsplit(":", 1)[1]
        text = data.decode()
        if name == CONTROL:
            self._control(text)
        else:
            self._deliver(int(name), text)

    def _deliver(self, room_id, text):
        """To every socket of the room here: in its reader's language where
        the hub narrows events (``narrow``) and the socket names one
        (``language``), made once per language."""
        versions = {None: text}
        for socket in list(self.rooms.get(room_id, ())):
            language = getattr(socket, "language", None) if self.narrow else None
            if language not in versions:
                versions[language] = self.narrow(text, language)
            socket.outbox.put(versions[language])

    def _control(self, text):
        event = json.loads(text)
        if event.get("op") == "recheck":
            users = set(event["users"])
            for socket in list(self.sockets):
                if socket.user_id in users:
                    socket.access_changed(event)

    def _recheck_all(self):
        """After a gap in the subscription, "check again" events may have
        been missed: every socket of this process looks again."""
        for socket in list(self.sockets):
            socket.access_changed(None)

    def _set_state(self, state):
        self.state = state
        text = json.dumps({"type": "status", "state": state})
        for socket in list(self.sockets):
            socket.outbox.put(text)

    # --- publishers (any thread; services call these on commit) -------------

    def publish(self, room_id, event):
        text = json.dumps(event)
        self._publish(room_id, text, lambda: self._deliver(room_id, text))

    def publish_many(self, room_id, events):
        """Several events of one room, in order, in one Redis round trip."""
        texts = [json.dumps(event) for event in events]

        def deliver_here():
            for text in texts:
                self._deliver(room_id, text)

        self._publish(room_id, texts, deliver_here)

    def publish_control(self, event):
        text = json.dumps(event)
        if self._to_redis(CONTROL, text):
            return
        for each in Hub.instances:  # no Redis: every hub of this process
            each._here(lambda each=each: each._control(text))

    def _publish(self, name, texts, deliver_here):
        if not self._to_redis(name, texts):
            self._here(deliver_here)

    def _to_redis(self, name, texts):
        """Published on Redis (True), or no Redis or an outage (False)."""
        if self.redis_url:
            channel = self._channel(name)
            try:
                if isinstance(texts, str):
                    self._client().publish(channel, texts)
                else:
                    pipeline = self._client().pipeline(transaction=False)
                    for text in texts:
                        pipeline.publish(channel, text)
                    pipeline.execute()
                return True
            except (redis.RedisError, OSError):
                logger.warning("discussion hub: Redis unavailable, local delivery")
        return False

    def _here(self, deliver_here):
        # No Redis (development) or an outage: this process's sockets at least.
        loop = self.loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            deliver_here()
        else:
            loop.call_soon_threadsafe(deliver_here, context=contextvars.Context())

    def _client(self):
        url = self.redis_url
        with self._lock:
            client = self._clients.get(url)
            if client is None:
                client = redis.Redis.from_url(
                    url,
                    socket_timeout=1,
                    socket_connect_timeout=0.5,
                    retry=_no_retry()[0],
                )
                self._clients[url] = client
            return client


hub = Hub(narrow=in_language)
