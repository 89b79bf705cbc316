"""Production: everything from the environment, HTTPS only."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set: the site refuses to start without a secret key."
    )
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is not set.")
if not REDIS_URL:
    raise ImproperlyConfigured(
        "REDIS_URL is not set: worker processes share the channel layer, the "
        "cache and the rate limits through Redis."
    )
if "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the site's hosts, not '*'.")

SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
BASE_URL = os.environ.get("BASE_URL", f"https://{ALLOWED_HOSTS[0]}").rstrip("/")
WAGTAILADMIN_BASE_URL = WAGTAILAPI_BASE_URL = BASE_URL
CONTENT_SECURITY_POLICY["DIRECTIVES"]["connect-src"] = [
    SELF,
    *(f"wss://{host}" for host in ALLOWED_HOSTS),
]
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
    }
}
LOGGING["root"]["level"] = os.environ.get("LOG_LEVEL", "INFO")
