"""The way from a group's draft to a published recommendation:

draft → in group review → approved by the group (a decision of approved
minutes, on an agenda item the draft was linked to) → in editorial review
(Wagtail's workflow on a recommendation page holding a copy of the approved
version) → published by an editor in the Wagtail admin.

The chair or the secretary moves the draft; editors decide in the admin. An
editor's "request changes" sends the draft back to the group."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _

from wagtail.log_actions import log
from wagtail.models import Locale, Page, Workflow

from documents import richtext, suggestions, votes
from documents.blocks import HEADINGS, LISTS, list_items
from documents.models import (
    AgendaDraft,
    Draft,
    DraftApproval,
    DraftVersion,
    RecommendationIndexPage,
    RecommendationPage,
)
from workgroups import access
from workgroups.models import Decision, Membership, Minutes, Notification
from workgroups.services.notifications import link, notify_members_on_commit

WORKFLOW_NAME = "Przegląd redakcyjny rekomendacji"

Status = Draft.Status


def _locked_draft_for_manager(actor, draft_id):
    draft = Draft.objects.select_for_update().get(pk=draft_id)
    access.check_membership(actor, draft.group_id, manage=True)
    return draft


def _tell_group(draft, step, *, only=None, title=None):
    """Notifies the group's members (or ``only`` these user ids) of a
    ``step`` of the review (its wording: ``Notification``'s ``WORDING``),
    worded in each reader's language, never in that of the editor's admin."""
    notify_members_on_commit(
        group=draft.group,
        kind=Notification.Kind.DRAFT_REVIEW,
        params={
            "step": step,
            "title": title or draft.title,
            "link": link("documents:detail", draft.pk),
        },
        only=only,
    )


def _move(draft, actor, status, action, data=None):
    draft.status = status
    draft.save(update_fields=["status", "updated_at"])
    log(draft, action, user=actor, data=data or {})


@transaction.atomic
def submit_for_group_review(*, actor, draft_id) -> Draft:
    """The chair or the secretary asks the group to review the draft."""
    draft = _locked_draft_for_manager(actor, draft_id)
    if draft.status != Status.DRAFT:
        raise ValidationError(_("Only a draft in writing can go to group review."))
    _move(draft, actor, Status.GROUP_REVIEW, "documents.review.group")
    _tell_group(draft, "group_review")
    return draft


def approving_decisions(draft):
    """Decisions of approved minutes of the draft's group, taken on agenda
    items the draft was linked to, and decisions of carried proposals to
    approve it: the only ones that can approve it."""
    items = AgendaDraft.objects.filter(draft=draft).values("agenda_item")
    in_minutes = Q(
        agenda_item__in=items,
        minutes__status=Minutes.Status.APPROVED,
        minutes__meeting__group_id=draft.group_id,
    )
    return (
        Decision.objects.filter(in_minutes | votes.carried_for(draft))
        .select_related("minutes__meeting", "proposal")
        .order_by(F("minutes__meeting__starts_at").desc(nulls_first=True), "pk")
    )


@transaction.atomic
def record_group_approval(*, actor, draft_id, decision_id, version_number) -> Draft:
    """Records that ``decision`` approved version ``version_number``."""
    draft = _locked_draft_for_manager(actor, draft_id)
    if draft.status != Status.GROUP_REVIEW:
        raise ValidationError(
            _("Only a draft in group review can be approved by the group.")
        )
    decision = approving_decisions(draft).filter(pk=decision_id).first()
    if decision is None:
        raise ValidationError(
            _(
                "Choose a decision of approved minutes, taken on an agenda item "
                "this draft is linked to."
            )
        )
    if (
        decision.method == Decision.Method.VOTE
        and decision.votes_for <= decision.votes_against
    ):
        raise ValidationError(_("This decision was not carried by the vote."))
    version = DraftVersion.objects.filter(draft=draft, number=version_number).first()
    if version is None:
        raise ValidationError(_("This draft has no such version."))
    if suggestions.open_count(draft):
        raise ValidationError(
            _(
                "The draft still has open suggestions: accept or reject each of "
                "them, save a version, then record the approval."
            )
        )
    approval = DraftApproval.objects.create(
        draft=draft, version=version, decision=decision, recorded_by=actor
    )
    # The suggestions the group accepted in this review: the approval's.
    draft.suggestion_decisions.filter(
        accepted=True, in_group_review=True, approval__isnull=True
    ).update(approval=approval)
    _move(
        draft,
        actor,
        Status.APPROVED,
        "documents.review.approved",
        {"version": version.number, "decision": decision.pk},
    )
    return draft


def recommendations_index(locale=None):
    locale = locale or Locale.get_default()
    return RecommendationIndexPage.objects.filter(locale=locale).first()


def _stream_from_draft(version_draft):
    """The public body: the draft's blocks as the programme's content blocks,
    keeping their ids: headings at their level, paragraphs and lists as rich
    text (the draft's HTML is already only bold, italic and links), quotes
    as quotations."""
    return [
        {"type": kind, "value": value, "id": block["id"]}
        for block in version_draft.body.raw_data
        for kind, value in [_public_block(block["type"], block["value"])]
    ]


def _public_block(kind, value):
    if kind in HEADINGS:
        level = "h3" if kind == "subheading" else "h2"
        return "heading", {"text": str(value)[:200], "level": level}
    if kind == "quote":
        return "quote", {"text": richtext.plain(value), "source": ""}
    if kind in LISTS:
        tag = "ul" if kind == "bulleted_list" else "ol"
        items = "".join(f"<li>{item}</li>" for item in list_items(value))
        return "paragraph", f"<{tag}>{items}</{tag}>"
    return "paragraph", f"<p>{richtext.sanitise(value)}</p>"


def _recommendation_page(draft, index):
    """The draft's page in the programme, made (not live) the first time."""
    page = RecommendationPage.objects.filter(draft=draft).first()
    if page is not None:
        return page
    page = RecommendationPage(
        title=draft.title,
        slug=f"{slugify(draft.title)[:60].strip('-') or 'rekomendacja'}-{draft.pk}",
        live=False,
        draft=draft,
    )
    index.add_child(instance=page)
    return page


@transaction.atomic
def send_to_editors(*, actor, draft_id) -> RecommendationPage:
    """A new revision of the draft's recommendation page, holding the approved
    version, goes into Wagtail's workflow. The live page (if any) keeps its
    text until an editor publishes this revision."""
    draft = _locked_draft_for_manager(actor, draft_id)
    if draft.status != Status.APPROVED:
        raise ValidationError(_("Only a draft the group approved can go to editors."))
    index = recommendations_index()
    if index is None:
        raise ValidationError(
            _(
                "The programme has no recommendations section yet; ask the "
                "editors to add one."
            )
        )
    approval = draft.approvals.select_related(
        "version__revision", "decision__minutes"
    ).first()
    approved = approval.version.as_draft()
    page = _recommendation_page(draft, index)
    workflow = page.get_workflow()
    if workflow is None:
        raise ValidationError(_("No editorial workflow is set up for recommendations."))
    current = page.current_workflow_state
    if current is not None:
        current.cancel(user=actor)
    page.title = approved.title
    page.summary = f"<p>{escape(approved.summary)}</p>" if approved.summary else ""
    page.body = _stream_from_draft(approved)
    page.group = draft.group
    page.decision = approval.decision
    page.draft_version = approval.version.number
    page.approved_on = timezone.localdate(approval.decision.minutes.approved_at)
    page.actions.set(draft.actions.all())
    page.save_revision(user=actor, log_action=True)
    workflow.start(page, actor)
    _move(
        draft,
        actor,
        Status.EDITORIAL_REVIEW,
        "documents.review.editorial",
        {"version": approval.version.number, "page": page.pk},
    )
    return page


@transaction.atomic
def withdraw(*, actor, draft_id) -> Draft:
    """The group stops the draft; an editorial review under way is cancelled.
    A page already published stays until the editors unpublish it."""
    draft = _locked_draft_for_manager(actor, draft_id)
    if draft.status == Status.WITHDRAWN:
        raise ValidationError(_("The draft is already withdrawn."))
    # Withdrawn first, so that cancelling the review below does not also
    # hand the draft back as "approved by the group" (on_review_cancelled).
    _move(draft, actor, Status.WITHDRAWN, "documents.review.withdrawn")
    page = RecommendationPage.objects.filter(draft=draft).first()
    if page is not None and page.current_workflow_state is not None:
        page.current_workflow_state.cancel(user=actor)
    return draft


@transaction.atomic
def reopen(*, actor, draft_id) -> Draft:
    draft = _locked_draft_for_manager(actor, draft_id)
    if draft.status != Status.WITHDRAWN:
        raise ValidationError(_("Only a withdrawn draft can be reopened."))
    _move(draft, actor, Status.DRAFT, "documents.review.reopened")
    return draft


def back_to_writing_after_save(draft):
    """A new text after the group's approval or publication needs a new
    approval (called inside the save's transaction)."""
    if draft.status in (Status.APPROVED, Status.PUBLISHED):
        draft.status = Status.DRAFT


def _draft_in_editorial_review(page):
    """The page's draft, locked, if it is waiting for the editors."""
    return (
        Draft.objects.select_for_update()
        .filter(pk=page.draft_id, status=Status.EDITORIAL_REVIEW)
        .first()
    )


def on_recommendation_published(page, user):
    """Wagtail published a recommendation page: its draft is published."""
    draft = _draft_in_editorial_review(page)
    if draft is None:
        return
    _move(
        draft,
        user,
        Status.PUBLISHED,
        "documents.review.published",
        {"version": page.draft_version, "page": page.pk},
    )
    _tell_group(
        draft,
        "published",
        title=page.title,
    )


def on_review_cancelled(page, user):
    """An editor (or an administrator) cancelled the review in the admin: the
    draft is again "approved by the group", so that its chair or secretary
    can send it once more; they are told."""
    draft = _draft_in_editorial_review(page)
    if draft is None:
        return
    _move(draft, user, Status.APPROVED, "documents.review.cancelled")
    managers = draft.group.memberships.current().filter(
        role__in=[Membership.Role.CHAIR, Membership.Role.SECRETARY]
    )
    _tell_group(
        draft,
        "cancelled",
        only=managers.values_list("user_id", flat=True),
    )


def on_changes_requested(page, user, comment):
    """An editor asked for changes: the group revises and approves again."""
    draft = _draft_in_editorial_review(page)
    if draft is None:
        return
    _move(draft, user, Status.DRAFT, "documents.review.changes", {"comment": comment})
    _tell_group(draft, "changes")


def prepare_section(index_page):
    """Sets up a recommendations section: the review workflow (made by the
    documents migration) unless the page has one of its own, and the right of
    the "Editors" group to publish there, which approving the review's
    last step does."""
    from django.contrib.auth.models import Group, Permission

    from wagtail.models import GroupPagePermission, WorkflowPage

    page = Page.objects.get(pk=index_page.pk)
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is not None:
        WorkflowPage.objects.get_or_create(page=page, defaults={"workflow": workflow})
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        GroupPagePermission.objects.get_or_create(
            group=editors,
            page=page,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename="publish_page"
            ),
        )
