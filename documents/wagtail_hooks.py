from html import unescape

from django.contrib import messages
from django.http import Http404
from django.utils.html import strip_tags
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin import messages as admin_messages

from documents.models import RecommendationPage
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


def _in_review(page):
    return isinstance(page, RecommendationPage) and page.current_workflow_state


@hooks.register("construct_page_action_menu")
def review_actions_first(menu_items, request, context):
    """On a recommendation in review the editor's decision comes first:
    approve (which publishes) as the main button, then "request changes",
    before saving or publishing past the review."""
    if not _in_review(context.get("page")):
        return
    menu_items.sort(key=_review_rank)


def _review_rank(item):
    if item.name == "approve" and not item.launch_modal:
        return 0
    return 1 if item.name == "reject" else 2


# Wagtail's own message, translated by its catalogue (not extracted here).
WAGTAIL_UPDATED = "Page '%(page_title)s' has been updated."
REVIEW_MESSAGES = {
    "approve": _(
        "Approved: the recommendation “%(title)s” is published and its group is told."
    ),
    "reject": _(
        "Changes requested: “%(title)s” went back to its working group with your "
        "comment; the public page is unchanged."
    ),
}


@hooks.register("after_edit_page")
def explicit_review_message(request, page):
    """Wagtail ends both decisions with "the page has been updated"; the
    editor is told instead what the decision did."""
    action = request.POST.get("workflow-action-name")
    if not isinstance(page.specific, RecommendationPage) or action not in (
        REVIEW_MESSAGES
    ):
        return
    updated = gettext(WAGTAIL_UPDATED) % {"page_title": page.get_admin_display_title()}
    storage = messages.get_messages(request)
    kept = [m for m in storage if unescape(strip_tags(m.message)).strip() != updated]
    for message in kept:
        messages.add_message(
            request, message.level, message.message, message.extra_tags
        )
    admin_messages.success(request, REVIEW_MESSAGES[action] % {"title": page.title})
