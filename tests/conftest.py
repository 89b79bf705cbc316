import contextlib
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, connections, transaction

from wagtail.models import Page

from tests.factories import UserFactory

# Property-based tests (tests/test_hostile_input.py): few examples so that
# the suite stays fast, no deadline (a shared 2-core machine), and each test
# builds its objects once (a function-scoped fixture) while every example
# rolls back what it wrote (tests/hostile.py ``rolled_back``).
# HYPOTHESIS_PROFILE=thorough runs many more.
_hypothesis_common = {
    "deadline": None,
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
    ],
}
hypothesis_settings.register_profile("platforma", max_examples=10, **_hypothesis_common)
hypothesis_settings.register_profile("thorough", max_examples=500, **_hypothesis_common)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "platforma"))


def pytest_itemcollected(item):
    """Every test under tests/e2e is a browser test (``-m "not e2e"``)."""
    if "e2e" in item.path.relative_to(Path(__file__).parent).parts:
        item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser tests last: Playwright keeps an event loop running in the main
    thread from its first use to the end of the session, which async tests
    cannot share."""
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


@pytest.fixture(scope="session", autouse=True)
def _mail_through_the_outbox(django_test_environment):
    """Django's test set-up swaps ``EMAIL_BACKEND`` for its in-memory one; the
    site sends every mail through its outbox, and so do the tests (the outbox
    hands mails to ``mail.outbox`` through ``OUTBOX_EMAIL_BACKEND``)."""
    from django.conf import settings

    settings.EMAIL_BACKEND = "home.outbox.OutboxBackend"


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language: a request to a /uk/ page
    leaves Ukrainian active in the thread (LocaleMiddleware activates the
    request's language and nothing deactivates it), which made tests that
    expect Polish depend on the order they ran in."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters and cached pages must not leak between tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pages_made_afresh(settings):
    """Workspace pages made by their views every time, not replayed
    (workgroups/page_cache.py): what a query count measures."""
    settings.MEMBER_PAGE_CACHE = False


@pytest.fixture(scope="session", autouse=True)
def _flush_only_tables_with_rows():
    """Transactional tests end with a flush. On PostgreSQL, truncating all of
    the site's tables takes seconds each time (new files for every table and
    index), so the tables that hold rows are found in one query and only
    those truncated, with CASCADE as PostgreSQL wants for tables that others
    refer to. The database ends up just as empty. Flushes that reset
    sequences are left whole."""
    from django.core.management.commands import flush

    whole_flush = flush.sql_flush

    def sql_flush(style, connection, reset_sequences=True, allow_cascade=False):
        if connection.vendor != "postgresql" or reset_sequences:
            return whole_flush(style, connection, reset_sequences, allow_cascade)
        tables = connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                " UNION ALL ".join(
                    f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})"  # noqa: S608 - introspected names
                    for table in tables
                ),
                tables,
            )
            with_rows = [row[0] for row in cursor.fetchall()]
        return connection.ops.sql_flush(
            style, with_rows, reset_sequences=False, allow_cascade=True
        )

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(flush, "sql_flush", sql_flush)
        yield


@pytest.fixture
def user(db):
    return UserFactory()


# What the migrations wrote (Wagtail's root page and site, locales, groups):
# transactional tests empty every table when they end; the tests after them
# that need it restore it from here (``restore_migrated_data``).
MIGRATED_DATA = []


def restore_migrated_data():
    if not Page.objects.exists():
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        connection.creation.deserialize_db_from_string(MIGRATED_DATA[0])
        # Rows came back with their ids; new rows must not reuse them.
        statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


@contextlib.contextmanager
def written_once(django_db_blocker):
    """For a module- or class-scoped fixture: rows that several tests only
    read, written once in a transaction around the tests' own (which become
    savepoints inside it) and rolled back after the last of them. Not for
    modules with transactional tests, which would flush it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def migrated_data(transactional_db):
    """For transactional tests that need Wagtail's tree, locales or groups."""
    restore_migrated_data()


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
