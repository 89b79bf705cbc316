import pytest

from django.core.exceptions import PermissionDenied, ValidationError

from wagtail.models import ModelLogEntry

from tests.factories import UserFactory
from tests.workgroups.factories import MembershipFactory, WorkingGroupFactory
from workgroups import services
from workgroups.models import Membership

pytestmark = pytest.mark.django_db


def test_chair_adds_a_member_and_the_audit_log_records_it():
    chair = MembershipFactory(role=Membership.Role.CHAIR)
    newcomer = UserFactory()

    membership = services.membership_add(
        actor=chair.user, group=chair.group, user=newcomer
    )

    assert membership.role == Membership.Role.EXPERT
    entry = ModelLogEntry.objects.get(action="workgroups.membership.add")
    assert entry.user == chair.user
    assert entry.object_id == str(membership.pk)


def test_expert_cannot_add_members():
    expert = MembershipFactory(role=Membership.Role.EXPERT)

    with pytest.raises(PermissionDenied):
        services.membership_add(
            actor=expert.user, group=expert.group, user=UserFactory()
        )

    assert Membership.objects.count() == 1


def test_a_person_belongs_to_a_group_once():
    chair = MembershipFactory(role=Membership.Role.CHAIR)

    with pytest.raises(ValidationError):
        services.membership_add(actor=chair.user, group=chair.group, user=chair.user)

    assert not ModelLogEntry.objects.filter(action="workgroups.membership.add").exists()


def test_one_person_has_different_roles_in_different_groups():
    person = UserFactory()
    MembershipFactory(user=person, role=Membership.Role.CHAIR)
    MembershipFactory(user=person, role=Membership.Role.OBSERVER)

    assert sorted(person.memberships.values_list("role", flat=True)) == [
        "chair",
        "observer",
    ]


def test_changing_a_role_is_logged_with_both_roles():
    chair = MembershipFactory(role=Membership.Role.CHAIR)
    member = MembershipFactory(group=chair.group)

    services.membership_change_role(
        actor=chair.user, membership=member, role=Membership.Role.SECRETARY
    )

    entry = ModelLogEntry.objects.get(action="workgroups.membership.change_role")
    assert entry.data == {"from": "expert", "to": "secretary"}


def test_removal_is_logged_and_announced_after_commit(
    django_capture_on_commit_callbacks, monkeypatch
):
    from workgroups.discussion.hub import hub

    chair = MembershipFactory(role=Membership.Role.CHAIR)
    member = MembershipFactory(group=chair.group)
    announced = []
    monkeypatch.setattr(hub, "publish_control", announced.append)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.membership_remove(actor=chair.user, membership=member)
    assert announced == []  # not before the commit
    for callback in callbacks:
        callback()

    assert not Membership.objects.filter(pk=member.pk).exists()
    assert ModelLogEntry.objects.filter(action="workgroups.membership.remove").exists()
    assert announced[0]["users"] == [member.user_id]
    assert announced[0]["memberships"] == [[member.user_id, chair.group_id]]


def test_administrator_manages_any_group():
    admin = UserFactory(is_superuser=True)
    group = WorkingGroupFactory()

    services.membership_add(actor=admin, group=group, user=UserFactory())

    assert group.memberships.count() == 1
