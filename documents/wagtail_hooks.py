from django.http import Http404
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from workgroups import access


@hooks.register("before_serve_document")
def serve_private_files_only_to_members(document, request):
    """Wagtail's own document URL: a file in a working group's private
    collection (an attachment, or anything put there in the admin) answers
    404 to anyone but the group's current members, and a private file whose
    group cannot be told, to everyone (docs/security.md, AC-08)."""
    if not access.may_read_document(request.user, document):
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
        (
            "cancelled",
            _("Cancel the editorial review"),
            _("The editors cancelled the review; approved by the group again"),
        ),
        ("withdrawn", _("Withdraw"), _("Withdrawn")),
        ("reopened", _("Reopen"), _("Reopened")),
    ]:
        actions.register_action(f"documents.review.{action}", label, message)
