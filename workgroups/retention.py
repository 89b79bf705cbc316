"""What the working groups keep about people, and for how long (PR-05):
see ``home.retention``."""

from django.db.models import Q

from home.retention import cutoff
from workgroups.models import Connection, Invitation, Mention, Message, Notification


def purge(now, days):
    counts = {}
    if (before := cutoff(now, days, "invitations")) is not None:
        Status = Invitation.Status
        counts["invitations"] = (
            Invitation.objects.exclude(status=Status.ACCEPTED)
            .filter(expires_at__lt=before)
            .delete()[0]
        )
    if (before := cutoff(now, days, "notifications")) is not None:
        twice = now - 2 * (now - before)
        counts["notifications"] = Notification.objects.filter(
            Q(read_at__isnull=False, created_at__lt=before) | Q(created_at__lt=twice)
        ).delete()[0]
    if (before := cutoff(now, days, "mentions")) is not None:
        counts["mentions"] = Mention.objects.filter(
            read_at__isnull=False, created_at__lt=before
        ).delete()[0]
    if (before := cutoff(now, days, "presence")) is not None:
        counts["discussion connections"] = Connection.objects.filter(
            last_seen__lt=before
        ).delete()[0]
    if (before := cutoff(now, days, "deleted_messages")) is not None:
        # The row stays ("message deleted" keeps the room's sequence whole);
        # the text goes.
        counts["texts of deleted messages"] = (
            Message.objects.filter(deleted_at__lt=before)
            .exclude(body="")
            .update(body="", search_text="")
        )
    if (before := cutoff(now, days, "hidden_messages")) is not None:
        counts["texts of hidden messages"] = (
            Message.objects.filter(hidden_at__lt=before)
            .exclude(body="")
            .update(body="", search_text="")
        )
    return counts
