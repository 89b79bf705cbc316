"""Writes of the working groups: permission first, then validation, then the
change and its audit-log entry (Wagtail's ``log``)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from wagtail.log_actions import log

from workgroups.models import Membership, WorkingGroup
from workgroups.signals import membership_removed


def _require_chair_or_admin(actor, group):
    if actor.is_superuser:
        return
    if not Membership.objects.filter(
        group=group, user=actor, role=Membership.Role.CHAIR
    ).exists():
        raise PermissionDenied


@transaction.atomic
def membership_add(
    *, actor, group: WorkingGroup, user, role=Membership.Role.EXPERT, listed=False
) -> Membership:
    _require_chair_or_admin(actor, group)
    membership = Membership(group=group, user=user, role=role, listed_publicly=listed)
    membership.full_clean()
    membership.save()
    log(membership, "workgroups.membership.add", user=actor, data={"role": role})
    return membership


@transaction.atomic
def membership_change_role(*, actor, membership: Membership, role) -> Membership:
    _require_chair_or_admin(actor, membership.group)
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
    _require_chair_or_admin(actor, membership.group)
    group_id, user_id = membership.group_id, membership.user_id
    log(membership, "workgroups.membership.remove", user=actor)
    membership.delete()
    transaction.on_commit(
        lambda: membership_removed.send(
            sender=Membership, group_id=group_id, user_id=user_id
        )
    )
