"""The public pages' response cache (home/cache.py) answers first, before
the security, session and locale middleware: what it replays is what the
site made, in the scheme it was made for, and a publish shows at once."""

import os
import time

import pytest

from django.core.cache import cache
from django.test import Client

from home import cache as public_cache
from home.models import HomePage
from tests.pages import home_page

pytestmark = pytest.mark.django_db


def _html(client, url="/pl/"):
    return client.get(url).content.decode()


def test_a_publish_shows_at_once(client, django_assert_num_queries):
    home = home_page()
    client.get("/pl/")
    with django_assert_num_queries(0):
        client.get("/pl/")  # replayed

    home.title = "Nowy tytuł strony"
    home.save_revision().publish()

    assert "Nowy tytuł strony" in _html(client)


def test_a_purge_in_a_transaction_is_repeated_when_it_commits(
    client, django_capture_on_commit_callbacks
):
    """A page made between the purge and the commit, from the rows as they
    were, must not outlive the commit."""
    client.get("/pl/")
    with django_capture_on_commit_callbacks() as callbacks:
        public_cache.clear_public_cache()
    purged = cache.get(public_cache.GENERATION_KEY)

    for callback in callbacks:
        callback()

    assert cache.get(public_cache.GENERATION_KEY) != purged


def test_a_page_made_over_https_is_not_replayed_over_http(settings):
    settings.SECURE_HSTS_SECONDS = 3600
    secure = Client()
    assert "Strict-Transport-Security" in secure.get("/pl/", secure=True).headers
    assert "Strict-Transport-Security" in secure.get("/pl/", secure=True).headers

    plain = Client().get("/pl/")

    assert plain.status_code == 200
    assert "Strict-Transport-Security" not in plain.headers


def test_a_replay_carries_the_security_headers(client):
    made = client.get("/pl/")

    replayed = client.get("/pl/")

    for header in (
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Content-Security-Policy",
    ):
        assert replayed.headers[header] == made.headers[header]


def test_static_files_never_ask_the_page_cache(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the page cache was asked")

    monkeypatch.setattr(public_cache.cache, "get_many", refuse)

    assert client.get("/static/css/site.css").status_code == 200


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="the pages kept in memory need Redis"
)
def test_pages_kept_in_memory_follow_a_publish_in_another_process(
    client, settings, monkeypatch
):
    settings.PUBLIC_PAGE_MEMORY_CACHE = True
    monkeypatch.setattr(public_cache, "_memory", {})
    watcher = public_cache.watcher
    watcher.pid = None  # start this process's subscription now
    watcher.current()
    for _ in range(50):
        if watcher.value is not None:
            break
        time.sleep(0.05)
    client.get("/pl/")
    client.get("/pl/")

    calls = []
    real_get_many = public_cache.cache.get_many
    monkeypatch.setattr(
        public_cache.cache,
        "get_many",
        lambda keys: calls.append(keys) or real_get_many(keys),
    )
    client.get("/pl/")
    assert calls == []  # from memory, no round trip

    # Another process publishes: only Redis tells this one.
    HomePage.objects.filter(pk=home_page().pk).update(
        title="Opublikowane gdzie indziej"
    )
    value = time.time_ns()
    cache.set(public_cache.GENERATION_KEY, value, None)
    watcher._client().publish(watcher._channel(), value)
    for _ in range(50):
        if watcher.value == value:
            break
        time.sleep(0.02)

    assert "Opublikowane gdzie indziej" in _html(client)
