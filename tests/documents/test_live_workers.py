"""Two worker processes on Redis share a draft's live document
(docs/subsystems/co-editing.md): clients of each type into the same paragraph at
once and every replica and the stored document converge; one worker is
killed mid-edit, its client keeps typing, reconnects to the other worker,
and nothing is lost."""

import asyncio
import subprocess

import pytest
from pycrdt import Doc
from websockets.asyncio.client import connect

from deploy.servers import (
    BASE_DIR,
    asgi_command,
    free_port,
    redis_server,
    stop,
    wait_for_port,
)
from documents.live import convert, protocol, store
from tests.documents.helpers import group_with_draft
from tests.documents.live_helpers import readable
from tests.utils import site_environment
from tests.workgroups.discussion_helpers import (
    keep_migrated_data,  # noqa: F401 -- used through usefixtures
    session_cookie,
)
from tests.workgroups.factories import MembershipFactory
from workgroups.models import Membership

pytestmark = [
    pytest.mark.multiprocess,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("keep_migrated_data"),
]


class Worker:
    def __init__(self, redis_url):
        env = site_environment(REDIS_URL=redis_url, SEARCH_PRELOAD="0")
        self.port = free_port()
        self.process = subprocess.Popen(  # noqa: S603 - our own command
            asgi_command(self.port),
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port, self.process, timeout=120)

    def kill(self):
        self.process.kill()
        self.process.wait()


class Client:
    """A pycrdt replica behind a real WebSocket, as the browser's editor."""

    def __init__(self, cookie, draft_id):
        self.cookie, self.draft_id = cookie, draft_id
        self.doc, self.socket, self.reader = Doc(), None, None

    async def open(self, port):
        self.socket = await connect(
            f"ws://127.0.0.1:{port}/ws/drafts/{self.draft_id}/",
            origin=f"http://127.0.0.1:{port}",
            additional_headers={"Cookie": self.cookie},
            max_size=None,
        )
        self.reader = asyncio.get_running_loop().create_task(self._read())
        await self.socket.send(protocol.step1(self.doc))

    async def _read(self):
        async for frame in self.socket:
            if isinstance(frame, str):
                continue
            kind, step, payload = protocol.parse(frame)
            if kind != protocol.SYNC:
                continue
            if step == protocol.STEP1:
                await self.socket.send(protocol.step2(self.doc, payload))
            else:
                self.doc.apply_update(payload)

    async def type(self, word, send=True):
        """Types ``word`` at the start of the second block's text."""
        before = self.doc.get_state()
        convert.fragment(self.doc).children[1].children[0].insert(0, word)
        if send:
            update = self.doc.get_update(before)
            await self.socket.send(protocol.update_message(update))

    async def close(self):
        self.reader.cancel()
        await self.socket.close()


def _world():
    author, draft = group_with_draft("# Diagnoza\n\nWspólny akapit.")
    chair = MembershipFactory(group=draft.group, role=Membership.Role.CHAIR)
    return draft.pk, session_cookie(author.user), session_cookie(chair.user)


async def _settle(clients, draft_id, timeout=30):
    """Waits until every replica and the stored document hold one text."""
    from channels.db import database_sync_to_async

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        stored = readable(await database_sync_to_async(store.load_doc)(draft_id))
        texts = {readable(client.doc) for client in clients}
        if texts == {stored} or loop.time() > deadline:
            return stored, texts
        await asyncio.sleep(0.2)


def test_two_workers_converge_and_a_killed_worker_loses_nothing():
    draft_id, expert_cookie, chair_cookie = _world()
    words_a = [f"a{n} " for n in range(30)]
    words_b = [f"b{n} " for n in range(30)]

    async def scenario(first, second):
        a = Client(expert_cookie.decode(), draft_id)
        b = Client(chair_cookie.decode(), draft_id)
        await a.open(first.port)
        await b.open(second.port)
        await asyncio.sleep(1)  # both synced
        for word_a, word_b in zip(words_a[:20], words_b[:20], strict=True):
            await asyncio.gather(a.type(word_a), b.type(word_b))
        converged = await _settle([a, b], draft_id)
        for word_a, word_b in zip(words_a[20:25], words_b[20:25], strict=True):
            await asyncio.gather(a.type(word_a), b.type(word_b))
        first.kill()  # mid-edit: a's last words may never have arrived
        for word in words_a[25:]:
            await a.type(word, send=False)  # typed while disconnected
        await a.close()
        await a.open(second.port)  # reconnects to the other worker
        for word in words_b[25:]:
            await b.type(word)
        after = await _settle([a, b], draft_id)
        await a.close()
        await b.close()
        return converged, after

    with redis_server() as redis:
        first, second = Worker(redis.url), Worker(redis.url)
        try:
            converged, (stored, texts) = asyncio.run(scenario(first, second))
        finally:
            stop(first.process)
            stop(second.process)

    assert converged[1] == {converged[0]}
    assert texts == {stored}
    for word in words_a + words_b:
        assert word in stored
