"""The simulated authors of ``make bench-coediting`` (bench/coediting.py):
pycrdt replicas speaking the y-protocols sync and awareness messages over a
WebSocket, to the site (``/ws/drafts/<id>/``, frames as they are) or to
Hocuspocus (each frame after the document's name, and an authentication
message first). Each author edits twice a second at a random place; the
latency of an edit is measured at every other author from the moment it was
sent to the moment it is integrated into that author's replica (its sender's
clock in the replica's state vector reached the edit's)."""

import asyncio
import bisect
import json
import os
import random
import string
import time

import websockets
from pycrdt import Doc, write_var_uint
from websockets.asyncio.client import connect

import django

# The authors read a draft's blocks with the site's own converter, which
# builds on Wagtail's blocks: they need the site's settings loaded.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platforma.settings.dev")
django.setup()

from documents.live import convert, protocol  # noqa: E402

AUTH, AUTHENTICATED = 2, 2  # Hocuspocus's message type and its reply


def state_vector(doc):
    """``{client id: clock}`` of what ``doc`` has integrated. Read here
    rather than with pycrdt's ``Decoder``: every author reads it at every
    frame, and the authors' process is a bottleneck of both sides."""
    numbers, value, shift = [], 0, 0
    for byte in doc.get_state():
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            numbers.append(value)
            value, shift = 0, 0
        else:
            shift += 7
    return dict(zip(numbers[1::2], numbers[2::2], strict=True))


def document_text(doc):
    """What two replicas must agree on: each block's name, attributes (in
    one order: the XML form keeps the order each replica met them in) and
    text."""
    return [
        (block.tag, sorted(dict(block.attributes).items()), str(block.children[0]))
        for block in convert.fragment(doc).children
    ]


class Run:
    """The edits of one step and when each arrived where."""

    def __init__(self, authors_count):
        self.expected_receivers = authors_count - 1
        self.edits = {}  # client id -> ([end clocks], [send times])
        self.latencies = []
        self.sent = 0
        self.arrived = 0
        self.errors = []
        self.resyncs = 0

    def sent_edit(self, client_id, clock, when):
        clocks, times = self.edits.setdefault(client_id, ([], []))
        clocks.append(clock)
        times.append(when)
        self.sent += 1

    def integrated(self, client_id, old, new, now):
        """``client_id``'s edits whose end clock is in ``(old, new]``
        arrived at one replica ``now``."""
        clocks, times = self.edits.get(client_id, ((), ()))
        start = bisect.bisect_right(clocks, old)
        end = bisect.bisect_right(clocks, new)
        for index in range(start, end):
            self.latencies.append((now - times[index]) * 1000)
        self.arrived += end - start

    @property
    def expected(self):
        return self.sent * self.expected_receivers


class Author:
    """One replica behind one socket. ``name``: the Hocuspocus document
    (None: the site, with ``cookie``)."""

    def __init__(self, url, run, *, cookie=None, name=None):
        self.url, self.run, self.cookie = url, run, cookie
        self.doc = Doc()
        self.client_id = self.doc.client_id
        self.prefix = b"" if name is None else _var_string(name)
        self.clock = 0
        self.seen = {}
        self.socket = None
        self.reader = None
        self.synced = asyncio.Event()

    async def open(self):
        origin = "http://" + self.url.split("/")[2]
        headers = {"Cookie": self.cookie} if self.cookie else {}
        self.socket = await connect(
            self.url,
            origin=origin,
            additional_headers=headers,
            compression=None,
            max_queue=None,
            max_size=None,
            open_timeout=120,
            ping_interval=None,
        )
        self.reader = asyncio.get_running_loop().create_task(self._read())
        if self.prefix:  # Hocuspocus: a token (none is checked) first
            await self.socket.send(self.prefix + bytes([AUTH, 0, 0]))
        await self._send(protocol.step1(self.doc))
        state = {"user": {"name": f"author {self.client_id}"}, "cursor": None}
        payload = protocol.awareness_payload([(self.client_id, 1, state)])
        await self._send(protocol.awareness_message(payload))

    async def _send(self, frame):
        try:
            await self.socket.send(self.prefix + frame)
        except websockets.ConnectionClosed as closed:
            self.run.errors.append(f"closed: {closed}")

    async def _read(self):
        try:
            async for frame in self.socket:
                now = time.perf_counter()
                if isinstance(frame, str):
                    await self._notice(json.loads(frame))
                    continue
                if not frame.startswith(self.prefix):
                    continue
                frame = frame[len(self.prefix) :]
                if frame[0] not in (protocol.SYNC, protocol.AWARENESS):
                    continue  # Hocuspocus: authenticated, sync status
                await self._handle(frame, now)
        except websockets.ConnectionClosed:
            pass
        except Exception as error:  # noqa: BLE001 -- counted, not hidden
            self.run.errors.append(f"reader: {error!r}")
            raise

    async def _notice(self, notice):
        """The site's: an error, or "resync"/"status" (the hub lost events
        for this socket, or Redis came back): ask again with a step 1."""
        if notice.get("type") == "error":
            self.run.errors.append(notice.get("code"))
        elif notice.get("type") in ("resync", "status"):
            self.run.resyncs += 1
            await self._send(protocol.step1(self.doc))

    async def _handle(self, frame, now):
        kind, step, payload = protocol.parse(frame)
        if kind != protocol.SYNC:
            return
        if step == protocol.STEP1:
            await self._send(protocol.step2(self.doc, payload))
            return
        self.doc.apply_update(payload)
        if step == protocol.STEP2:
            self.synced.set()
        for client_id, clock in state_vector(self.doc).items():
            old = self.seen.get(client_id, 0)
            if clock > old:
                self.seen[client_id] = clock
                if client_id != self.client_id:
                    self.run.integrated(client_id, old, clock, now)

    async def edit(self, rng):
        """Two letters at a random place of a random block."""
        blocks = convert.fragment(self.doc).children
        text = blocks[rng.randrange(len(blocks))].children[0]
        letters = "".join(rng.choice(string.ascii_lowercase) for _ in range(2))
        before = self.doc.get_state()
        text.insert(rng.randint(0, len(text)), letters)
        self.clock = state_vector(self.doc)[self.client_id]
        self.seen[self.client_id] = self.clock
        update = self.doc.get_update(before)
        self.run.sent_edit(self.client_id, self.clock, time.perf_counter())
        await self._send(protocol.update_message(update))

    def behind(self, authors):
        """1 if this replica lacks any other author's last edit."""
        vector = state_vector(self.doc)
        return int(any(vector.get(a.client_id, 0) < a.clock for a in authors))

    async def close(self):
        await self.socket.close()
        self.reader.cancel()


def _var_string(text):
    data = text.encode()
    return bytes(write_var_uint(len(data))) + data


async def open_all(authors, batch=20):
    """``batch`` at a time, then until every one is synced."""
    for start in range(0, len(authors), batch):
        await asyncio.gather(*(author.open() for author in authors[start:][:batch]))
    await asyncio.wait_for(
        asyncio.gather(*(author.synced.wait() for author in authors)), 120
    )


async def type_for(authors, seconds, rate=2.0, seed=13):
    """Every author edits ``rate`` times a second for ``seconds``, each at
    a phase of its own."""
    start = time.perf_counter()

    async def one(author, rng):
        phase = rng.random() / rate
        for number in range(int(seconds * rate)):
            await asyncio.sleep(
                max(0, start + phase + number / rate - time.perf_counter())
            )
            await author.edit(rng)

    await asyncio.gather(
        *(one(author, random.Random(seed + n)) for n, author in enumerate(authors))  # noqa: S311
    )


async def wait_arrivals(run, timeout):
    """Until every edit reached every other author, or ``timeout``."""
    deadline = time.perf_counter() + timeout
    while run.arrived < run.expected and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
