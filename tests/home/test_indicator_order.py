"""An action's indicators keep their order through the admin's saves, also
those saved without a position, as the demo's were (issue 16)."""

import importlib
from decimal import Decimal

import pytest

from django.apps import apps

from home.models import ActionIndicator
from tests.pages import programme_tree

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module(
    "home.migrations.0007_ordered_indicators_and_status_changes"
)


def _unplaced(action, names):
    ActionIndicator.objects.filter(page=action).delete()
    for name in names:
        ActionIndicator.objects.create(
            page=action,
            name=name,
            unit="osoby",
            baseline=Decimal(0),
            target=Decimal(10),
            sort_order=None,
        )


def test_the_migration_numbers_them_in_that_order():
    action = programme_tree(indicators=0)["actions"][0]
    _unplaced(action, ["B", "A", "C"])

    MIGRATION.number_unplaced_rows(apps, None)

    rows = ActionIndicator.objects.filter(page=action).order_by("sort_order")
    assert [(i.name, i.sort_order) for i in rows] == [("B", 0), ("A", 1), ("C", 2)]


def test_a_save_and_publish_keeps_the_order_of_unplaced_indicators(client):
    """What the admin does on "Opublikuj": a revision from the form, then
    its publication, which writes the indicators again."""
    action = programme_tree(indicators=0)["actions"][0]
    _unplaced(action, ["B", "A", "C"])
    page = type(action).objects.get(pk=action.pk)

    for _save in range(2):
        page.summary = f"<p>{_save}</p>"
        page.save_revision().publish()
        page = type(action).objects.get(pk=action.pk)

    assert [i.name for i in page.indicators.all()] == ["B", "A", "C"]
    text = client.get(page.url).content.decode()
    assert text.index(">B<") < text.index(">A<") < text.index(">C<")
