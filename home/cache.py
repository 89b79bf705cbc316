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
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends import redis as django_redis
from django.core.signals import request_finished, request_started
from django.http import HttpResponse

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
        value = cache.get(GENERATION_KEY)
    if value is None:
        value = time.time_ns()
        cache.add(GENERATION_KEY, value, None)
        value = cache.get(GENERATION_KEY, value)
    if in_request:
        _seen.value = value
    return value


def clear_public_cache(**kwargs):
    """Forget every stored public response (a signal receiver)."""
    _seen.value = None
    cache.set(GENERATION_KEY, time.time_ns(), None)


def cached_value(name, build):
    """``build()``, remembered until the public content changes."""
    key = f"public-pages:{generation()}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, settings.PUBLIC_PAGE_CACHE_SECONDS)
    return value


def mark_cacheable(request, response):
    """Called by a page's ``serve``: this response may be replayed to any
    anonymous reader of the same URL."""
    if not request.user.is_authenticated:
        response.public_page_cacheable = True
    return response


def _may_use_cache(request):
    return (
        settings.PUBLIC_PAGE_RESPONSE_CACHE
        and request.method in ("GET", "HEAD")
        and not request.GET
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _key(request):
    # Stored compressed or not, as the reader's browser asked: GZipMiddleware
    # runs inside this one.
    encoding = "gzip" if "gzip" in request.headers.get("Accept-Encoding", "") else ""
    digest = hashlib.sha256(
        f"{request.get_host()}{request.path}{encoding}".encode()
    ).hexdigest()
    return f"public-pages:response:{digest}"


class PublicPageCacheMiddleware:
    """Replays stored public-page responses to readers without a session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _may_use_cache(request):
            return self.get_response(request)
        # One round trip: the stored response and the current generation; a
        # response stored under an older generation is stale.
        key = _key(request)
        found = cache.get_many([GENERATION_KEY, key])
        if getattr(_seen, "in_request", False):
            _seen.value = found.get(GENERATION_KEY)
        current = found.get(GENERATION_KEY) or generation()
        stored = found.get(key)
        if stored is not None and stored[0] == current:
            _generation, status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response.headers[name] = value
            return response
        response = self.get_response(request)
        if (
            getattr(response, "public_page_cacheable", False)
            and response.status_code == 200
            and not response.cookies
            and not response.streaming
            and "'nonce-" not in response.headers.get("Content-Security-Policy", "")
        ):
            headers = [
                (name, value)
                for name, value in response.headers.items()
                if name.lower() not in _NOT_STORED
            ]
            cache.set(
                key,
                (current, response.status_code, headers, response.content),
                settings.PUBLIC_PAGE_CACHE_SECONDS,
            )
        return response
