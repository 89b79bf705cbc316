from django.http import Http404
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from documents.models import DraftAttachment
from workgroups.selectors import membership_for


@hooks.register("before_serve_document")
def serve_attachments_only_to_members(document, request):
    """Wagtail's own document URL answers 404 to anyone outside the group of
    the draft a file is attached to (docs/security.md, AC-08)."""
    attachment = DraftAttachment.objects.filter(document=document).only(
        "draft__group_id"
    )
    group_id = attachment.values_list("draft__group_id", flat=True).first()
    if group_id is not None and membership_for(request.user, group_id) is None:
        raise Http404


@hooks.register("register_log_actions")
def register_draft_log_actions(actions):
    actions.register_action(
        "documents.attachment.add", _("Attach a file"), _("File attached")
    )
    for action, label, message in [
        ("group", _("Submit for group review"), _("Submitted for group review")),
        ("approved", _("Record the group's approval"), _("Approved by the group")),
        ("editorial", _("Send to the editors"), _("Sent to the editors")),
        (
            "published",
            _("Publish as a recommendation"),
            _("Published as a recommendation"),
        ),
        ("changes", _("Request changes"), _("The editors asked for changes")),
        ("withdrawn", _("Withdraw"), _("Withdrawn")),
        ("reopened", _("Reopen"), _("Reopened")),
    ]:
        actions.register_action(f"documents.review.{action}", label, message)
