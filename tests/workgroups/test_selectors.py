import pytest

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from tests.workgroups.factories import MembershipFactory, WorkingGroupFactory
from workgroups.models import Membership
from workgroups.selectors import groups_of, member_group_or_404

pytestmark = pytest.mark.django_db


def test_member_gets_the_group_and_outsider_gets_404():
    member = MembershipFactory()
    outsider = MembershipFactory()

    group, membership = member_group_or_404(member.user, member.group_id)

    assert (group, membership) == (member.group, member)
    with pytest.raises(Http404):
        member_group_or_404(outsider.user, member.group_id)
    with pytest.raises(Http404):
        member_group_or_404(AnonymousUser(), member.group_id)


def test_missing_group_and_foreign_group_answer_alike():
    member = MembershipFactory()
    foreign = WorkingGroupFactory()

    for group_id in (foreign.pk, foreign.pk + 1000):
        with pytest.raises(Http404):
            member_group_or_404(member.user, group_id)


@pytest.mark.parametrize(
    ("role", "write", "manage"),
    [
        (Membership.Role.OBSERVER, False, False),
        (Membership.Role.EXPERT, True, False),
        (Membership.Role.SECRETARY, True, True),
        (Membership.Role.CHAIR, True, True),
    ],
)
def test_roles_grant_writing_and_managing(role, write, manage):
    member = MembershipFactory(role=role)

    for flag, allowed in (("write", write), ("manage", manage)):
        if allowed:
            member_group_or_404(member.user, member.group_id, **{flag: True})
        else:
            with pytest.raises(Http404):
                member_group_or_404(member.user, member.group_id, **{flag: True})


def test_groups_of_lists_only_own_groups():
    member = MembershipFactory()
    MembershipFactory()

    assert list(groups_of(member.user)) == [member.group]
    assert list(groups_of(AnonymousUser())) == []
