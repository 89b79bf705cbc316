from documents import services
from tests.workgroups.factories import MembershipFactory
from workgroups.models import Membership


def group_with_draft(text="Pierwszy akapit.\n\nDrugi akapit.", **membership):
    """An expert of a fresh group and a draft they wrote (version 1)."""
    author = MembershipFactory(role=Membership.Role.EXPERT, **membership)
    draft = services.draft_create(
        actor=author.user, group=author.group, title="Rekomendacja", text=text
    )
    return author, draft
