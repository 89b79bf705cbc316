"""The WebSocket of a draft's live document: ``/ws/drafts/<draft id>/``.

Binary frames speak the Yjs protocol (``protocol.py``): sync step 1 and 2,
updates and awareness, as y-protocols' clients send them. Text frames go
only from the server: ``hello`` {writable}, ``error`` {code}, and the hub's
``status``/``resync`` notices (then the client sends its step 1 again).

Access as in the discussion (``workgroups.discussion.gate``): refused at
connect to anyone but a current member, checked again before every frame,
and cut off at once (4401/4403) when any worker announces that the
person's access ended. Writers (everyone but observers) may send updates
while the draft is being written (``store.WRITABLE``), and suggestions only
(documents/live/suggestions.py) while it is in group review or when the
group lets them only suggest (``hello`` says ``suggesting``); anything else
is read-only. An update is checked against a copy of the document, stored,
and only then applied and forwarded (``rooms.Room.store``: in a group
commit with what the room's other sockets sent meanwhile); a refused update
changes nothing.
"""

import asyncio
import contextvars
import json
import logging
import uuid
import zlib

from channels.db import database_sync_to_async
from pycrdt import merge_updates

from django.db import InterfaceError, OperationalError

from documents.live import protocol, store
from documents.live.rooms import decode, drafts_hub, encode, rooms
from documents.models import Draft
from documents.tasks import schedule_quiet_version
from home.people import person_name
from workgroups import access
from workgroups.discussion.gate import AccessGate
from workgroups.discussion.hub import Outbox
from workgroups.discussion.limits import RateLimit
from workgroups.discussion.sockets import RoomSocketConsumer

logger = logging.getLogger(__name__)

# Typing makes an update and a caret move per key: 200 frames at once,
# then 60 a second per person in each process.
rate_limit = RateLimit(200, 60.0)
MAX_CLIENTS = 4  # Yjs client ids one socket may speak for
COLOURS = ("#b3261e", "#1d5b9f", "#2e7d32", "#7b3fa0", "#a14f00", "#00697a")


def colour(user_id):
    """The index of a person's colour in ``COLOURS`` (static/css/editor.css
    has the same palette for suggestions)."""
    return zlib.crc32(str(user_id).encode()) % len(COLOURS)


def person(user):
    """The name and caret colour others see: from the account, never from
    what the browser says."""
    return {"name": person_name(user), "color": COLOURS[colour(user.pk)]}


def _draft(draft_id):
    return Draft.objects.filter(pk=draft_id).values("group_id", "status").first()


class DraftLiveConsumer(RoomSocketConsumer):
    channel_layer_alias = "live-drafts-use-the-hub"

    room = None
    outbox = None
    revoked = False

    async def connect(self):
        user, session = self.scope.get("user"), self.scope.get("session")
        if user is None or not user.is_authenticated or session is None:
            await self.close()
            return
        draft_id = self.scope["url_route"]["kwargs"]["draft_id"]
        draft = await database_sync_to_async(_draft)(draft_id)
        if draft is None:
            await self.close()
            return
        self.gate = AccessGate(
            user_id=user.pk, session_key=session.session_key, group_id=draft["group_id"]
        )
        verdict = await self.gate.recheck()
        if verdict.membership is None:
            await self.close()
            return
        self.user, self.person = user, person(user)
        self.group_id, self.clients = draft["group_id"], {}
        self.connection_id = uuid.uuid4().hex
        self._take_state(draft["status"], verdict.membership)
        # Held until the socket is accepted: an event of the room sent
        # before that would be refused by the server and end the outbox's
        # task, and the socket would hear nothing again.
        self.outbox = Outbox(self._from_hub)
        self.outbox.hold()
        await drafts_hub.join(draft_id, self)
        self.room = rooms.enter(draft_id, self)
        await self.room.refresh()
        await self.accept()
        await self._hello()
        await self.send(bytes_data=protocol.step1(self.room.doc))
        if self.room.awareness:
            entries = [(c, *state) for c, state in self.room.awareness.items()]
            payload = protocol.awareness_payload(entries)
            await self.send(bytes_data=protocol.awareness_message(payload))
        self.outbox.release()

    async def disconnect(self, code):
        if self.room is None:
            return
        room, self.room = self.room, None
        self.outbox.close()
        await drafts_hub.leave(room.draft_id, self)
        if self.clients:  # they left: everyone else's view forgets them
            gone = [(client, clock + 1, None) for client, clock in self.clients.items()]
            room.see_awareness(gone)
            payload = protocol.awareness_payload(gone)
            drafts_hub.publish(room.draft_id, self._event("awareness", payload))
        rooms.leave(room, self)
        if self.writable and not any(other.writable for other in room.sockets):
            # The last writer here left: the automatic version, once quiet.
            await database_sync_to_async(schedule_quiet_version)(room.draft_id)

    def _take_state(self, status, membership):
        self.writable = membership.can_write and status in store.SUGGESTING
        self.only_suggests = status != store.WRITABLE or access.only_suggests(
            membership
        )

    async def _hello(self):
        await self.send_notice(
            {
                "type": "hello",
                "writable": self.writable,
                "suggesting": self.writable and self.only_suggests,
            }
        )

    async def send_notice(self, notice):
        await self.send(text_data=json.dumps(notice))

    async def error(self, code):
        await self.send_notice({"type": "error", "code": code})

    def _event(self, kind, data):
        return {"type": kind, "data": encode(data), "from": self.connection_id}

    # --- the hub calls these -----------------------------------------------

    @property
    def user_id(self):
        return self.user.pk

    async def _from_hub(self, text):
        """Events that waited together leave as few frames as they can: the
        updates between two other events as one merged update."""
        event = json.loads(text)
        events = event["frames"] if event.get("type") == "batch" else [event]
        updates = []
        for each in events:
            if each.get("type") == "update":
                if each["from"] != [self.connection_id]:  # theirs, or several
                    updates.append(decode(each["data"]))
                continue
            await self._send_updates(updates)
            updates = []
            await self._deliver(each)
        await self._send_updates(updates)

    async def _send_updates(self, updates):
        if self.room is None or not updates:
            return
        update = updates[0] if len(updates) == 1 else merge_updates(*updates)
        await self.send(bytes_data=protocol.update_message(update))

    async def _deliver(self, event):
        if self.room is None:
            return
        if event.get("type") == "awareness":
            if event["from"] != self.connection_id:
                data = decode(event["data"])
                await self.send(bytes_data=protocol.awareness_message(data))
        else:  # status, resync: the client asks again with its step 1
            await self.send_notice(event)

    def access_changed(self, event):
        """As the discussion's sockets: cut off at once what ended, look
        again at the rest, holding its events meanwhile."""
        if self.room is None or self.revoked:
            return
        code = event and access.ended(
            event,
            user_id=self.user.pk,
            session_key=self.gate.session_key,
            group_id=self.group_id,
        )
        if code:
            self.outbox.close()
            asyncio.get_running_loop().create_task(
                self._cut_off(code), context=contextvars.Context()
            )
            return
        self.outbox.hold()
        asyncio.get_running_loop().create_task(
            self._recheck(), context=contextvars.Context()
        )

    async def _recheck(self):
        delay = 0.5
        while self.room is not None and not self.revoked:
            try:
                verdict = await self.gate.recheck()
            except (OperationalError, InterfaceError):
                # The database is away: the socket's events wait (they are
                # not sent to someone whose access may have ended).
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            if verdict.membership is None:
                await self._cut_off(verdict.close_code)
            else:
                self.writable = self.writable and verdict.membership.can_write
                self.outbox.release()
            return

    async def _cut_off(self, code):
        if self.revoked or self.room is None:
            return
        self.revoked = True
        self.outbox.close()
        await drafts_hub.leave(self.room.draft_id, self)
        await self.close(code=code)

    # --- frames from the client --------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        if self.room is None or self.revoked:
            return
        if bytes_data is None:
            await self.error("binary_only")
            return
        if not rate_limit.allow(self.user.pk):
            await self.error("rate_limited")
            return
        try:
            kind, step, payload = protocol.parse(bytes_data)
            verdict = await self.gate.check()
            if verdict.membership is None:
                await self._cut_off(verdict.close_code)
                return
            if kind == protocol.AWARENESS:
                await self._awareness(payload)
            elif step == protocol.STEP1:
                await self.send(bytes_data=protocol.step2(self.room.doc, payload))
            else:
                await self._update(payload, verdict.membership)
        except protocol.Malformed as bad:
            await self.error(bad.code)
        except (OperationalError, InterfaceError):
            # Nothing of the frame was kept: the server's step 1 makes the
            # client send again (as its step 2) whatever the server lacks.
            logger.warning("live draft: database unavailable", exc_info=True)
            await self.error("unavailable")
            if self.room is not None:
                await self.send(bytes_data=protocol.step1(self.room.doc))
        except Exception:  # noqa: BLE001 -- the socket survives; the log keeps it
            logger.exception("live draft frame failed")
            await self.error("server_error")

    async def _update(self, update, membership):
        if update == store.EMPTY_UPDATE:
            return  # a step 2 with nothing new
        if not (self.writable and membership.can_write):
            await self.error("read_only")
            return
        try:
            await self._store(update, membership)
        except store.ReadOnly:
            # The draft changed state meanwhile (to group review: from now
            # on suggestions only, and this update is tried as one).
            only_suggested = self.only_suggests
            draft = await database_sync_to_async(_draft)(self.room.draft_id)
            self._take_state(draft["status"] if draft else None, membership)
            await self._hello()
            if self.writable and self.only_suggests and not only_suggested:
                try:
                    await self._store(update, membership)
                    return
                except store.ReadOnly:
                    self.writable = False
                    await self._hello()
            await self.error("read_only")

    async def _store(self, update, membership):
        await self.room.store(
            update,
            author_id=self.user.pk,
            connection_id=self.connection_id,
            only_suggests=self.only_suggests or access.only_suggests(membership),
        )

    async def _awareness(self, payload):
        kept = []
        for client, clock, state in protocol.awareness_entries(payload):
            if client not in self.clients and len(self.clients) >= MAX_CLIENTS:
                continue
            self.clients[client] = clock
            if state is not None:
                state = {**state, "user": self.person}
            kept.append((client, clock, state))
        if kept:
            data = protocol.awareness_payload(kept)
            self.room.see_awareness(kept)
            drafts_hub.publish(self.room.draft_id, self._event("awareness", data))
