"""A group has its room from its creation, so that reading a room never
writes one; a group without a room is denied, never given one on the way."""

import importlib

import pytest

from django.apps import apps
from django.urls import reverse

from tests.workgroups.factories import MembershipFactory, WorkingGroupFactory
from workgroups.discussion import selectors
from workgroups.models import Room

pytestmark = pytest.mark.django_db


def test_a_new_group_has_its_room():
    group = WorkingGroupFactory()
    assert Room.objects.filter(group=group).count() == 1


def test_saving_a_group_again_makes_no_second_room():
    group = WorkingGroupFactory()
    group.description = "Inny opis"
    group.save()
    assert Room.objects.filter(group=group).count() == 1


def test_a_member_of_a_group_without_a_room_gets_404_and_no_room(client):
    membership = MembershipFactory()
    Room.objects.filter(group=membership.group).delete()
    client.force_login(membership.user)

    response = client.get(reverse("discussion:room", args=[membership.group_id]))

    assert response.status_code == 404
    assert selectors.room_of_member(membership.user, membership.group_id) == (
        None,
        None,
    )
    assert not Room.objects.filter(group=membership.group).exists()


def test_the_migration_gives_groups_made_before_it_their_room():
    with_room, without = WorkingGroupFactory(), WorkingGroupFactory()
    Room.objects.filter(group=without).delete()
    migration = importlib.import_module(
        "workgroups.migrations.0008_a_room_for_every_group"
    )

    migration.rooms_for_groups_without(apps, None)

    assert Room.objects.filter(group=without).count() == 1
    assert Room.objects.filter(group=with_room).count() == 1
