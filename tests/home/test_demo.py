import io

import pytest

from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command

from home.demo import DEMO_ACCOUNTS, demo_password

pytestmark = pytest.mark.django_db


def _row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def test_load_demo_twice_changes_nothing():
    call_command("load_demo", stdout=io.StringIO())
    first = _row_counts()

    call_command("load_demo", stdout=io.StringIO())

    assert _row_counts() == first


def test_demo_accounts_sign_in_with_the_demo_password():
    output = io.StringIO()
    call_command("load_demo", stdout=output)

    for email, *_ in DEMO_ACCOUNTS:
        assert authenticate(username=email, password=demo_password()) is not None
        assert email in output.getvalue()


def test_demo_password_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-demo-password")
    call_command("load_demo", stdout=io.StringIO())

    assert authenticate(
        username="ekspert@example.org", password="another-demo-password"
    )
