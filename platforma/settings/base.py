"""Settings shared by every environment; safe for production on their own.

Everything that differs between machines comes from the environment:
``SECRET_KEY``, ``ALLOWED_HOSTS``, ``DATABASE_URL`` and ``REDIS_URL``.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("ALLOWED_HOSTS", "").split(",")
    if host.strip()
]
CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS]

INSTALLED_APPS = [
    "home",
    "workgroups",
    "documents",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "channels",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.humanize",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # The public programme (issue 3): tables, sitemap, print view, open data.
    "wagtail.contrib.table_block",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.api.v2",
    "rest_framework",
]

MIDDLEWARE = [
    # Remembered pages are answered first (home/cache.py, workgroups/page_cache.py).
    "home.cache.PublicPageCacheMiddleware",
    "workgroups.page_cache.MemberPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "home.middleware.SiteCSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "home.middleware.SecondFactorMiddleware",
    "home.middleware.PrivateResponsesMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "platforma.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "platforma.wsgi.application"
ASGI_APPLICATION = "platforma.asgi.application"

# --- Database --------------------------------------------------------------
# SQLite is the embedded default; DATABASE_URL switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache and channel layer ----------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")

if REDIS_URL:
    # A shared cache keeps allauth's rate limits across worker processes.
    CACHES = {
        "default": {
            "BACKEND": "home.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "platforma",
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": "platforma"},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "platforma_cache",
        }
    }
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Sessions live in the database and are only cached: a Redis outage signs
# nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Sign-in lasts a working day; an idle browser is signed out after 8 hours.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- Background tasks (Django's tasks framework through django-tasks) ------
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# --- Accounts (django-allauth) ---------------------------------------------
AUTHENTICATION_BACKENDS = [
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home:account"
ACCOUNT_ADAPTER = "workgroups.adapters.InvitationAccountAdapter"
ACCOUNT_FORMS = {"login": "home.forms.LoginForm"}
ACCOUNT_SIGNUP_FORM_CLASS = "home.name_forms.SignupNameForm"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "manage_email": "10/m/user",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
    "confirm_email": "1/3m/key",
    # The public's e-mail subscription form (home/subscription_views.py).
    "subscribe": "10/m/ip,3/h/key",
}
# Number of proxies in front of the site that append to X-Forwarded-For; the
# rate limits count the address the last trusted proxy saw.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Platforma współpracy"
USERSESSIONS_TRACK_ACTIVITY = False
# Where members of a group that requires a second factor must have used one
# in their session (home/mfa.py): the workspace's URL namespaces and the
# group files' download URL.
SECOND_FACTOR_NAMESPACES = ["workgroups", "discussion", "documents"]
SECOND_FACTOR_URL_NAMES = ["wagtaildocs_serve"]

# --- Internationalisation --------------------------------------------------
LANGUAGE_CODE = "pl"
LANGUAGES = [
    ("pl", "Polski"),
    ("uk", "Українська"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["home.formats"]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_SITE_NAME = "Platforma współpracy"
# The site's address in e-mails, calendar files, the API and the sitemap
# (home/urls_absolute.py); `make run` derives it from PORT.
BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = BASE_URL
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"SHARED_PASSWORD": False}
WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS = {"SHARED_PASSWORD": False}
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Each server process loads the search dictionaries (about 450 MB and several
# seconds of CPU) in the background as it starts; WebSocket-only workers,
# which never search, are started with SEARCH_PRELOAD=0.
SEARCH_PRELOAD = os.environ.get("SEARCH_PRELOAD", "1") != "0"
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"

# How long personal data is kept, in days (docs/security.md, PR-05; home/retention.py,
# `manage.py purge_personal_data`, run daily). None keeps that data.
RETENTION_DAYS = {
    "sessions": 0,  # past their expiry (SESSION_COOKIE_AGE), and their devices
    "invitations": 30,  # after expiry (pending) or withdrawal; accepted ones stay
    "notifications": 180,  # read ones; unread ones after twice as long
    "mentions": 180,  # read ones
    "presence": 1,  # who had a draft or a room open
    "deleted_messages": 30,  # the text of a message its author deleted
    "hidden_messages": 30,  # the text of a message the chair hid
    "task_results": 30,  # finished background tasks and their arguments
    "outbox": 30,  # e-mails sent or given up (addresses and text)
    "audit_log": 730,  # Wagtail's log entries (page history included)
    "unconfirmed_subscriptions": 7,  # e-mail subscriptions never confirmed
}
# A draft's live text becomes a version by itself once nobody has written in
# it for this many minutes (docs/subsystems/co-editing.md; `manage.py
# save_quiet_drafts`, run every few minutes).
COEDITING_QUIET_MINUTES = int(os.environ.get("COEDITING_QUIET_MINUTES", "10"))

# How long the link that confirms an e-mail subscription works, in days.
SUBSCRIPTION_CONFIRM_DAYS = 7
WAGTAIL_PASSWORD_RESET_ENABLED = False

PROGRAMME_NAME = _("Małopolska otwarta")

# --- Static and uploaded files ---------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# --- E-mail ------------------------------------------------------------------
# Every mail goes through the outbox (home/outbox.py, docs/subsystems/email-outbox.md):
# recorded, then sent by a task through OUTBOX_EMAIL_BACKEND. A mail the
# server cannot take now is tried again after 1, 2, 4 … minutes (at most an
# hour apart) and given up 48 hours after it was queued.
EMAIL_BACKEND = "home.outbox.OutboxBackend"
OUTBOX_EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
OUTBOX_FIRST_RETRY_SECONDS = 60
OUTBOX_MAX_RETRY_SECONDS = 60 * 60
OUTBOX_GIVE_UP_SECONDS = 48 * 60 * 60
EMAIL_TIMEOUT = 30
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Platforma współpracy <noreply@example.org>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security headers --------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Public pages: scripts only from this site or with the request's nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The Wagtail admin is not CSP-ready (wagtail/wagtail#1288): it gets its own
# looser policy, which still forbids other origins, framing and plugins.
ADMIN_CONTENT_SECURITY_POLICY = {
    "default-src": [SELF],
    "script-src": [SELF, "'unsafe-inline'", "'unsafe-eval'"],
    "style-src": [SELF, "'unsafe-inline'"],
    "img-src": [SELF, "data:", "blob:"],
    "font-src": [SELF, "data:"],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [SELF],
}
ADMIN_URL_PREFIX = "/admin/"

# --- Public programme (issue 3) ----------------------------------------------
# Anonymous responses of public pages are kept this long at most; any publish,
# unpublish, move, deletion or view-restriction change empties them at once.
PUBLIC_PAGE_CACHE_SECONDS = int(os.environ.get("PUBLIC_PAGE_CACHE_SECONDS", "600"))
PUBLIC_PAGE_RESPONSE_CACHE = True
# Hot public pages also kept in each process's memory, trusted while its
# subscription to the generation's changes is up (home/cache.py).
PUBLIC_PAGE_MEMORY_CACHE = os.environ.get("PUBLIC_PAGE_MEMORY_CACHE", "1") == "1"
# Workspace pages remembered per session while nothing they show changed
# (workgroups/page_cache.py); at most access.TRUST_SECONDS.
MEMBER_PAGE_CACHE = True
WAGTAILAPI_BASE_URL = BASE_URL
WAGTAILAPI_LIMIT_MAX = 50
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
