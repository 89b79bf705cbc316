"""Where a published recommendation comes from, as its page shows it. Apart
from the drafts' selectors because the page model reads it: it imports no
model of this app, so the page can import it
(docs/architecture.md#apps-and-the-dependency-rule)."""

from django.apps import apps

from documents.text import compare, page_paragraphs, revision_paragraphs
from workgroups import access
from workgroups.models import Decision
from workgroups.models.record import decision_outcome


def provenance_of(page, user):
    """Where a recommendation comes from: the group, the meeting and decision
    that approved it, and the version of the draft. Members of the group also
    get links into the workspace (everyone else would get 404 there)."""
    decision = (
        Decision.objects.select_related(
            "minutes__meeting__group__area", "proposal__group__area"
        )
        .filter(pk=page.decision_id)
        .first()
    )
    if decision is None:
        return None
    # A decision taken by a vote between meetings was taken at no meeting.
    meeting = None if decision.taken_between_meetings else decision.minutes.meeting
    group = meeting.group if meeting else decision.proposal.group
    is_member = access.membership_of(user, group.pk) is not None
    return {
        "group": group,
        "meeting": meeting,
        "decision": decision,
        "outcome": decision_outcome(decision),
        "version": page.draft_version,
        "approved_on": page.approved_on,
        "member_links": is_member,
        "draft_id": page.draft_id,
        "changes": changes_after_approval(page),
        "accepted_suggestions": accepted_suggestions(page),
    }


def accepted_suggestions(page):
    """The suggestions the group accepted in the review that the page's
    decision closed (docs/subsystems/suggestions.md)."""
    decisions = apps.get_model("documents", "SuggestionDecision").objects
    return list(
        decisions.filter(
            approval__draft_id=page.draft_id,
            approval__decision_id=page.decision_id,
            approval__version__number=page.draft_version,
        ).select_related("author")
    )


def changes_after_approval(page):
    """How the published text differs from the version the group approved:
    ``None`` where there is nothing to compare (a translation, or a page not
    made from a draft), else the comparison's rows and whether any changed."""
    # By name: this module imports no model of its own app (see above).
    versions = apps.get_model("documents", "DraftVersion").objects
    version = (
        versions.select_related("revision")
        .filter(draft_id=page.draft_id, number=page.draft_version)
        .first()
    )
    if version is None:
        return None
    approved = revision_paragraphs(version.revision.content)
    rows = compare(approved, page_paragraphs(page))
    return {"rows": rows, "changed": any(row["change"] != "same" for row in rows)}
