"""What the working groups hold about a person (see home.privacy)."""

from workgroups.models import Ballot, Membership


def export(user):
    """The person's memberships and their own votes: their own ballot, secret
    or not, is theirs to read; nobody else's vote is in it."""
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
    }
