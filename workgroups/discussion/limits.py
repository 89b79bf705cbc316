"""Flood limits of the discussion's sockets: per person, in each worker
process (``RateLimit``, in memory) and over all of them together
(``SharedRateLimit``, in the Django cache). The consumer decides the numbers
(``consumers.RATE_BURST``)."""

import asyncio
import logging
import time

from asgiref.sync import sync_to_async

from django.core.cache import cache

from workgroups.discussion.gate import cache_redis

logger = logging.getLogger(__name__)


class RateLimit:
    """A token bucket per key: ``burst`` frames at once, then ``rate``/s."""

    def __init__(self, burst, rate):
        self.burst, self.rate = burst, rate
        self.buckets = {}

    def allow(self, key):
        now = time.monotonic()
        tokens, at = self.buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - at) * self.rate)
        allowed = tokens >= 1
        self.buckets[key] = (tokens - 1 if allowed else tokens, now)
        return allowed


class SharedRateLimit:
    """At most ``limit`` frames per person in any ``window`` seconds, counted
    in the Django cache, which all worker processes share: a sliding window
    estimated from two fixed ones (this one's count plus the previous one's,
    weighted by how much of it still lies within the window). Refused frames
    are not counted. If the cache fails or takes longer than ``budget``, the
    shared check is skipped for a few seconds (the in-process limit still
    applies) and the socket lives.

    On a Redis cache the count is one pipelined round trip on the event loop
    (same keys as the cache's): a thread per frame would wait for the GIL
    behind the fan-out and put tens of milliseconds on a message's way."""

    def __init__(self, limit, window, *, pause=5.0, budget=0.5):
        self.limit, self.window, self.pause = limit, window, pause
        self.budget = budget  # seconds a frame may wait for the cache
        self.skip_until = 0.0

    def _key(self, key, number):
        return f"discussion:flood:{key}:{number}"

    def _verdict(self, count, previous, now, number):
        weight = 1 - (now / self.window - number)
        return count + previous * weight <= self.limit

    def allow(self, key):
        """The check through the Django cache API (any cache backend)."""
        now = time.time()
        number = int(now // self.window)
        current = self._key(key, number)
        previous = cache.get(self._key(key, number - 1), 0)
        try:
            count = cache.incr(current)
        except ValueError:  # the window's first frame
            cache.add(current, 0, timeout=int(self.window * 3))
            count = cache.incr(current)
        allowed = self._verdict(count, previous, now, number)
        if not allowed:
            cache.decr(current)
        return allowed

    async def _allow_on_redis(self, client, key):
        now = time.time()
        number = int(now // self.window)
        current = cache.make_key(self._key(key, number))
        pipeline = client.pipeline(transaction=False)
        pipeline.incr(current)
        pipeline.expire(current, int(self.window * 3))
        pipeline.get(cache.make_key(self._key(key, number - 1)))
        count, _, previous = await pipeline.execute()
        allowed = self._verdict(count, int(previous or 0), now, number)
        if not allowed:
            await client.decr(current)
        return allowed

    async def _allow(self, key):
        client = cache_redis.get()
        if client is None:
            # Never the event loop, never the database thread.
            return await sync_to_async(self.allow, thread_sensitive=False)(key)
        return await self._allow_on_redis(client, key)

    async def allowed(self, key):
        if time.monotonic() < self.skip_until:
            return True
        try:
            return await asyncio.wait_for(self._allow(key), timeout=self.budget)
        except TimeoutError:
            logger.warning("discussion flood limit: cache too slow, skipped")
        except Exception:  # noqa: BLE001 -- a cache outage must not end sockets
            logger.warning("discussion flood limit: cache unavailable", exc_info=True)
        self.skip_until = time.monotonic() + self.pause
        return True
