"""Minutes: read, write (notes, decisions, action items), approve, correct,
history, DOCX export; action item status."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from home.actions import error_text, perform
from workgroups import panels, selectors
from workgroups.forms import (
    ActionItemForm,
    ActionStatusForm,
    CorrectionForm,
    DecisionForm,
)
from workgroups.models import Minutes
from workgroups.models.record import (
    minutes_canonical_text,
    quorum_of,
    quorum_sentence,
)
from workgroups.services import minutes as services


def _minutes_or_404(user, meeting_id, *, manage=False):
    """Draft minutes are seen only by the chair and the secretary (AC-07);
    once approved, by every member."""
    meeting, membership = selectors.member_meeting_or_404(
        user, meeting_id, manage=manage
    )
    minutes = (
        Minutes.objects.filter(meeting=meeting).select_related("approved_by").first()
    )
    if minutes is None or (not minutes.was_approved and not membership.can_manage):
        raise Http404
    return meeting, membership, minutes


def _structured(meeting, minutes):
    """Agenda items with their notes, conflicts, decisions and actions."""
    items = list(meeting.agenda_items.prefetch_related("conflicts__user"))
    notes = {n.agenda_item_id: n.notes for n in minutes.items.all()}
    decisions = list(minutes.decisions.prefetch_related("votes__user"))
    actions = list(minutes.action_items.select_related("owner"))
    extras = panels.decision_extras(decisions)
    for decision in decisions:
        decision.extras = extras.get(decision.pk, [])
    for item in items:
        item.notes = notes.get(item.pk, "")
        item.minutes_decisions = [d for d in decisions if d.agenda_item_id == item.pk]
        item.minutes_actions = [a for a in actions if a.agenda_item_id == item.pk]
    return items


@login_required
def minutes_detail(request, meeting_id):
    meeting, membership, minutes = _minutes_or_404(request.user, meeting_id)
    show_live = membership.can_manage or minutes.is_approved
    quorum = (
        (minutes.voting_members, minutes.voting_present, minutes.quorum_required)
        if minutes.is_approved
        else quorum_of(meeting)
    )
    attendees = meeting.attendance.select_related("user").order_by("user__last_name")
    context = {
        "meeting": meeting,
        "group": meeting.group,
        "membership": membership,
        "minutes": minutes,
        "show_live": show_live,
        "items": _structured(meeting, minutes) if show_live else [],
        "attendees": attendees,
        "quorum_sentence": quorum_sentence(*quorum),
        "quorum_reached": quorum[1] >= quorum[2],
    }
    return render(request, "workgroups/minutes.html", context)


@login_required
def minutes_edit(request, meeting_id):
    meeting, membership, minutes = _minutes_or_404(
        request.user, meeting_id, manage=True
    )
    if not minutes.is_editable:
        messages.error(
            request,
            _("Approved minutes are read-only. Start a correction to change them."),
        )
        return redirect("workgroups:minutes", meeting.pk)
    status = 200
    if request.method == "POST":
        try:
            version = int(request.POST.get("version", ""))
            notes = {
                item.pk: request.POST.get(f"notes_{item.pk}", "")[:20000]
                for item in meeting.agenda_items.all()
            }
            services.minutes_save(
                actor=request.user, minutes=minutes, notes=notes, base_version=version
            )
        except ValueError:
            messages.error(request, _("The form could not be read."))
            status = 400
        except ValidationError as error:
            messages.error(request, error_text(error))
            status = 409 if getattr(error, "code", "") == "stale" else 400
        else:
            messages.success(request, _("The minutes are saved."))
            return redirect("workgroups:minutes_edit", meeting.pk)
    context = {
        "meeting": meeting,
        "group": meeting.group,
        "membership": membership,
        "minutes": minutes,
        "items": _structured(meeting, minutes),
        "decision_form": DecisionForm(meeting=meeting, prefix="decision"),
        "action_form": ActionItemForm(meeting=meeting, prefix="action"),
    }
    return render(request, "workgroups/minutes_edit.html", context, status=status)


@require_POST
@login_required
def decision_add(request, meeting_id):
    meeting, _m, minutes = _minutes_or_404(request.user, meeting_id, manage=True)
    form = DecisionForm(request.POST, meeting=meeting, prefix="decision")
    back = reverse("workgroups:minutes_edit", args=[meeting.pk])
    if not form.is_valid():
        messages.error(request, _("Choose an agenda item and write the decision."))
        return redirect(back)
    return perform(
        request,
        lambda: services.decision_record(
            actor=request.user,
            minutes=minutes,
            agenda_item=meeting.agenda_items.get(pk=form.cleaned_data["agenda_item"]),
            text=form.cleaned_data["text"],
            method=form.cleaned_data["method"],
            votes=form.votes(),
            follow_up=form.cleaned_data["follow_up"],
        ),
        success=_("The decision is recorded."),
        redirect_to=back,
    )


@require_POST
@login_required
def action_add(request, meeting_id):
    meeting, _m, minutes = _minutes_or_404(request.user, meeting_id, manage=True)
    form = ActionItemForm(request.POST, meeting=meeting, prefix="action")
    back = reverse("workgroups:minutes_edit", args=[meeting.pk])
    if not form.is_valid():
        messages.error(
            request, _("Give the action, its owner and a due date (YYYY-MM-DD).")
        )
        return redirect(back)
    data = form.cleaned_data

    def add():
        owner = selectors.member_of_group(meeting.group, data["owner"])
        if owner is None:
            raise ValidationError(_("The owner must be a member of the group."))
        services.action_item_add(
            actor=request.user,
            minutes=minutes,
            agenda_item=meeting.agenda_items.get(pk=data["agenda_item"]),
            description=data["description"],
            owner=owner,
            due_date=data["due_date"],
        )

    return perform(
        request, add, success=_("The action item is recorded."), redirect_to=back
    )


@require_POST
@login_required
def minutes_approve(request, meeting_id):
    meeting, _m, minutes = _minutes_or_404(request.user, meeting_id, manage=True)

    def approve():
        try:
            version = int(request.POST.get("version", "-1"))
        except ValueError:
            raise ValidationError(_("The form could not be read.")) from None
        try:
            services.minutes_approve(
                actor=request.user, minutes=minutes, base_version=version
            )
        except PermissionDenied as error:
            raise Http404 from error

    return perform(
        request,
        approve,
        success=_("The minutes are approved."),
        redirect_to=reverse("workgroups:minutes", args=[meeting.pk]),
    )


@require_POST
@login_required
def minutes_correct(request, meeting_id):
    meeting, _m, minutes = _minutes_or_404(request.user, meeting_id, manage=True)
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(ValidationError(form.errors)))
        return redirect("workgroups:minutes", meeting.pk)
    return perform(
        request,
        lambda: services.minutes_start_correction(
            actor=request.user, minutes=minutes, reason=form.cleaned_data["reason"]
        ),
        success=_("The correction is open: edit and approve again."),
        redirect_to=reverse("workgroups:minutes_edit", args=[meeting.pk]),
        failure_to=reverse("workgroups:minutes", args=[meeting.pk]),
    )


@login_required
def minutes_history(request, meeting_id):
    meeting, membership, minutes = _minutes_or_404(request.user, meeting_id)
    revisions = minutes.revisions.select_related("user").order_by("-created_at")
    return render(
        request,
        "workgroups/minutes_history.html",
        {
            "meeting": meeting,
            "group": meeting.group,
            "membership": membership,
            "minutes": minutes,
            "revisions": revisions,
        },
    )


@login_required
def minutes_export(request, meeting_id):
    """A DOCX a group can file: the approved text and its fingerprint (or the
    current draft, marked as such, for the chair and the secretary)."""
    from docx import Document

    meeting, membership, minutes = _minutes_or_404(request.user, meeting_id)
    document = Document()
    document.add_heading(_("Minutes: %(title)s") % {"title": meeting.title}, level=1)
    if minutes.was_approved:
        text = minutes.approved_text
    else:
        document.add_paragraph(_("DRAFT — not approved"))
        text = minutes_canonical_text(minutes)
    for line in text.splitlines():
        document.add_paragraph(line)
    if minutes.fingerprint:
        document.add_paragraph(
            _("SHA-256 fingerprint of the approved text: %(hash)s")
            % {"hash": minutes.fingerprint}
        )
    stream = io.BytesIO()
    document.save(stream)
    response = HttpResponse(
        stream.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument."
        "wordprocessingml.document",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="minutes-{meeting.pk}.docx"'
    )
    return response


@require_POST
@login_required
def action_status(request, action_id):
    item, _membership = selectors.member_action_item_or_404(request.user, action_id)
    form = ActionStatusForm(request.POST)

    def set_status():
        if not form.is_valid():
            raise ValidationError(_("Unknown status."))
        try:
            services.action_item_set_status(
                actor=request.user, action_item=item, status=form.cleaned_data["status"]
            )
        except PermissionDenied as error:
            raise Http404 from error

    return perform(
        request,
        set_status,
        success=_("The status is saved."),
        redirect_to=reverse("workgroups:dashboard"),
    )
