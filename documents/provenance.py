"""Where a published recommendation comes from, as its page shows it. Apart
from the drafts' selectors because the page model reads it: it imports no
model of this app, so the page can import it
(docs/architecture.md#apps-and-the-dependency-rule)."""

from workgroups import access
from workgroups.models import Decision
from workgroups.models.record import decision_outcome


def provenance_of(page, user):
    """Where a recommendation comes from: the group, the meeting and decision
    that approved it, and the version of the draft. Members of the group also
    get links into the workspace (everyone else would get 404 there)."""
    decision = (
        Decision.objects.select_related("minutes__meeting__group__area")
        .filter(pk=page.decision_id)
        .first()
    )
    if decision is None:
        return None
    meeting = decision.minutes.meeting
    is_member = access.membership_of(user, meeting.group_id) is not None
    return {
        "group": meeting.group,
        "meeting": meeting,
        "decision": decision,
        "outcome": decision_outcome(decision),
        "version": page.draft_version,
        "approved_on": page.approved_on,
        "member_links": is_member,
        "draft_id": page.draft_id,
    }
