"""Wagtail's own e-mails about workflows go only to people who may enter the
admin. A working group's chair starts a recommendation's review from the
workspace (documents.review) and so is Wagtail's "requester"; without this,
the chair would get Wagtail's mails with links into an admin they cannot
open, besides the platform's own notification (issue 16)."""

from wagtail.admin.mail import (
    WorkflowStateApprovalEmailNotifier,
    WorkflowStateRejectionEmailNotifier,
)
from wagtail.models import WorkflowState
from wagtail.signals import workflow_approved, workflow_rejected

from home import mfa


class _AdminUsersOnly:
    def get_valid_recipients(self, instance, **kwargs):
        recipients = super().get_valid_recipients(instance, **kwargs)
        return {user for user in recipients if mfa.may_enter_admin(user)}


class ApprovalNotifier(_AdminUsersOnly, WorkflowStateApprovalEmailNotifier):
    pass


class RejectionNotifier(_AdminUsersOnly, WorkflowStateRejectionEmailNotifier):
    pass


# Module-level, as Wagtail's own: signals hold their receivers weakly.
NOTIFIERS = (
    (workflow_approved, ApprovalNotifier(), "approved"),
    (workflow_rejected, RejectionNotifier(), "rejected"),
)


def connect():
    """Takes the place of Wagtail's notifiers (same dispatch ids: whichever
    app is ready first, only these stay connected)."""
    for signal, notifier, uid in NOTIFIERS:
        dispatch_uid = f"workflow_state_{uid}_email_notification"
        signal.disconnect(sender=WorkflowState, dispatch_uid=dispatch_uid)
        signal.connect(notifier, sender=WorkflowState, dispatch_uid=dispatch_uid)
