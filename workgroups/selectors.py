"""Reads of the working groups that views, feeds and exports share; who may
see what is asked of ``workgroups.access``."""

from django.http import Http404

from workgroups import access
from workgroups.models import (
    ActionItem,
    CalendarFeed,
    Meeting,
    Membership,
    WorkingGroup,
)
from workgroups.models.invitations import token_hash


def member_group_or_404(user, group_id, **rights):
    """The group and ``user``'s current membership of it, with ``rights``
    (``write``, ``manage``, ``chair``: ``workgroups.access``); 404 for
    everyone else, as for a group that does not exist."""
    membership = access.require_membership(user, group_id, **rights)
    return membership.group, membership


def member_of_group(group, user_id):
    """The person ``user_id`` if they are a member of ``group``, else None:
    whom a form of the group may name (a presenter, an action's owner)."""
    membership = (
        Membership.objects.filter(group=group, user_id=user_id)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def groups_of(user):
    return WorkingGroup.objects.for_member(user).select_related("area")


def member_meeting_or_404(user, meeting_id, **rights):
    """The meeting and ``user``'s membership of its group; 404 for anyone
    else, as for a meeting that does not exist."""
    meeting = (
        Meeting.objects.select_related("group", "info_point")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        raise Http404
    membership = access.require_membership(user, meeting.group_id, **rights)
    return meeting, membership


def member_action_item_or_404(user, action_item_id):
    item = (
        ActionItem.objects.select_related("minutes__meeting")
        .filter(pk=action_item_id)
        .first()
    )
    if item is None:
        raise Http404
    membership = access.require_membership(user, item.minutes.meeting.group_id)
    return item, membership


def open_action_items_of(user):
    """Open action items assigned to ``user`` in groups they still belong to."""
    return (
        ActionItem.objects.open()
        .registered()
        .filter(
            owner=user,
            minutes__meeting__group__in=Membership.objects.current_of(user).values(
                "group_id"
            ),
        )
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
