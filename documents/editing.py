"""The draft's edit page (docs/subsystems/co-editing.md): the plain form
of the page without JavaScript, opened on the live text and refused with
the merge helper when the text changed since it was opened, and the details
(title, summary, programme actions) edited beside the live editor."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from documents import selectors, services
from documents.blocks import plain_text
from documents.forms import DraftDetailsForm, DraftEditForm
from documents.live.views import editor_context
from documents.text import body_to_text, compare, text_to_blocks


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
    context = {
        "draft": draft,
        "membership": membership,
        "form": _plain_form(draft),
        "threads": selectors.comment_threads(draft),
    }
    context |= editor_context(request, draft, membership)
    if context["live"]["writable"] and not context["live"]["suggestOnly"]:
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
            **form.values(),
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
                [
                    (
                        block["id"],
                        block["type"],
                        plain_text(block["type"], block["value"]),
                    )
                    for block in yours
                ],
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
