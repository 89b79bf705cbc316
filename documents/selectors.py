"""Access to drafts and everything under them follows the draft's group: one
rule, 404 for everyone outside it."""

from datetime import timedelta

from django.http import Http404
from django.utils import timezone

from documents.models import Draft, DraftAttachment, DraftPresence, DraftVersion
from documents.text import compare, page_paragraphs, revision_paragraphs
from workgroups import access

PRESENCE_WINDOW = timedelta(minutes=2)


def draft_for_member_or_404(user, draft_id, *, write=False, manage=False):
    """The draft and ``user``'s membership of its group."""
    draft = Draft.objects.select_related("group", "area").filter(pk=draft_id).first()
    if draft is None:
        raise Http404
    membership = access.require_membership(
        user, draft.group_id, write=write, manage=manage
    )
    return draft, membership


def version_for_member_or_404(user, draft_id, number):
    draft, membership = draft_for_member_or_404(user, draft_id)
    version = (
        DraftVersion.objects.select_related("revision", "author")
        .filter(draft=draft, number=number)
        .first()
    )
    if version is None:
        raise Http404
    return draft, version


def attachment_for_member_or_404(user, attachment_id):
    attachment = (
        DraftAttachment.objects.select_related("document", "draft")
        .filter(pk=attachment_id)
        .first()
    )
    if attachment is None:
        raise Http404
    access.require_membership(user, attachment.draft.group_id)
    return attachment


def drafts_of_group(group):
    return Draft.objects.filter(group=group).select_related("created_by")


def others_present(draft, user):
    """Other people who had the draft open in the last two minutes."""
    return (
        DraftPresence.objects.filter(
            draft=draft, seen_at__gte=timezone.now() - PRESENCE_WINDOW
        )
        .exclude(user=user)
        .select_related("user")
        .order_by("user__last_name")
    )


def provenance_of(page, user):
    """Where a recommendation comes from: the group, the meeting and decision
    that approved it, and the version of the draft. Members of the group also
    get links into the workspace (everyone else would get 404 there)."""
    from workgroups.models import Decision
    from workgroups.services.minutes import decision_outcome

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
        "changes": changes_after_approval(page),
    }


def changes_after_approval(page):
    """How the published text differs from the version the group approved:
    ``None`` where there is nothing to compare (a translation, or a page not
    made from a draft), else the comparison's rows and whether any changed."""
    version = (
        DraftVersion.objects.select_related("revision")
        .filter(draft_id=page.draft_id, number=page.draft_version)
        .first()
    )
    if version is None:
        return None
    approved = revision_paragraphs(version.revision.content)
    rows = compare(approved, page_paragraphs(page))
    return {"rows": rows, "changed": any(row["change"] != "same" for row in rows)}


def review_history(draft):
    """The draft's way through review, from the audit log."""
    from wagtail.models import ModelLogEntry

    return (
        ModelLogEntry.objects.for_instance(draft)
        .filter(action__startswith="documents.review.")
        .select_related("user")
        .order_by("-timestamp", "-pk")
    )
