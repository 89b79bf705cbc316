"""Group commit of the messages posted over WebSockets, per worker process.

A socket's ``post`` waits here; one task per process takes every post
waiting at that moment and stores them with ``services.message_post_many``
in one transaction on the worker's database thread (a few queries for the
whole batch, not per message), which broadcasts them once committed; only
then is each post answered. The batches are written by one thread of the
process's own, with a database connection of its own kept open between
batches (no thread-pool hop, connection check or ``SELECT 1`` per batch).
Under load the batches grow by themselves (what arrives while one batch is
written forms the next), so the database sees a transaction per batch
instead of per message; alone, a post is written at once. The drafts' live
documents store their updates in batches on the same thread (``run``).
"""

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor

from django.db import connection

from workgroups.discussion import services

logger = logging.getLogger(__name__)

MAX_BATCH = 200

# The writer's thread: one per process, holding its own connection.
_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="discussion-writer")


def _on_thread(function, *args):
    """On the writer's thread: one batch, then drop the connection if it
    failed or outlived ``CONN_MAX_AGE`` (as Django does between requests)."""
    try:
        return function(*args)
    finally:
        expired = connection.close_at is not None and time.monotonic() >= (
            connection.close_at
        )
        if connection.errors_occurred or expired:
            connection.close()


async def run(function, *args):
    """``function(*args)`` on the writer's thread and its connection: for
    batches written by other parts (the live documents' updates)."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_thread, _on_thread, function, *args)


class Writer:
    def __init__(self):
        self.loop = None
        self.queue = []
        self.wake = None
        self.task = None

    def _bind(self):
        loop = asyncio.get_running_loop()
        if self.loop is loop:
            return
        # A new event loop (a new process, or a test): start afresh on it.
        self.loop = loop
        self.queue = []
        self.wake = asyncio.Event()
        self.task = loop.create_task(self._run())

    async def post(self, *, author, room, topic_id, body, client_id):
        """``(message, created)`` once stored and committed; raises what
        ``services.message_post`` raises."""
        self._bind()
        post = services.Post(
            author=author, room=room, topic_id=topic_id, body=body, client_id=client_id
        )
        future = self.loop.create_future()
        self.queue.append((post, future))
        self.wake.set()
        return await future

    async def _run(self):
        while True:
            await self.wake.wait()
            self.wake.clear()
            while self.queue:
                batch = self.queue[:MAX_BATCH]
                del self.queue[:MAX_BATCH]
                await self._write(batch)

    async def _write(self, batch):
        try:
            await run(services.message_post_many, [post for post, _ in batch])
        except Exception as error:  # noqa: BLE001 -- every post hears of it
            for post, _ in batch:
                if post.result is None and post.error is None:
                    post.error = error
        for post, future in batch:
            if future.done():  # the socket went away meanwhile
                continue
            if post.error is not None:
                future.set_exception(post.error)
            else:
                future.set_result(post.result)


writer = Writer()
