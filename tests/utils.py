"""Helpers for tests that start processes of the site's own."""

import os
import subprocess
import sys
from urllib.parse import quote

from django.db import connection

from deploy.servers import BASE_DIR, asgi_servers


def test_database_url():
    """A DATABASE_URL naming the test database this pytest run created, so
    that a server process of the test's own reads the same data."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    credentials = quote(settings["USER"] or "")
    if settings["PASSWORD"]:
        credentials += ":" + quote(settings["PASSWORD"])
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or 5432
    return f"postgres://{credentials}@{host}:{port}/{settings['NAME']}"


def site_environment(**extra):
    """The environment of a child process running the site on the test
    database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "platforma.settings.test",
        "DATABASE_URL": test_database_url(),
    }
    # Set for the browser tests' own process only; never for the site.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(extra)
    return env


def run_manage(*args, env=None, timeout=120):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env or site_environment(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def workers(count, redis_url):
    """``count`` uvicorn processes of the site on the test database and the
    given Redis (a context manager yielding their ports)."""
    # They serve WebSockets only: no search dictionaries (seconds of CPU each).
    env = site_environment(REDIS_URL=redis_url, SEARCH_PRELOAD="0")
    return asgi_servers(count, env)
