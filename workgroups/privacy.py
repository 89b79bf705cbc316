"""What the working groups hold about a person (see home.privacy)."""

from workgroups.models import Membership


def export(user):
    return {
        "memberships": list(
            Membership.objects.filter(user=user).values(
                "group__name", "role", "listed_publicly", "joined_at"
            )
        ),
    }
