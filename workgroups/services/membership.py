"""Writes of the working groups: permission first, then validation, then the
change and its audit-log entry (Wagtail's ``log``). Live connections of a
person whose access changed are checked again by ``workgroups/receivers.py``,
whichever way the change is made."""

from django.db import transaction

from wagtail.log_actions import log

from workgroups.access import check_membership_administration
from workgroups.models import Membership, WorkingGroup


@transaction.atomic
def membership_add(
    *, actor, group: WorkingGroup, user, role=Membership.Role.EXPERT, listed=False
) -> Membership:
    check_membership_administration(actor, group.pk)
    membership = Membership(group=group, user=user, role=role, listed_publicly=listed)
    membership.full_clean()
    membership.save()
    log(membership, "workgroups.membership.add", user=actor, data={"role": role})
    return membership


@transaction.atomic
def membership_change_role(*, actor, membership: Membership, role) -> Membership:
    check_membership_administration(actor, membership.group_id)
    previous = membership.role
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role"])
    log(
        membership,
        "workgroups.membership.change_role",
        user=actor,
        data={"from": previous, "to": role},
    )
    return membership


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    check_membership_administration(actor, membership.group_id)
    log(membership, "workgroups.membership.remove", user=actor)
    membership.delete()
