"""Who may see what in the working groups: the one definition of access that
views, consumers, feeds, search and exports share (docs/security.md, rule 2)."""

from django.http import Http404

from workgroups.models import (
    ActionItem,
    CalendarFeed,
    Meeting,
    Membership,
    WorkingGroup,
)
from workgroups.models.invitations import token_hash


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


def member_meeting_or_404(user, meeting_id, *, manage=False, write=False):
    """The meeting and ``user``'s membership of its group; 404 for anyone
    else, as for a meeting that does not exist."""
    meeting = (
        Meeting.objects.select_related("group", "info_point")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        raise Http404
    _group, membership = member_group_or_404(
        user, meeting.group_id, manage=manage, write=write
    )
    return meeting, membership


def member_action_item_or_404(user, action_item_id):
    item = (
        ActionItem.objects.select_related("minutes__meeting")
        .filter(pk=action_item_id)
        .first()
    )
    if item is None:
        raise Http404
    _group, membership = member_group_or_404(user, item.minutes.meeting.group_id)
    return item, membership


def open_action_items_of(user):
    """Open action items assigned to ``user`` in groups they still belong to."""
    return (
        ActionItem.objects.open()
        .filter(owner=user, minutes__meeting__group__memberships__user=user)
        .select_related("minutes__meeting__group")
    )


def upcoming_meetings_of(user):
    return (
        Meeting.objects.for_member(user)
        .upcoming()
        .select_related("group", "info_point", "minutes")
    )


def calendar_meetings_of(user):
    """Every meeting of every group ``user`` belongs to (cancelled ones too, so
    that calendars drop them)."""
    return (
        Meeting.objects.for_member(user)
        .select_related("group", "info_point")
        .order_by("starts_at")
    )


def calendar_feed_owner_or_404(token):
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if feed is None or not feed.user.is_active:
        raise Http404
    return feed.user
