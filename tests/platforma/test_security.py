"""Security settings and headers (docs/security.md, HD-01 to HD-04, AU-03, AU-09)."""

import json
import os
import secrets

import pytest

from django.conf import settings

from tests.utils import run_manage, site_environment

pytestmark = pytest.mark.django_db

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "platforma.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "platforma.example.org",
    "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
}

# Requests a page through the production settings and prints its headers.
HEADERS_PROBE = """
import json
import django
django.setup()
from django.test import Client, override_settings
# Static files are not collected and the cache is local here: neither is what
# this probe looks at.
static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
cache = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
with override_settings(STORAGES={"staticfiles": static}, CACHES={"default": cache}):
    response = Client().get(
        "/pl/", headers={"host": "platforma.example.org", "x-forwarded-proto": "https"}
    )
from django.conf import settings
cookies = {
    name: getattr(settings, name)
    for name in ("SESSION_COOKIE_NAME", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE")
}
print(json.dumps({"status": response.status_code, **dict(response.headers), **cookies}))
"""


@pytest.fixture(scope="module")
def production_headers(django_db_blocker):
    with django_db_blocker.unblock():
        env = site_environment(**PRODUCTION)
    result = run_manage("shell", "-c", HEADERS_PROBE, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.multiprocess
def test_deploy_check_is_clean_with_production_settings(django_db_blocker):
    with django_db_blocker.unblock():
        env = site_environment(**PRODUCTION)

    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.multiprocess
def test_production_refuses_to_start_without_a_secret_key(django_db_blocker):
    with django_db_blocker.unblock():
        env = site_environment(**{**PRODUCTION, "SECRET_KEY": ""})

    result = run_manage("check", env=env)

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.multiprocess
def test_production_sends_hsts_for_a_year_with_subdomains(production_headers):
    assert production_headers["status"] == 200
    hsts = production_headers["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts


@pytest.mark.multiprocess
def test_production_cookies_are_secure_and_host_only(production_headers):
    assert production_headers["SESSION_COOKIE_SECURE"] is True
    assert production_headers["CSRF_COOKIE_SECURE"] is True
    assert production_headers["SESSION_COOKIE_NAME"].startswith("__Host-")


def test_public_page_sends_security_headers(client):
    response = client.get("/pl/")

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert "unsafe-inline" not in policy["script-src"]
    assert "unsafe-eval" not in policy["script-src"]
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"


def test_admin_gets_its_own_looser_policy_that_still_forbids_other_origins(
    client,
):
    response = client.get("/admin/login/")

    policy = response["Content-Security-Policy"]
    assert "'unsafe-inline'" in policy
    assert "object-src 'none'" in policy
    assert "http" not in policy


def test_sessions_survive_a_cache_outage_and_last_a_working_day():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_COOKIE_HTTPONLY


def test_rate_limits_use_a_cache_shared_between_processes():
    backend = settings.CACHES["default"]["BACKEND"]

    assert "locmem" not in backend and "dummy" not in backend


def test_no_host_wildcard_and_django_admin_is_not_mounted(client):
    assert "*" not in settings.ALLOWED_HOSTS
    assert client.get("/django-admin/", follow=True).status_code == 404


@pytest.mark.django_db
def test_a_malformed_request_gets_a_translated_page_and_changes_nothing(client):
    """Too many form fields (Django refuses them before any view): the reader
    gets a page in their language, not a bare "Bad Request"."""
    fields = {f"f{i}": "x" for i in range(2500)}

    response = client.post("/uk/accounts/login/", fields)

    assert response.status_code == 400
    assert "Запит не вдалося обробити" in response.content.decode()
