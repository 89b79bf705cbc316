"""Local development: the embedded defaults (SQLite, in-memory channel layer)."""

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "dev-only-not-secret-platforma-wspolpracy"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
CSRF_TRUSTED_ORIGINS = [
    BASE_URL,  # noqa: F405
    "http://127.0.0.1:8000",
    "http://localhost:8000",
]
# Mails are printed to the console so that a newcomer can follow the links.
OUTBOX_EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
