"""The access check of a live connection, at every frame and on demand.

A socket is admitted by a look at the database (``access.socket_verdict``:
the session it was opened with, the account, the membership). After that,
each frame compares the person's *access generation* in the shared cache
with the one read before the socket's last look: any change that can end
access moves it (``access.invalidate``, from the models' signals, in
whichever process made the change), so a socket that missed the live
"check again" event is still refused at its next frame. The comparison is
one cache read, on the event loop when the cache is Redis; the database is
asked again only when the generation moved, or when the last look is older
than ``access.TRUST_SECONDS`` (changes made around the ORM), or when the
cache cannot answer (then every frame asks the database: the gate fails
towards checking, never towards trusting).

The generation is read *before* the database: a change committed after
that read moves the generation again, so a stale verdict never outlives it.
"""

import asyncio
import logging
import time

import redis.asyncio as aioredis
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async

from django.conf import settings

from workgroups import access

logger = logging.getLogger(__name__)

CACHE_BUDGET = 0.5  # seconds a frame waits for the cache before asking the DB


class _CacheRedis:
    """This event loop's client of the Django cache's Redis (None when the
    cache is not on Redis): the flood limit and the gate read the cache on
    the event loop, without a thread per frame."""

    def __init__(self):
        self.loop, self.client = None, None

    def get(self):
        config = settings.CACHES["default"]
        if not config["BACKEND"].endswith(".RedisCache"):
            return None
        loop = asyncio.get_running_loop()
        if self.loop is not loop:
            self.client = aioredis.Redis.from_url(
                config["LOCATION"], socket_connect_timeout=CACHE_BUDGET
            )
            self.loop = loop
        return self.client


cache_redis = _CacheRedis()


class AccessGate:
    """One socket's access to a group; ``check`` before every frame."""

    def __init__(self, *, user_id, session_key, group_id):
        self.user_id, self.session_key, self.group_id = user_id, session_key, group_id
        self.generation = None
        self.looked_at = 0.0
        self.verdict = access.Verdict(None, access.CLOSE_NOT_MEMBER)

    async def check(self):
        """The verdict for the next frame."""
        generation = await self._generation()
        if (
            generation is not None
            and generation == self.generation
            and time.monotonic() - self.looked_at < access.TRUST_SECONDS
        ):
            return self.verdict
        return await self._look(generation)

    async def recheck(self):
        """A fresh look at the database (at connect, or when told that the
        person's access may have changed)."""
        return await self._look(await self._generation())

    async def _look(self, generation):
        self.verdict = await database_sync_to_async(access.socket_verdict)(
            user_id=self.user_id,
            session_key=self.session_key,
            group_id=self.group_id,
        )
        self.generation = generation
        self.looked_at = time.monotonic()
        return self.verdict

    async def _generation(self):
        """The person's access generation, or None if the cache cannot say
        (then the database decides)."""
        try:
            return await asyncio.wait_for(self._read(), timeout=CACHE_BUDGET)
        except TimeoutError:
            logger.warning("access gate: cache too slow; asking the database")
        except Exception:  # noqa: BLE001 -- a cache outage must not trust
            logger.warning("access gate: cache unavailable; asking the database")
        return None

    async def _read(self):
        client = cache_redis.get()
        if client is not None:
            raw = await client.get(access.generation_cache_key(self.user_id))
            if raw is not None:
                return int(raw)
        # Another cache, or no generation yet (then one is made).
        return await sync_to_async(access.generation, thread_sensitive=False)(
            self.user_id
        )
