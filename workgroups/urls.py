"""The members' workspace (mounted under ``/<lang>/workspace/``)."""

from django.urls import path

from workgroups.views import invitations, meetings, minutes, proposals, workspace

app_name = "workgroups"

urlpatterns = [
    path("", workspace.dashboard, name="dashboard"),
    path("notifications/", workspace.notifications, name="notifications"),
    path(
        "notifications/read/",
        workspace.mark_notifications_read,
        name="notifications_read",
    ),
    path("calendar/", workspace.calendar_settings, name="calendar"),
    path("calendar/<str:token>.ics", workspace.calendar_feed, name="calendar_feed"),
    path("invitations/<str:token>/", invitations.invitation, name="invitation"),
    path("groups/<int:group_id>/", workspace.group_detail, name="group"),
    path(
        "groups/<int:group_id>/decisions/",
        workspace.decision_register,
        name="decisions",
    ),
    path(
        "groups/<int:group_id>/proposals/",
        proposals.proposal_list,
        name="proposals",
    ),
    path(
        "groups/<int:group_id>/proposals/new/",
        proposals.proposal_create,
        name="proposal_create",
    ),
    path("proposals/<int:proposal_id>/", proposals.proposal_detail, name="proposal"),
    path(
        "proposals/<int:proposal_id>/results/",
        proposals.proposal_results,
        name="proposal_results",
    ),
    path(
        "proposals/<int:proposal_id>/vote/",
        proposals.proposal_vote,
        name="proposal_vote",
    ),
    path(
        "proposals/<int:proposal_id>/close/",
        proposals.proposal_close,
        name="proposal_close",
    ),
    path(
        "proposals/<int:proposal_id>/conflict/",
        proposals.proposal_conflict,
        name="proposal_conflict",
    ),
    path(
        "groups/<int:group_id>/invitations/",
        invitations.invitations,
        name="invitations",
    ),
    path(
        "groups/<int:group_id>/invitations/<int:invitation_id>/revoke/",
        invitations.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "groups/<int:group_id>/invitations/<int:invitation_id>/resend/",
        invitations.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "groups/<int:group_id>/meetings/new/",
        meetings.meeting_create,
        name="meeting_create",
    ),
    path("meetings/<int:meeting_id>/", meetings.meeting_detail, name="meeting"),
    path(
        "meetings/<int:meeting_id>/discussion/",
        meetings.meeting_discussion,
        name="meeting_discussion",
    ),
    path("meetings/<int:meeting_id>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path(
        "meetings/<int:meeting_id>/cancel/",
        meetings.meeting_cancel,
        name="meeting_cancel",
    ),
    path(
        "meetings/<int:meeting_id>/meeting.ics",
        meetings.meeting_ics,
        name="meeting_ics",
    ),
    path("meetings/<int:meeting_id>/agenda/", meetings.agenda_add, name="agenda_add"),
    path(
        "meetings/<int:meeting_id>/agenda/order/",
        meetings.agenda_reorder,
        name="agenda_reorder",
    ),
    path(
        "meetings/<int:meeting_id>/agenda/<int:item_id>/remove/",
        meetings.agenda_remove,
        name="agenda_remove",
    ),
    path("meetings/<int:meeting_id>/rsvp/", meetings.rsvp, name="rsvp"),
    path(
        "meetings/<int:meeting_id>/attendance/",
        meetings.attendance,
        name="attendance",
    ),
    path(
        "meetings/<int:meeting_id>/conflicts/",
        meetings.conflict_declare,
        name="conflict_declare",
    ),
    path(
        "meetings/<int:meeting_id>/minutes/start/",
        meetings.minutes_begin,
        name="minutes_start",
    ),
    path("meetings/<int:meeting_id>/minutes/", minutes.minutes_detail, name="minutes"),
    path(
        "meetings/<int:meeting_id>/minutes/edit/",
        minutes.minutes_edit,
        name="minutes_edit",
    ),
    path(
        "meetings/<int:meeting_id>/minutes/decisions/",
        minutes.decision_add,
        name="decision_add",
    ),
    path(
        "meetings/<int:meeting_id>/minutes/actions/",
        minutes.action_add,
        name="action_add",
    ),
    path(
        "meetings/<int:meeting_id>/minutes/approve/",
        minutes.minutes_approve,
        name="minutes_approve",
    ),
    path(
        "meetings/<int:meeting_id>/minutes/correct/",
        minutes.minutes_correct,
        name="minutes_correct",
    ),
    path(
        "meetings/<int:meeting_id>/minutes/history/",
        minutes.minutes_history,
        name="minutes_history",
    ),
    path(
        "meetings/<int:meeting_id>/minutes/minutes.docx",
        minutes.minutes_export,
        name="minutes_export",
    ),
    path(
        "actions/<int:action_id>/status/", minutes.action_status, name="action_status"
    ),
]
