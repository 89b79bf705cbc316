"""The live documents this worker process holds: one ``Room`` per draft
with sockets here, its pycrdt document, who is in it (awareness), and the
compaction of its stored updates. Rooms of several processes share their
updates and awareness through the drafts' hub (``drafts_hub``: the
discussion's hub on channels of its own); each room takes in what the hub
brings once, as it arrives, whatever its sockets' outboxes do.

Updates are stored by group commit: what the room's sockets send while a
batch is being written waits, and is then checked, stored in one
transaction on the discussion's writer thread, applied and published as
one merged update; only then is each sender answered."""

import asyncio
import base64
import json
import logging

from channels.db import database_sync_to_async
from pycrdt import Doc, merge_updates

from documents.live import protocol, store, suggestions
from workgroups import page_cache
from workgroups.discussion import writer
from workgroups.discussion.hub import Hub

logger = logging.getLogger(__name__)

COMPACT_EVERY = 500  # stored updates; and when the last socket leaves
MAX_BATCH = 500  # updates stored in one transaction


def encode(data):
    return base64.b64encode(data).decode("ascii")


def decode(text):
    return base64.b64decode(text.encode("ascii"), validate=True)


def publish_update(draft_id, update):
    """An update the server made (a saved or restored version) to every
    socket of the draft, in every process."""
    drafts_hub.publish(draft_id, update_event(update, senders=[]))


def update_event(update, *, senders):
    """``senders``: the connections whose updates it holds (they have it)."""
    return {"type": "update", "data": encode(update), "from": senders}


def _store_and_publish(room, rows, event, only_suggestions):
    """On the writer's thread: stored and committed, then published. A
    draft is shown to its group's members only: their workspace pages alone
    are made afresh (workgroups/page_cache.py)."""
    with page_cache.writes_of_groups([room.group_id]):
        store.append_many(room.draft_id, rows, suggestions=only_suggestions)
    drafts_hub.publish(room.draft_id, event)


def _compact(room):
    with page_cache.writes_of_groups([room.group_id]):
        store.compact(room.draft_id)


class Room:
    def __init__(self, draft_id, group_id):
        self.draft_id, self.group_id = draft_id, group_id
        self.doc = Doc()
        self.sockets = set()
        self.awareness = {}  # client id -> (clock, state) of everyone in it
        self.stored = 0  # updates stored by this process since a compaction
        # (update, author id, connection id, future, only suggests)
        self.waiting = []
        self.committer = None
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

    def heard(self, text):
        """An event of the hub, taken in once per process (also this
        process's own: applying an update twice changes nothing)."""
        try:
            event = json.loads(text)
            if event.get("type") == "update":
                self.apply(decode(event["data"]))
            elif event.get("type") == "awareness":
                data = decode(event["data"])
                self.see_awareness(protocol.awareness_entries(data))
        except (ValueError, protocol.Malformed):
            logger.warning("live document %s: event not understood", self.draft_id)

    async def store(self, update, *, author_id, connection_id, only_suggests=False):
        """Once ``update`` is stored, applied and published; raises
        ``protocol.Malformed`` (refused: also a change beyond suggestions
        from someone who ``only_suggests``), ``store.ReadOnly`` or a
        database error (nothing of it kept)."""
        future = asyncio.get_running_loop().create_future()
        self.waiting.append((update, author_id, connection_id, future, only_suggests))
        if self.committer is None or self.committer.done():
            self.committer = asyncio.get_running_loop().create_task(self._commit())
        await future

    async def _commit(self):
        while self.waiting:
            batch = self.waiting[:MAX_BATCH]
            del self.waiting[:MAX_BATCH]
            try:
                await self._commit_batch(batch)
            except Exception as error:  # noqa: BLE001 -- every sender hears of it
                for waiting in batch:
                    _refuse(waiting, error)

    async def _commit_batch(self, batch):
        batch = self._checked(batch)
        if not batch:
            return
        updates = [update for update, *_ in batch]
        merged = updates[0] if len(updates) == 1 else merge_updates(*updates)
        event = update_event(merged, senders=[each[2] for each in batch])
        rows = [(update, author_id) for update, author_id, *_ in batch]
        only_suggestions = all(each[4] for each in batch)
        await writer.run(_store_and_publish, self, rows, event, only_suggestions)
        self.apply(merged)
        for each in batch:
            if not each[3].done():
                each[3].set_result(None)
        self.stored_many(len(batch))

    def _checked(self, batch):
        """The updates of ``batch`` that keep the document a draft's, make
        suggestions only in their sender's name and, from someone who only
        suggests, change nothing but suggestions; the others' senders are
        answered ``Malformed``. All at once on one copy when nobody in the
        batch only suggests, one by one otherwise or when that fails."""
        try:
            after = protocol.checked_update(self.doc, *(each[0] for each in batch))
            if not any(each[4] for each in batch) and suggestions.new_authors(
                self.doc, after
            ) <= {each[1] for each in batch}:
                return batch
        except protocol.Malformed as bad:
            if len(batch) == 1:
                _refuse(batch[0], bad)
                return []
        kept, doc = [], self.doc
        for each in batch:
            try:
                after = protocol.checked_update(doc, each[0])
                suggestions.check_update(
                    doc, after, author_id=each[1], only_suggests=each[4]
                )
            except protocol.Malformed as bad:
                _refuse(each, bad)
                continue
            kept.append(each)
            doc = after
        return kept

    def see_awareness(self, entries):
        for client, clock, state in entries:
            if state is None:
                self.awareness.pop(client, None)
            else:
                self.awareness[client] = (clock, state)

    def stored_many(self, count):
        self.stored += count
        if self.stored >= COMPACT_EVERY:
            self.compact_soon()

    def compact_soon(self):
        if self.compaction is not None and not self.compaction.done():
            return
        self.stored = 0
        self.compaction = asyncio.get_running_loop().create_task(self._compact())

    async def _compact(self):
        try:
            await database_sync_to_async(_compact)(self)
        except Exception:  # noqa: BLE001 -- the rows stay; the next one merges them
            logger.warning("live document %s: compaction failed", self.draft_id)


def _refuse(waiting, error):
    future = waiting[3]
    if not future.done():
        future.set_exception(error)


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
            room = self.rooms[draft_id] = Room(draft_id, socket.group_id)
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


class DraftsHub(Hub):
    """The discussion's hub, whose rooms take in each event once."""

    def _deliver(self, room_id, text):
        room = rooms.get(room_id)
        if room is not None:
            room.heard(text)
        super()._deliver(room_id, text)


drafts_hub = DraftsHub("drafts")
