"""The live documents this worker process holds: one ``Room`` per draft
with sockets here, its pycrdt document, who is in it (awareness), and the
compaction of its stored updates. Rooms of several processes share their
updates and awareness through the drafts' hub (``drafts_hub``: the
discussion's hub on channels of its own)."""

import asyncio
import base64
import logging

from channels.db import database_sync_to_async
from pycrdt import Doc

from documents.live import store
from workgroups.discussion.hub import Hub

logger = logging.getLogger(__name__)

drafts_hub = Hub("drafts")
COMPACT_EVERY = 500  # stored updates; and when the last socket leaves


def encode(data):
    return base64.b64encode(data).decode("ascii")


def decode(text):
    return base64.b64decode(text.encode("ascii"), validate=True)


def publish_update(draft_id, update):
    """An update the server made (a saved or restored version) to every
    socket of the draft, in every process."""
    drafts_hub.publish(
        draft_id, {"type": "update", "data": encode(update), "from": "server"}
    )


class Room:
    def __init__(self, draft_id):
        self.draft_id = draft_id
        self.doc = Doc()
        self.sockets = set()
        self.awareness = {}  # client id -> (clock, state) of everyone in it
        self.stored = 0  # updates stored by this process since a compaction
        self.lock = asyncio.Lock()  # check, store and apply one at a time
        self.compaction = None

    async def refresh(self):
        """Brings the document up to what is stored (applying twice is
        harmless): a process that opens a draft reads it from the database."""
        update = await database_sync_to_async(store.load)(self.draft_id)
        self.doc.apply_update(update)

    def apply(self, update):
        try:
            self.doc.apply_update(update)
        except Exception:  # noqa: BLE001 -- checked by its sender; never fatal
            logger.warning("live document %s: update not applied", self.draft_id)

    def see_awareness(self, entries):
        for client, clock, state in entries:
            if state is None:
                self.awareness.pop(client, None)
            else:
                self.awareness[client] = (clock, state)

    def stored_one(self):
        self.stored += 1
        if self.stored >= COMPACT_EVERY:
            self.compact_soon()

    def compact_soon(self):
        if self.compaction is not None and not self.compaction.done():
            return
        self.stored = 0
        self.compaction = asyncio.get_running_loop().create_task(self._compact())

    async def _compact(self):
        try:
            await database_sync_to_async(store.compact)(self.draft_id)
        except Exception:  # noqa: BLE001 -- the rows stay; the next one merges them
            logger.warning("live document %s: compaction failed", self.draft_id)


class Rooms:
    """This process's rooms, for the event loop they run on."""

    def __init__(self):
        self.loop, self.rooms = None, {}

    def _bind(self):
        loop = asyncio.get_running_loop()
        if self.loop is not loop:
            self.loop, self.rooms = loop, {}

    def enter(self, draft_id, socket):
        self._bind()
        room = self.rooms.get(draft_id)
        if room is None:
            room = self.rooms[draft_id] = Room(draft_id)
        room.sockets.add(socket)
        return room

    def leave(self, room, socket):
        """The room, compacted, once its last socket here left."""
        room.sockets.discard(socket)
        if room.sockets or self.rooms.get(room.draft_id) is not room:
            return
        del self.rooms[room.draft_id]
        room.compact_soon()

    def get(self, draft_id):
        self._bind()
        return self.rooms.get(draft_id)


rooms = Rooms()
