import io

import pytest

from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command

from home.demo import DEMO_ACCOUNTS, demo_password
from tests.conftest import written_once

# The module loads the whole demo content once (seconds).
pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """The demo loaded once for the module (each test's changes are rolled
    back); what ``load_demo`` printed."""
    output = io.StringIO()
    with written_once(django_db_blocker):
        call_command("load_demo", stdout=output)
        yield output.getvalue()


def _row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def test_load_demo_twice_changes_nothing(demo_output):
    first = _row_counts()

    call_command("load_demo", stdout=io.StringIO())

    assert _row_counts() == first


def test_demo_accounts_sign_in_with_the_demo_password(demo_output):
    for email, *_ in DEMO_ACCOUNTS:
        assert authenticate(username=email, password=demo_password()) is not None
        assert email in demo_output


def test_demo_password_comes_from_the_environment(demo_output, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-demo-password")
    call_command("load_demo", stdout=io.StringIO())

    assert authenticate(
        username="ekspert@example.org", password="another-demo-password"
    )
