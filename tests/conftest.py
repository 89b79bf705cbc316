import pytest

from django.core.cache import cache
from django.db import connections

from tests.factories import UserFactory


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser tests last: Playwright keeps an event loop running in the main
    thread from its first use to the end of the session, which async tests
    cannot share."""
    items.sort(key=lambda item: "/e2e/" in str(item.path))


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters and cached pages must not leak between tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user(db):
    return UserFactory()


# What the migrations wrote (Wagtail's root page and site, locales, groups):
# transactional tests empty every table when they end, and the browser tests
# that run after them restore it from here.
MIGRATED_DATA = []


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker):
    """The test database, set up for every run: pytest-django would skip it
    when only browser tests run, and those read it through their server."""
    from django.test.utils import setup_databases, teardown_databases

    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        databases = setup_databases(
            verbosity=verbosity, interactive=False, aliases={"default"}
        )
        MIGRATED_DATA.append(connections["default"]._test_serialized_contents)
    yield
    with django_db_blocker.unblock():
        _close_other_connections()
        teardown_databases(databases, verbosity=verbosity)


def _close_other_connections():
    """Idle connections that worker threads of async tests leave behind would
    make PostgreSQL refuse to drop the test database."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
