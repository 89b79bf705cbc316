"""A whole-response cache for public pages, for anonymous readers only.

Only a response that a page's ``serve`` marked (an anonymous reader, a page
that passed Wagtail's view-restriction checks) is stored. Every stored value
carries the generation number it was made under; publishing, unpublishing,
moving or deleting a page, changing a view restriction or an info point bumps
it, so a published change
shows at once and a page that became private is never served from the cache
(docs/security.md, AC-11, HD-04).
"""

import hashlib
import logging
import os
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends import redis as django_redis
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.http import HttpResponse

logger = logging.getLogger(__name__)

GENERATION_KEY = "public-pages:generation"
# Headers that belong to one response only and must never be replayed.
_NOT_STORED = {"set-cookie", "content-length", "date"}


class ReusedClientRedisCacheClient(django_redis.RedisCacheClient):
    """Django's Redis cache client builds a ``redis.Redis`` object for every
    cache operation; this one keeps one per connection pool (they are
    thread-safe), so a request no longer constructs a client per read."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    """The site's cache backend on Redis (``CACHES`` in the settings; named
    as Django's, which ``discussion/gate.py`` recognises)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient


# Within one HTTP request the generation is read once (each request starts
# afresh, and nothing outside a request keeps it): the fragments a page
# remembers cost one round trip each, not two.
_seen = threading.local()


def _request_starts(**kwargs):
    _seen.value = None
    _seen.in_request = True


def _request_ends(**kwargs):
    _seen.value = None
    _seen.in_request = False


request_started.connect(_request_starts, dispatch_uid="home.cache.request_started")
request_finished.connect(_request_ends, dispatch_uid="home.cache.request_finished")


def generation():
    in_request = getattr(_seen, "in_request", False)
    value = _seen.value if in_request else None
    if value is None:
        value = generation_now()
    if in_request:
        _seen.value = value
    return value


def clear_public_cache(**kwargs):
    """Forget every stored public response (a signal receiver): at once, and
    again when the transaction that made the change commits — a page made
    in between, from the rows as they were, is then forgotten too."""
    _new_generation()
    transaction.on_commit(_new_generation, robust=True)


def _new_generation():
    _seen.value = None
    value = time.time_ns()
    cache.set(GENERATION_KEY, value, None)
    watcher.announce(value)


class GenerationWatcher:
    """This process's copy of the public generation, kept current by a
    subscription to its changes (Redis pub/sub), so that a page kept in this
    process's memory is replayed without a round trip to Redis. Trusted only
    while the subscription is up: otherwise every hit asks Redis, as before.
    A change made in another process reaches this one as fast as Redis
    delivers the message (well under a millisecond on one host)."""

    def __init__(self):
        self.value = None
        self.pid = None
        self.lock = threading.Lock()

    def _channel(self):
        return cache.make_key("public-pages:changes")

    def _client(self):
        backend = getattr(cache, "_cache", None)
        if not isinstance(backend, ReusedClientRedisCacheClient):
            return None
        return backend.get_client(write=True)

    def current(self):
        """The generation if this process may trust its copy, else None."""
        if not settings.PUBLIC_PAGE_MEMORY_CACHE:
            return None
        if self.pid != os.getpid():
            self._start()
        return self.value

    def _start(self):
        with self.lock:
            if self.pid == os.getpid():
                return
            self.pid, self.value = os.getpid(), None
            if self._client() is not None:
                threading.Thread(
                    target=self._listen, name="public-generation", daemon=True
                ).start()

    def _listen(self):
        while True:
            try:
                self._follow(self._client().pubsub(ignore_subscribe_messages=True))
            except Exception:  # noqa: BLE001 - any failure: distrust, retry
                logger.warning("public page generation: subscription lost")
            self.value = None
            time.sleep(1)

    def _follow(self, pubsub):
        pubsub.subscribe(self._channel())
        pubsub.get_message(timeout=5)  # the subscription's confirmation
        # Read after subscribing: no change can fall between the two.
        self.value = generation_now()
        for message in pubsub.listen():
            if message["type"] == "message":
                self.value = int(message["data"])

    def announce(self, value):
        client = self._client()
        if client is not None:
            client.publish(self._channel(), value)
            if self.value is not None:
                self.value = value


watcher = GenerationWatcher()
# Responses kept in this process's memory, by key: (kept until, stored).
# Each is looked up in Redis again after MEMORY_SECONDS, so that a change
# whose announcement was lost (Redis emptied, a message dropped) shows
# within that time.
_memory = {}
_MEMORY_MAX = 500
MEMORY_SECONDS = 5


def generation_now():
    """The generation as Redis has it now (created, and announced, if
    unknown)."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        if cache.add(GENERATION_KEY, time.time_ns(), None):
            watcher.announce(cache.get(GENERATION_KEY))
        value = cache.get(GENERATION_KEY)
    return value


def cached_value(name, build):
    """``build()``, remembered until the public content changes."""
    key = f"public-pages:{generation()}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, settings.PUBLIC_PAGE_CACHE_SECONDS)
    return value


def mark_cacheable(request, response):
    """Called by a page's ``serve`` once Wagtail's view restrictions let the
    reader in: this response may be replayed to any anonymous reader of the
    same URL; made for a signed-in reader, to the same session while nothing
    it shows has changed (the workspace's page cache, configured in the
    settings' ``MIDDLEWARE``)."""
    if request.user.is_authenticated:
        response.member_page_cacheable = True
    else:
        response.public_page_cacheable = True
    return response


def _may_use_cache(request):
    return (
        settings.PUBLIC_PAGE_RESPONSE_CACHE
        and request.method in ("GET", "HEAD")
        # Static files are WhiteNoise's, further in (no round trip for them).
        and not request.path.startswith(settings.STATIC_URL)
        and not request.GET
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _key(request):
    # Stored compressed or not, as the reader's browser asked: GZipMiddleware
    # runs inside this one.
    encoding = "gzip" if "gzip" in request.headers.get("Accept-Encoding", "") else ""
    # The scheme too: this middleware runs before SecurityMiddleware, whose
    # headers (HSTS over HTTPS only) are stored with the page.
    digest = hashlib.sha256(
        f"{request.scheme}{request.get_host()}{request.path}{encoding}".encode()
    ).hexdigest()
    return f"public-pages:response:{digest}"


class PublicPageCacheMiddleware:
    """Replays stored public-page responses to readers without a session.
    It is the first middleware: a hit costs no session, CSRF, locale or
    security middleware (the stored response carries their headers)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _may_use_cache(request):
            return self.get_response(request)
        key = _key(request)
        # No round trip if this process keeps the page and its copy of the
        # generation is trusted.
        trusted = watcher.current()
        kept = _memory.get(key)
        if (
            trusted is not None
            and kept is not None
            and kept[1][0] == trusted
            and kept[0] > time.monotonic()
        ):
            return _replay(kept[1])
        # One round trip: the stored response and the current generation; a
        # response stored under an older generation is stale.
        found = cache.get_many([GENERATION_KEY, key])
        if getattr(_seen, "in_request", False):
            _seen.value = found.get(GENERATION_KEY)
        current = found.get(GENERATION_KEY) or generation()
        stored = found.get(key)
        if stored is not None and stored[0] == current:
            _keep(key, stored)
            return _replay(stored)
        response = self.get_response(request)
        if (
            getattr(response, "public_page_cacheable", False)
            and response.status_code == 200
            and not response.cookies
            and not response.streaming
            and "'nonce-" not in response.headers.get("Content-Security-Policy", "")
        ):
            stored = (
                current,
                response.status_code,
                stored_headers(response),
                response.content,
            )
            cache.set(key, stored, settings.PUBLIC_PAGE_CACHE_SECONDS)
            _keep(key, stored)
        return response


def _keep(key, stored):
    """Keep a response in this process's memory too (bounded: emptied when
    full)."""
    if not settings.PUBLIC_PAGE_MEMORY_CACHE:
        return
    if len(_memory) >= _MEMORY_MAX:
        _memory.clear()
    _memory[key] = (time.monotonic() + MEMORY_SECONDS, stored)


def _replay(stored):
    _generation, status, headers, content = stored
    return replayed(status, headers, content)


def stored_headers(response):
    """The response's headers that may be replayed (none that belong to one
    response only)."""
    return [
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in _NOT_STORED
    ]


def replayed(status, headers, content):
    """A response made again from what was stored of one."""
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response.headers[name] = value
    return response
