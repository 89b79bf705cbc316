"""Meetings: schedule, change, cancel, agenda, RSVP, attendance, conflicts
of interest, .ics download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from home.actions import perform
from workgroups import panels, selectors
from workgroups.calendars import calendar_response
from workgroups.discussion.views import thread_redirect
from workgroups.forms import AgendaItemForm, ConflictForm, MeetingForm
from workgroups.models import (
    AgendaItem,
    Attendance,
    ConflictOfInterest,
    Membership,
    Minutes,
    Rsvp,
)
from workgroups.page_cache import member_page
from workgroups.services import meetings as services
from workgroups.services.minutes import minutes_start


@login_required
def meeting_create(request, group_id):
    group, membership = selectors.member_group_or_404(
        request.user, group_id, manage=True
    )
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_schedule(
                actor=request.user, group=group, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The meeting is scheduled."))
            return redirect(meeting)
    return render(
        request,
        "workgroups/meeting_form.html",
        {"form": form, "group": group, "membership": membership},
        status=400 if form.errors else 200,
    )


@login_required
def meeting_edit(request, meeting_id):
    meeting, membership = selectors.member_meeting_or_404(
        request.user, meeting_id, manage=True
    )
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(
                actor=request.user, meeting=meeting, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The meeting is changed."))
            return redirect(meeting)
    return render(
        request,
        "workgroups/meeting_form.html",
        {
            "form": form,
            "group": meeting.group,
            "meeting": meeting,
            "membership": membership,
        },
        status=400 if form.errors else 200,
    )


@login_required
def meeting_discussion(request, meeting_id):
    """The meeting's discussion thread (created on first use)."""
    meeting, _membership = selectors.member_meeting_or_404(request.user, meeting_id)
    return thread_redirect(meeting.group, meeting, meeting.title, wording="meeting")


@login_required
@member_page
def meeting_detail(request, meeting_id):
    meeting, membership = selectors.member_meeting_or_404(request.user, meeting_id)
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("presenter")
        .prefetch_related(
            Prefetch(
                "conflicts", queryset=ConflictOfInterest.objects.select_related("user")
            )
        )
    )
    ids = [item.pk for item in items]
    for index, item in enumerate(items):
        if index > 0:
            up = ids[:]
            up[index - 1], up[index] = up[index], up[index - 1]
            item.order_up = ",".join(map(str, up))
        if index < len(items) - 1:
            down = ids[:]
            down[index + 1], down[index] = down[index], down[index + 1]
            item.order_down = ",".join(map(str, down))
    rsvps = list(Rsvp.objects.filter(meeting=meeting).select_related("user"))
    attended = set(
        Attendance.objects.filter(meeting=meeting).values_list("user_id", flat=True)
    )
    members = list(
        Membership.objects.filter(group=meeting.group)
        .select_related("user")
        .order_by("user__last_name")
    )
    minutes = Minutes.objects.filter(meeting=meeting).first()
    extras = panels.agenda_item_extras(request, meeting, items, membership)
    for item in items:
        item.extras = extras.get(item.pk, [])
    context = {
        "meeting": meeting,
        "group": meeting.group,
        "membership": membership,
        "items": items,
        "total_minutes": sum(item.duration_minutes for item in items),
        "rsvps": rsvps,
        "my_rsvp": next((r.answer for r in rsvps if r.user_id == request.user.pk), ""),
        "rsvp_choices": Rsvp.Answer.choices,
        "members": members,
        "attended": attended,
        "minutes": minutes,
        "agenda_form": AgendaItemForm(group=meeting.group),
        "conflict_form": ConflictForm(meeting=meeting),
    }
    return render(request, "workgroups/meeting.html", context)


def _back(meeting, anchor=""):
    return redirect(meeting.get_absolute_url() + anchor)


@require_POST
@login_required
def meeting_cancel(request, meeting_id):
    meeting, _m = selectors.member_meeting_or_404(request.user, meeting_id, manage=True)
    return perform(
        request,
        lambda: services.meeting_cancel(actor=request.user, meeting=meeting),
        success=_("The meeting is cancelled."),
        redirect_to=meeting.get_absolute_url(),
    )


@require_POST
@login_required
def agenda_add(request, meeting_id):
    meeting, _m = selectors.member_meeting_or_404(request.user, meeting_id, manage=True)
    form = AgendaItemForm(request.POST, group=meeting.group)
    if not form.is_valid():
        messages.error(
            request,
            _("Check the agenda item: %(errors)s")
            % {"errors": " ".join(e for errs in form.errors.values() for e in errs)},
        )
        return _back(meeting, "#agenda")
    data = form.cleaned_data
    return perform(
        request,
        lambda: services.agenda_item_add(
            actor=request.user,
            meeting=meeting,
            title=data["title"],
            presenter=selectors.member_of_group(meeting.group, data["presenter"]),
            duration_minutes=data["duration_minutes"],
        ),
        success=_("The agenda item is added."),
        redirect_to=meeting.get_absolute_url() + "#agenda",
    )


@require_POST
@login_required
def agenda_remove(request, meeting_id, item_id):
    meeting, _m = selectors.member_meeting_or_404(request.user, meeting_id, manage=True)
    item = AgendaItem.objects.filter(meeting=meeting, pk=item_id).first()
    if item is None:
        return _back(meeting, "#agenda")
    return perform(
        request,
        lambda: services.agenda_item_remove(actor=request.user, item=item),
        redirect_to=meeting.get_absolute_url() + "#agenda",
    )


@require_POST
@login_required
def agenda_reorder(request, meeting_id):
    meeting, _m = selectors.member_meeting_or_404(request.user, meeting_id, manage=True)
    try:
        order = [int(pk) for pk in request.POST.get("order", "").split(",") if pk]
        version = int(request.POST.get("version", ""))
    except ValueError:
        messages.error(request, _("The new order could not be read."))
        return _back(meeting, "#agenda")
    return perform(
        request,
        lambda: services.agenda_reorder(
            actor=request.user, meeting=meeting, order=order, base_version=version
        ),
        success=_("The agenda order is saved."),
        redirect_to=meeting.get_absolute_url() + "#agenda",
    )


@require_POST
@login_required
def rsvp(request, meeting_id):
    meeting, _m = selectors.member_meeting_or_404(request.user, meeting_id, write=True)
    return perform(
        request,
        lambda: services.rsvp_answer(
            actor=request.user, meeting=meeting, answer=request.POST.get("answer", "")
        ),
        success=_("Your answer is saved."),
        redirect_to=meeting.get_absolute_url() + "#rsvp",
    )


@require_POST
@login_required
def attendance(request, meeting_id):
    meeting, _m = selectors.member_meeting_or_404(request.user, meeting_id, manage=True)

    def record():
        try:
            services.attendance_record(
                actor=request.user,
                meeting=meeting,
                user_ids=request.POST.getlist("present"),
            )
        except ValueError:
            raise ValidationError(_("The list could not be read.")) from None

    return perform(
        request,
        record,
        success=_("Attendance is recorded."),
        redirect_to=meeting.get_absolute_url() + "#attendance",
    )


@require_POST
@login_required
def conflict_declare(request, meeting_id):
    meeting, _m = selectors.member_meeting_or_404(request.user, meeting_id, write=True)
    form = ConflictForm(request.POST, meeting=meeting)
    if not form.is_valid():
        messages.error(request, _("Choose an agenda item and describe the conflict."))
        return _back(meeting, "#conflicts")
    item = meeting.agenda_items.get(pk=form.cleaned_data["agenda_item"])
    return perform(
        request,
        lambda: services.conflict_declare(
            actor=request.user,
            agenda_item=item,
            description=form.cleaned_data["description"],
            recused=form.cleaned_data["recused"],
        ),
        success=_("Your declaration is recorded."),
        redirect_to=meeting.get_absolute_url() + "#conflicts",
    )


@require_POST
@login_required
def minutes_begin(request, meeting_id):
    meeting, _m = selectors.member_meeting_or_404(request.user, meeting_id, manage=True)
    return perform(
        request,
        lambda: minutes_start(actor=request.user, meeting=meeting),
        redirect_to=reverse("workgroups:minutes_edit", args=[meeting.pk]),
        failure_to=meeting.get_absolute_url(),
    )


@login_required
def meeting_ics(request, meeting_id):
    meeting, _m = selectors.member_meeting_or_404(request.user, meeting_id)
    return calendar_response([meeting], f"meeting-{meeting.pk}.ics")
