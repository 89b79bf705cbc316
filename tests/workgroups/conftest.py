import pytest
from pytest_django.plugin import blocking_manager_key


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends by emptying the database, taking the rows
    that migrations created (Wagtail's root page, the Editors group) with it;
    put them back for the tests that follow (the browser tests load the demo
    on top of them). Such tests also ask for ``serialized_rollback=True``, so
    that the flush does not recreate content types in the way."""
    yield
    marker = item.get_closest_marker("django_db")
    if nextitem is None or marker is None or not marker.kwargs.get("transaction"):
        return  # (after the last test the test database is already gone)
    from django.db import connection

    with item.config.stash[blocking_manager_key].unblock():
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents:
            connection.creation.deserialize_db_from_string(contents)
