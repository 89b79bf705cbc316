"""Who may see what in the working groups: the one definition of access that
views, consumers, feeds, search and exports share (SECURITY.md rule 2)."""

from django.http import Http404

from workgroups.models import Membership, WorkingGroup


def membership_for(user, group_id):
    """``user``'s membership of the group, or ``None``."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.select_related("group")
        .filter(user=user, group_id=group_id)
        .first()
    )


def member_group_or_404(user, group_id, *, manage=False, write=False):
    """The group and ``user``'s membership of it. Outsiders get 404, never 403:
    a private group's existence must not leak. ``write`` also refuses
    observers, ``manage`` everyone but the chair and the secretary."""
    membership = membership_for(user, group_id)
    if (
        membership is None
        or (write and not membership.can_write)
        or (manage and not membership.can_manage)
    ):
        raise Http404
    return membership.group, membership


def groups_of(user):
    return WorkingGroup.objects.for_member(user).select_related("area")
