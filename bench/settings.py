"""Settings of the benchmark's worker processes: production settings on a
database and Redis of the benchmark's own."""

from platforma.settings.production import *  # noqa: F403

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Two worker processes write: transactions take the write lock at once.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
LOGGING["root"]["level"] = "WARNING"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
