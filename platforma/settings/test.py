"""The test suite: SQLite by default, PostgreSQL and Redis when the environment
names them (``DATABASE_URL``, ``REDIS_URL``), as ``.ci/run`` does."""

import hashlib
import os
import tempfile
from urllib.parse import urlsplit

from .base import *  # noqa: F403

# Scratch places of this checkout's own, so that two checkouts can run their
# suites side by side; and of each pytest-xdist worker (``make test`` runs
# two), whose server processes inherit its name from the environment.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_CHECKOUT = hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:8]
_SCRATCH = f"{_CHECKOUT}-{_WORKER}" if _WORKER else _CHECKOUT


CACHE_KEY_PREFIX = f"platforma-test-{_SCRATCH}"


def cache_location(redis_url):
    """The cache's database on the Redis server at ``redis_url``: 8 above
    the one named, and one more for each xdist worker after the first, as
    clearing the cache between tests flushes that whole database. The site's
    processes a test starts on a Redis server of its own use the same."""
    redis = urlsplit(redis_url)
    worker_number = int(_WORKER.removeprefix("gw") or 0)
    cache_db = int(redis.path.strip("/") or 0) + 8 + worker_number
    return redis._replace(path=f"/{cache_db}").geturl()


SECRET_KEY = "test-only-not-secret-platforma-wspolpracy"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Mails go through the outbox into Django's test outbox (``mail.outbox``).
OUTBOX_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
BASE_URL = WAGTAILADMIN_BASE_URL = WAGTAILAPI_BASE_URL = "http://testserver"

# Browser tests run the site in a server process of their own, which must see
# the test database: a file, not SQLite's in-memory database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _name = f".test-db-{_WORKER}.sqlite3" if _WORKER else ".test-db.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / _name)}
    # Readers and the writer of both processes do not block each other.
    # Transactions take the write lock when they begin, so that a writer in
    # another process waits for it instead of failing (several workers).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif _WORKER:
    DATABASES["default"]["TEST"] = {
        "NAME": f"test_{DATABASES['default']['NAME']}_{_WORKER}"
    }
DATABASES["default"]["CONN_MAX_AGE"] = 0

if not REDIS_URL:
    # Shared with the browser tests' server process, and cleared between tests.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(
                Path(tempfile.gettempdir()) / f"platforma-test-cache-{_SCRATCH}"
            ),
        }
    }
else:
    CACHES["default"]["LOCATION"] = cache_location(REDIS_URL)
    # Keys and the public pages' pub/sub channel (home/cache.py) apart from
    # the other workers' and checkouts' (channels span a server's databases).
    CACHES["default"]["KEY_PREFIX"] = CACHE_KEY_PREFIX
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = f"platforma-test-{_SCRATCH}"
# Each test empties the cache, which announces no change to the public pages
# a server process keeps in memory (home/cache.py; its own test enables it).
PUBLIC_PAGE_MEMORY_CACHE = False
# The discussion hub's pub/sub channels, apart from other checkouts'.
DISCUSSION_HUB_PREFIX = f"platforma-test-{_SCRATCH}"

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = Path(tempfile.gettempdir()) / f"platforma-test-media-{_SCRATCH}"

# The browser tests' server writes its e-mails as files into this directory,
# where the test process reads them (the locmem outbox is per process).
if os.environ.get("PLATFORMA_TEST_EMAIL_DIR"):
    OUTBOX_EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["PLATFORMA_TEST_EMAIL_DIR"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A test database need not survive a crash of its server: commits do not
    # wait for the disk, which takes a fifth off the PostgreSQL run (the
    # suite commits and flushes thousands of times). Other sessions still
    # see each commit at once, so what the tests check is unchanged.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c synchronous_commit=off"
    )
