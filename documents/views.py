from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
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
    DraftDetailsForm,
    DraftEditForm,
    DraftForm,
)
from documents.live.views import editor_context
from documents.models import Draft, DraftComment
from documents.text import body_to_text, compare, text_to_blocks
from home.actions import perform
from workgroups import access
from workgroups.models import AgendaItem
from workgroups.selectors import member_group_or_404


def _draft_values(form):
    data = form.cleaned_data
    return {
        "title": data["title"],
        "summary": data["summary"],
        "text": data["text"],
        "note": data["note"],
        "actions": data["actions"],
    }


@login_required
def group_drafts(request, group_id):
    group, membership = member_group_or_404(request.user, group_id)
    form = DraftForm(request.POST or None)
    if request.method == "POST":
        if not membership.can_write:
            raise Http404
        if form.is_valid():
            draft = services.draft_create(
                actor=request.user, group=group, **_draft_values(form)
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


def _threads(draft):
    """Comment threads by paragraph id, each marked when its paragraph changed
    or is gone since the thread began."""
    paragraphs = {block_id: text for block_id, _, text in draft.paragraphs()}
    comments = list(draft.comments.select_related("author", "resolved_by"))
    replies = {}
    for comment in comments:
        if comment.parent_id:
            replies.setdefault(comment.parent_id, []).append(comment)
    threads = {}
    for comment in comments:
        if comment.parent_id:
            continue
        comment.thread_replies = replies.get(comment.pk, [])
        comment.paragraph_removed = comment.block_id not in paragraphs
        comment.paragraph_changed = (
            not comment.paragraph_removed
            and paragraphs[comment.block_id] != comment.anchored_text
        )
        threads.setdefault(comment.block_id, []).append(comment)
    return threads


@login_required
def draft_detail(request, pk):
    draft, membership = selectors.draft_for_member_or_404(request.user, pk)
    services.presence_mark(user=request.user, draft=draft)
    threads = _threads(draft)
    current_ids = {block_id for block_id, _, _ in draft.paragraphs()}
    return render(
        request,
        "documents/draft_detail.html",
        {
            "draft": draft,
            "membership": membership,
            "blocks": [
                {
                    "id": block_id,
                    "kind": kind,
                    "text": text,
                    "threads": threads.get(block_id, []),
                }
                for block_id, kind, text in draft.paragraphs()
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


def _live_state(draft):
    """The plain form's fingerprint of the live document, signed for this
    draft."""
    return signing.dumps(
        services.live_fingerprint(draft.pk), salt=f"documents.live.{draft.pk}"
    )


def _live_mark(form, draft):
    """The fingerprint the form was opened with. One that cannot be read
    (missing, forged, another draft's) matches nothing: the save is refused
    with the merge helper, never taken as fresh."""
    try:
        mark = signing.loads(
            form.cleaned_data["live_state"], salt=f"documents.live.{draft.pk}"
        )
    except signing.BadSignature:
        return -1
    return mark if isinstance(mark, int) else -1


def _plain_form(draft, **initial):
    """The form without JavaScript, opened on the live document's text (so
    that what was written live and not yet saved as a version is kept)."""
    return DraftEditForm(
        initial={
            "title": draft.title,
            "summary": draft.summary,
            "text": body_to_text(services.live_body(draft)),
            "actions": list(draft.actions.all()),
            "base_version": draft.version,
            "live_state": _live_state(draft),
        }
        | initial
    )


def _details_form(draft, data=None, **initial):
    return DraftDetailsForm(
        data,
        prefix="details",
        initial={
            "title": draft.title,
            "summary": draft.summary,
            "actions": list(draft.actions.all()),
            "base": services.details_fingerprint(draft),
        }
        | initial,
    )


def _edit_page(request, draft, membership, *, details=None, status=200, **extra):
    context = {"draft": draft, "form": _plain_form(draft)}
    context |= editor_context(request, draft, membership)
    if context["live"]["writable"]:
        context["details_form"] = details or _details_form(draft)
    return render(request, "documents/draft_edit.html", context | extra, status=status)


@login_required
def draft_edit(request, pk):
    draft, membership = selectors.draft_for_member_or_404(request.user, pk, write=True)
    services.presence_mark(user=request.user, draft=draft, editing=True)
    if request.method != "POST":
        return _edit_page(request, draft, membership)
    form = DraftEditForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "documents/draft_edit.html",
            {"draft": draft, "form": form},
            status=400,
        )
    try:
        services.draft_save(
            actor=request.user,
            draft_id=draft.pk,
            base_version=form.cleaned_data["base_version"],
            live_mark=_live_mark(form, draft),
            **_draft_values(form),
        )
    except services.StaleDraft as stale:
        live = isinstance(stale, services.StaleLive)
        return _conflict(request, stale.draft, form, live=live)
    messages.success(request, _("Saved as a new version."))
    return redirect("documents:detail", pk=draft.pk)


def _conflict(request, current, form, *, live):
    """Someone saved first, or wrote in the live document since the form was
    opened: keep the author's text in the form, now based on the current
    text, and show how it differs from the current (live) text."""
    theirs = services.live_paragraphs(current)
    yours = text_to_blocks(form.cleaned_data["text"], previous=theirs)
    data = form.cleaned_data | {
        "base_version": current.version,
        "live_state": _live_state(current),
    }
    return render(
        request,
        "documents/draft_edit.html",
        {
            "draft": current,
            "form": DraftEditForm(initial=data),
            "conflict": "live" if live else "version",
            "rows": compare(
                theirs,
                [(block["id"], block["type"], block["value"]) for block in yours],
            ),
        },
        status=409,
    )


@login_required
@require_POST
def draft_details(request, pk):
    """Title, summary and programme actions, beside the live editor."""
    draft, membership = selectors.draft_for_member_or_404(request.user, pk, write=True)
    form = _details_form(draft, request.POST)
    if not form.is_valid():
        return _edit_page(request, draft, membership, details=form, status=400)
    values = {key: form.cleaned_data[key] for key in ("title", "summary", "actions")}
    try:
        services.draft_save_details(
            actor=request.user,
            draft_id=draft.pk,
            base=form.cleaned_data["base"],
            **values,
        )
    except services.StaleDetails as stale:
        current = stale.draft
        kept = _details_form(current, **values)
        return _edit_page(
            request,
            current,
            membership,
            details=kept,
            details_conflict=current,
            status=409,
        )
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("documents:edit", pk=draft.pk)
    messages.success(request, _("The title, summary and programme actions were saved."))
    return redirect("documents:edit", pk=draft.pk)


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
    draft, _membership = selectors.draft_for_member_or_404(request.user, pk, write=True)
    form = CommentForm(request.POST)
    back = f"{draft_url(draft)}#p-{form.data.get('block_id', '')}"
    if not form.is_valid():
        messages.error(
            request,
            _("The comment was not added: %(errors)s")
            % {
                "errors": " ".join(e for errors in form.errors.values() for e in errors)
            },
        )
        return redirect(back)
    parent = None
    if form.cleaned_data["parent"]:
        parent = DraftComment.objects.filter(
            pk=form.cleaned_data["parent"], draft=draft
        ).first()
        if parent is None:
            raise Http404
    return perform(
        request,
        lambda: services.comment_add(
            actor=request.user,
            draft=draft,
            block_id=form.cleaned_data["block_id"],
            text=form.cleaned_data["text"],
            parent=parent,
        ),
        success=_("Your comment was added."),
        redirect_to=back,
    )


def draft_url(draft):
    return reverse("documents:detail", kwargs={"pk": draft.pk})


@login_required
@require_POST
def comment_resolve(request, pk, comment_id):
    draft, _membership = selectors.draft_for_member_or_404(request.user, pk, write=True)
    comment = DraftComment.objects.filter(pk=comment_id, draft=draft).first()
    if comment is None:
        raise Http404
    resolved = request.POST.get("resolved") == "1"
    return perform(
        request,
        lambda: services.comment_set_resolved(
            actor=request.user, comment=comment, resolved=resolved
        ),
        redirect_to=f"{draft_url(draft)}#p-{comment.block_id}",
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
