"""What the working groups hold about a person (see home.privacy)."""

from workgroups.models import (
    ActionItem,
    Attendance,
    Ballot,
    CalendarFeed,
    ConflictOfInterest,
    EmailPreferences,
    Membership,
    Message,
    Notification,
    Rsvp,
    Vote,
)


def export(user):
    """The person's memberships, what they wrote, answered and declared, and
    their own votes: their own ballot, secret or not, is theirs to read;
    nobody else's vote is in it."""
    return {
        "memberships": list(
            Membership.objects.filter(user=user).values(
                "group__name", "role", "listed_publicly", "joined_at"
            )
        ),
        "votes": list(
            Ballot.objects.filter(user=user).values(
                "proposal__title", "choice", "scores", "reason", "cast_at"
            )
        ),
        "messages": list(
            Message.objects.filter(author=user)
            .order_by("created_at", "pk")
            .values(
                "room__group__name",
                "topic__title",
                "body",
                "created_at",
                "edited_at",
                "deleted_at",
            )
        ),
        **_meetings(user),
        **_personal(user),
    }


def _meetings(user):
    return {
        "votes_in_meetings": list(
            Vote.objects.filter(user=user).values(
                "decision__text", "decision__minutes__meeting__title", "choice"
            )
        ),
        "answers_to_invitations": list(
            Rsvp.objects.filter(user=user).values(
                "meeting__title", "meeting__starts_at", "answer", "answered_at"
            )
        ),
        "attendance": list(
            Attendance.objects.filter(user=user).values(
                "meeting__title", "meeting__starts_at"
            )
        ),
        "conflicts_of_interest": list(
            ConflictOfInterest.objects.filter(user=user).values(
                "agenda_item__title",
                "proposal__title",
                "description",
                "recused",
                "declared_at",
            )
        ),
        "action_items": list(
            ActionItem.objects.filter(owner=user).values(
                "minutes__meeting__title", "description", "due_date", "status"
            )
        ),
    }


def _personal(user):
    """Notifications are worded in the language of the request, as the person
    reads them on the site."""
    return {
        "notifications": [
            {
                "text": notification.text,
                "created_at": notification.created_at,
                "read_at": notification.read_at,
            }
            for notification in Notification.objects.filter(user=user)
        ],
        "e_mail_choices": list(
            EmailPreferences.objects.filter(user=user).values("choices")
        ),
        "calendar_feed_created_at": list(
            CalendarFeed.objects.filter(user=user).values_list("created_at", flat=True)
        ),
    }
