"""A member removed from a group loses its live sockets to the group's room
(docs/security.md, AC-14): every worker process closes them with code 4403."""

from django.dispatch import receiver

from workgroups.discussion.hub import hub
from workgroups.signals import membership_removed


@receiver(membership_removed)
def cut_off_removed_member(sender, *, group_id, user_id, **kwargs):
    hub.publish_control({"op": "revoke", "group_id": group_id, "user_id": user_id})
