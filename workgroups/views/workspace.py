"""The workspace: dashboard, group page, decision register, notifications,
e-mail preferences and the private calendar feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from home.urls_absolute import absolute_url
from workgroups import access, proposal_selectors, selectors
from workgroups.calendars import calendar_response
from workgroups.forms import EmailPreferencesForm
from workgroups.models import Decision, Meeting, Membership
from workgroups.page_cache import member_page
from workgroups.services import notifications as notification_services
from workgroups.services.invitations import pending_invitations


@login_required
@member_page
def dashboard(request):
    user = request.user
    memberships = (
        Membership.objects.current_of(user)
        .select_related("group__area")
        .order_by("group__name")
    )
    context = {
        "memberships": memberships,
        "meetings": selectors.upcoming_meetings_of(user)[:10],
        "action_items": selectors.open_action_items_of(user),
        "notifications": access.visible_notifications(user).filter(
            read_at__isnull=True
        )[:10],
    }
    return render(request, "workgroups/dashboard.html", context)


@login_required
@member_page
def group_detail(request, group_id):
    group, membership = selectors.member_group_or_404(request.user, group_id)
    members = (
        Membership.objects.filter(group=group)
        .select_related("user")
        .order_by("role", "user__last_name")
    )
    meetings = Meeting.objects.filter(group=group).select_related(
        "info_point", "minutes"
    )
    context = {
        "group": group,
        "membership": membership,
        "members": members,
        "upcoming": meetings.upcoming()[:20],
        "past": meetings.past()[:20],
        "invitations": pending_invitations(group) if membership.is_chair else None,
    }
    return render(request, "workgroups/group.html", context)


@login_required
def decision_register(request, group_id):
    group, membership = selectors.member_group_or_404(request.user, group_id)
    # PostgreSQL refuses NUL in text: it can be in no decision anyway.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:200]
    decisions = (
        Decision.objects.registered()
        .of_group(group.pk)
        .search(query)
        .select_related("agenda_item", "minutes__meeting", "proposal")
        .order_by(
            F("minutes__meeting__starts_at").desc(nulls_first=True),
            "agenda_item__position",
            "-pk",
        )
    )
    return render(
        request,
        "workgroups/decisions.html",
        {
            "group": group,
            "membership": membership,
            "decisions": decisions[:200],
            "query": query,
        },
    )


@login_required
def notifications(request):
    preferences = notification_services.email_preferences_of(request.user)
    form = EmailPreferencesForm(request.POST or None, preferences=preferences)
    if request.method == "POST" and form.is_valid():
        notification_services.email_preferences_save(
            user=request.user, choices=form.cleaned_data
        )
        notification_services.notifications_mark_read(user=request.user)
        messages.success(request, _("Your e-mail preferences are saved."))
        return redirect("workgroups:notifications")
    items = access.visible_notifications(request.user).select_related("group")
    return render(
        request,
        "workgroups/notifications.html",
        {"notifications": items[:100], "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def calendar_settings(request):
    feed_url = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            notification_services.calendar_feed_revoke(user=request.user)
            messages.success(request, _("The calendar address no longer works."))
            return redirect("workgroups:calendar")
        token = notification_services.calendar_feed_create(user=request.user)
        feed_url = absolute_url(reverse("workgroups:calendar_feed", args=[token]))
    has_feed = hasattr(request.user, "workspace_calendar_feed")
    if feed_url:
        has_feed = True
    return render(
        request,
        "workgroups/calendar.html",
        {"feed_url": feed_url, "has_feed": has_feed},
    )


def calendar_feed(request, token):
    """The private feed: no session, the secret token is the key."""
    user = selectors.calendar_feed_owner_or_404(token)
    meetings = selectors.calendar_meetings_of(user)
    proposals = proposal_selectors.calendar_proposals_of(user)
    return calendar_response(meetings, "platforma-wspolpracy.ics", proposals)


@require_POST
@login_required
def mark_notifications_read(request):
    notification_services.notifications_mark_read(user=request.user)
    return redirect("workgroups:notifications")
