from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from documents import review, selectors, services, votes
from documents.exports import draft_docx
from documents.forms import (
    ApprovalForm,
    AttachmentForm,
    CommentForm,
    CompareForm,
    DraftForm,
)
from documents.live.views import editor_context
from documents.models import Draft, DraftComment
from documents.text import compare
from home.actions import error_text, perform
from workgroups import access
from workgroups.models import AgendaItem
from workgroups.page_cache import member_page
from workgroups.selectors import member_group_or_404


@login_required
def group_drafts(request, group_id):
    group, membership = member_group_or_404(request.user, group_id)
    form = DraftForm(request.POST or None)
    if request.method == "POST":
        if not membership.can_write:
            raise Http404
        if form.is_valid():
            draft = services.draft_create(
                actor=request.user, group=group, **form.values()
            )
            messages.success(request, _("The draft was created."))
            return redirect("documents:detail", pk=draft.pk)
    return render(
        request,
        "documents/group_drafts.html",
        {
            "group": group,
            "membership": membership,
            "drafts": selectors.drafts_of_group(group),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


def _threads_by_block(draft):
    """Comment threads by the block their text starts in."""
    threads = {}
    for thread in selectors.comment_threads(draft):
        threads.setdefault(thread.block, []).append(thread)
    return threads


@login_required
@member_page
def draft_detail(request, pk):
    draft, membership = selectors.draft_for_member_or_404(request.user, pk)
    services.presence_mark(user=request.user, draft=draft)
    threads = _threads_by_block(draft)
    current_ids = {block_id for block_id, _, _ in draft.paragraphs()}
    return render(
        request,
        "documents/draft_detail.html",
        {
            "draft": draft,
            "membership": membership,
            "blocks": [
                {"id": child.id, "child": child, "threads": threads.get(child.id, [])}
                for child in draft.body
            ],
            "orphan_threads": [
                thread
                for block_id, block_threads in threads.items()
                if block_id not in current_ids
                for thread in block_threads
            ],
            "attachments": draft.attachments.select_related("document"),
            "attachment_form": AttachmentForm(),
            "present": selectors.others_present(draft, request.user),
            "actions": draft.actions.order_by("path"),
            **_review_context(draft, membership),
            **_live_view(request, draft, membership),
        },
    )


def _live_view(request, draft, membership):
    """Observers follow the live text here, read-only (writers write it on
    the edit page)."""
    if membership.can_write:
        return {}
    return editor_context(request, draft, membership)


def _review_context(draft, membership):
    approval = draft.approvals.select_related(
        "version", "decision__minutes__meeting"
    ).first()
    page = draft.recommendation_pages.first()
    context = {
        "approval": approval,
        "recommendation": page,
        "review_history": selectors.review_history(draft),
    }
    if membership.can_manage and draft.status == Draft.Status.GROUP_REVIEW:
        decisions = review.approving_decisions(draft)
        context["approval_form"] = ApprovalForm(draft=draft, decisions=decisions)
    return context


REVIEW_STEPS = {
    "submit": (
        review.submit_for_group_review,
        gettext_lazy("The draft is now in group review."),
    ),
    "editors": (
        review.send_to_editors,
        gettext_lazy("The draft was sent to the editors."),
    ),
    "withdraw": (review.withdraw, gettext_lazy("The draft was withdrawn.")),
    "reopen": (review.reopen, gettext_lazy("The draft was reopened.")),
}


@login_required
@require_POST
def draft_review(request, pk, step):
    """The chair's or the secretary's steps of the review (documents.review);
    everyone else gets 404, as for a draft they cannot see."""
    draft, _membership = selectors.draft_for_member_or_404(
        request.user, pk, manage=True
    )
    if step == "approve":
        action = partial(_record_approval, request, draft)
        success = _("The group's approval was recorded.")
    elif step == "vote":
        action = partial(votes.open_from_request, request, draft)
        success = _("The proposal is open for votes.")
    elif step in REVIEW_STEPS:
        service, success = REVIEW_STEPS[step]
        action = partial(service, actor=request.user, draft_id=draft.pk)
    else:
        raise Http404
    return perform(
        request, action, success=success, redirect_to=draft_url(draft) + "#review"
    )


def _record_approval(request, draft):
    form = ApprovalForm(
        request.POST, draft=draft, decisions=review.approving_decisions(draft)
    )
    if not form.is_valid():
        raise ValidationError(
            [error for errors in form.errors.values() for error in errors]
        )
    review.record_group_approval(
        actor=request.user,
        draft_id=draft.pk,
        decision_id=form.cleaned_data["decision"].pk,
        version_number=form.cleaned_data["version"],
    )


@login_required
def draft_versions(request, pk):
    draft, membership = selectors.draft_for_member_or_404(request.user, pk)
    return render(
        request,
        "documents/draft_versions.html",
        {
            "draft": draft,
            "membership": membership,
            "versions": selectors.versions_with_editors(draft),
            "decisions": selectors.suggestion_decisions(draft),
        },
    )


@login_required
def draft_compare(request, pk):
    draft, _membership = selectors.draft_for_member_or_404(request.user, pk)
    form = CompareForm(request.GET)
    if not form.is_valid():
        raise Http404
    _, older = selectors.version_for_member_or_404(
        request.user, pk, form.cleaned_data["a"]
    )
    _, newer = selectors.version_for_member_or_404(
        request.user, pk, form.cleaned_data["b"]
    )
    return render(
        request,
        "documents/draft_compare.html",
        {
            "draft": draft,
            "older": older,
            "newer": newer,
            "rows": compare(
                older.as_draft().paragraphs(), newer.as_draft().paragraphs()
            ),
            "decisions": selectors.suggestion_decisions(draft, between=(older, newer)),
        },
    )


@login_required
@require_POST
def draft_restore(request, pk, number):
    draft, _membership = selectors.draft_for_member_or_404(request.user, pk, write=True)
    selectors.version_for_member_or_404(request.user, pk, number)
    try:
        base_version = int(request.POST.get("base_version", ""))
    except ValueError:
        base_version = -1
    try:
        services.draft_restore(
            actor=request.user,
            draft_id=draft.pk,
            number=number,
            base_version=base_version,
        )
    except services.StaleDraft:
        messages.error(
            request,
            _(
                "Someone saved the draft meanwhile; nothing was restored. Look "
                "again and retry."
            ),
        )
        return redirect("documents:versions", pk=draft.pk)
    messages.success(
        request,
        _("Version %(number)s was restored as a new version.") % {"number": number},
    )
    return redirect("documents:detail", pk=draft.pk)


@login_required
@require_POST
def comment_create(request, pk):
    """A thread on a paragraph (the page's form) or on any range of the
    text (the editor's, with ``anchor_start`` and ``anchor_end``), or a
    reply."""
    draft, membership = selectors.draft_for_member_or_404(request.user, pk, write=True)
    form = CommentForm(request.POST)
    back = f"{draft_url(draft)}#p-{form.data.get('block_id', '')}"
    if not form.is_valid():
        refused = ValidationError(
            [error for errors in form.errors.values() for error in errors]
        )
        return _comment_refused(request, draft, membership, refused, back)
    parent = None
    if form.cleaned_data["parent"]:
        parent = DraftComment.objects.filter(
            pk=form.cleaned_data["parent"], draft=draft
        ).first()
        if parent is None:
            raise Http404
    action = partial(
        services.comment_add,
        actor=request.user,
        draft=draft,
        block_id=form.cleaned_data["block_id"],
        text=form.cleaned_data["text"],
        parent=parent,
        anchors=form.anchors(),
    )
    if _from_editor(request):
        return _comments_answer(request, draft, membership, action)
    return perform(
        request,
        action,
        success=_("Your comment was added."),
        redirect_to=back,
    )


def _from_editor(request):
    """The live editor's comments panel posts with fetch and shows the
    panel it gets back."""
    return request.headers.get("X-Requested-With") == "fetch"


def _comment_refused(request, draft, membership, refused, back):
    if _from_editor(request):
        return _comments_answer(request, draft, membership, partial(_raise, refused))
    messages.error(
        request,
        _("The comment was not added: %(errors)s")
        % {"errors": " ".join(refused.messages)},
    )
    return redirect(back)


def _raise(error):
    raise error


def _comments_answer(request, draft, membership, action):
    """The editor's comments panel after ``action``, with its refusal (400)
    or what was done, for the panel's live region."""
    error, retry, status = "", False, 200
    try:
        action()
    except ValidationError as refused:
        error, status = error_text(refused), 400
        # The editor's last keystrokes may not have reached the server yet.
        retry = any(item.code == "not_in_draft" for item in refused.error_list)
    return render(
        request,
        "documents/_range_comments.html",
        {
            "draft": draft,
            "membership": membership,
            "threads": selectors.comment_threads(draft),
            "error": error,
            "retry": retry,
        },
        status=status,
    )


def draft_url(draft):
    return reverse("documents:detail", kwargs={"pk": draft.pk})


@login_required
@require_POST
def comment_resolve(request, pk, comment_id):
    draft, membership = selectors.draft_for_member_or_404(request.user, pk, write=True)
    comment = DraftComment.objects.filter(pk=comment_id, draft=draft).first()
    if comment is None:
        raise Http404
    action = partial(
        services.comment_set_resolved,
        actor=request.user,
        comment=comment,
        resolved=request.POST.get("resolved") == "1",
    )
    if _from_editor(request):
        return _comments_answer(request, draft, membership, action)
    return perform(
        request, action, redirect_to=f"{draft_url(draft)}#thread-{comment.pk}"
    )


@login_required
@require_POST
def attachment_create(request, pk):
    draft, _membership = selectors.draft_for_member_or_404(request.user, pk, write=True)
    form = AttachmentForm(request.POST, request.FILES)
    not_attached = _("The file was not attached: %(reason)s")
    if not form.is_valid():
        messages.error(
            request, not_attached % {"reason": " ".join(form.errors["file"])}
        )
        return redirect(draft_url(draft) + "#attachments")
    return perform(
        request,
        lambda: services.attachment_upload(
            actor=request.user, draft=draft, upload=form.cleaned_data["file"]
        ),
        success=lambda attachment: _("“%(name)s” was attached.") % {"name": attachment},
        redirect_to=draft_url(draft) + "#attachments",
        error=not_attached,
    )


@login_required
def attachment_download(request, pk, attachment_id):
    attachment = selectors.attachment_for_member_or_404(request.user, attachment_id)
    if attachment.draft_id != pk:
        raise Http404
    document = attachment.document
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.title,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_POST
def draft_presence(request, pk):
    """The heartbeat of an open draft page: marks the person present and
    answers with who else is."""
    draft, _membership = selectors.draft_for_member_or_404(request.user, pk)
    services.presence_mark(
        user=request.user, draft=draft, editing=request.POST.get("editing") == "1"
    )
    return render(
        request,
        "documents/_presence.html",
        {"present": selectors.others_present(draft, request.user)},
    )


@login_required
def draft_print(request, pk):
    draft, _membership = selectors.draft_for_member_or_404(request.user, pk)
    return render(request, "documents/draft_print.html", {"draft": draft})


@login_required
def draft_export_docx(request, pk):
    draft, _membership = selectors.draft_for_member_or_404(request.user, pk)
    response = HttpResponse(
        draft_docx(draft),
        content_type=(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        ),
    )
    filename = f"{slugify(draft.title)[:80] or 'projekt'}-v{draft.version}.docx"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@require_POST
def agenda_link(request, item_id):
    item = AgendaItem.objects.select_related("meeting").filter(pk=item_id).first()
    draft_id = request.POST.get("draft", "")
    draft = Draft.objects.filter(pk=draft_id).first() if draft_id.isdigit() else None
    if item is None or draft is None:
        raise Http404
    access.require_membership(request.user, item.meeting.group_id)
    try:
        services.agenda_draft_link(actor=request.user, agenda_item=item, draft=draft)
    except PermissionDenied as denied:
        raise Http404 from denied
    messages.success(request, _("The draft was linked to the agenda item."))
    return redirect(item.meeting.get_absolute_url() + "#agenda")
