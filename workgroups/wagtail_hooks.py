from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from workgroups.models import IntegrationArea, Membership, WorkingGroup


@hooks.register("register_log_actions")
def register_membership_log_actions(actions):
    actions.register_action(
        "workgroups.membership.add", _("Add member"), _("Member added")
    )
    actions.register_action(
        "workgroups.membership.change_role",
        _("Change role"),
        _("Member's role changed"),
    )
    actions.register_action(
        "workgroups.membership.remove", _("Remove member"), _("Member removed")
    )
    for action, label, message in [
        ("invitation.create", _("Invite"), _("Invitation sent")),
        ("invitation.resend", _("Resend invitation"), _("Invitation sent again")),
        ("invitation.revoke", _("Withdraw invitation"), _("Invitation withdrawn")),
        ("meeting.schedule", _("Schedule meeting"), _("Meeting scheduled")),
        ("meeting.change", _("Change meeting"), _("Meeting changed")),
        ("meeting.cancel", _("Cancel meeting"), _("Meeting cancelled")),
        ("meeting.attendance", _("Record attendance"), _("Attendance recorded")),
        ("meeting.conflict", _("Declare conflict"), _("Conflict of interest declared")),
        ("minutes.approve", _("Approve minutes"), _("Minutes approved")),
        ("minutes.correct", _("Correct minutes"), _("Correction of minutes started")),
        ("proposal.open", _("Open a vote"), _("Proposal put to the vote")),
        ("proposal.close", _("Close a vote"), _("Vote closed")),
        (
            "proposal.conflict",
            _("Declare conflict"),
            _("Conflict of interest declared"),
        ),
    ]:
        actions.register_action(f"workgroups.{action}", label, message)


class IntegrationAreaViewSet(SnippetViewSet):
    model = IntegrationArea
    icon = "tag"
    menu_label = _("Integration areas")


class WorkingGroupViewSet(SnippetViewSet):
    model = WorkingGroup
    icon = "group"
    menu_label = _("Working groups")
    list_display = ["name", "area", "is_active"]
    list_filter = ["area", "is_active"]


class MembershipsManagersOnly:
    """Who holds which role in a group is the group's and the administrator's
    business: the membership chooser (which any admin user could open)
    answers only those who may manage memberships."""

    def dispatch(self, request, *args, **kwargs):
        policy = ModelPermissionPolicy(Membership)
        if not policy.user_has_any_permission(
            request.user, ["add", "change", "delete", "view"]
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class MembershipChooseView(MembershipsManagersOnly, ChooseView):
    pass


class MembershipChooseResultsView(MembershipsManagersOnly, ChooseResultsView):
    pass


class MembershipChosenView(MembershipsManagersOnly, SnippetChosenView):
    pass


class MembershipChosenMultipleView(MembershipsManagersOnly, SnippetChosenMultipleView):
    pass


class MembershipChooserViewSet(SnippetChooserViewSet):
    choose_view_class = MembershipChooseView
    choose_results_view_class = MembershipChooseResultsView
    chosen_view_class = MembershipChosenView
    chosen_multiple_view_class = MembershipChosenMultipleView


class MembershipViewSet(SnippetViewSet):
    """Memberships are snippets of their own, so that Wagtail's audit log
    records every change an administrator makes."""

    model = Membership
    chooser_viewset_class = MembershipChooserViewSet
    icon = "user"
    menu_label = _("Memberships")
    list_display = ["user", "group", "role", "listed_publicly"]
    list_filter = ["group", "role"]


class WorkgroupsViewSetGroup(SnippetViewSetGroup):
    items = (WorkingGroupViewSet, MembershipViewSet, IntegrationAreaViewSet)
    menu_icon = "group"
    menu_label = _("Working groups")
    menu_order = 200


register_snippet(WorkgroupsViewSetGroup)


@hooks.register("register_log_actions")
def register_discussion_log_actions(actions):
    actions.register_action(
        "workgroups.topic.rename", _("Rename topic"), _("Topic renamed")
    )
    actions.register_action(
        "workgroups.topic.close", _("Close topic"), _("Topic closed")
    )
    actions.register_action(
        "workgroups.topic.reopen", _("Reopen topic"), _("Topic reopened")
    )
    actions.register_action(
        "workgroups.message.hide", _("Hide message"), _("Message hidden by the chair")
    )
