"""What belongs to one person in the workspace: notifications, e-mail
preferences and the private calendar feed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from workgroups.models.groups import WorkingGroup


class Notification(models.Model):
    class Kind(models.TextChoices):
        MEETING_SCHEDULED = "meeting_scheduled", _("meeting scheduled")
        MEETING_CHANGED = "meeting_changed", _("meeting changed")
        MEETING_CANCELLED = "meeting_cancelled", _("meeting cancelled")
        MINUTES_APPROVED = "minutes_approved", _("minutes approved")
        ACTION_ASSIGNED = "action_assigned", _("action item assigned")
        DRAFT_REVIEW = "draft_review", _("draft review")
        MENTIONED = "mentioned", _("mentioned in a comment")
        INVITATION_UNDELIVERED = "invitation_undelivered", _("invitation not delivered")
        PROPOSAL_OPENED = "proposal_opened", _("proposal open for votes")
        PROPOSAL_REMINDER = "proposal_reminder", _("proposal closing soon")
        PROPOSAL_CLOSED = "proposal_closed", _("proposal closed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="workspace_notifications",
    )
    group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="+", null=True
    )
    kind = models.CharField(max_length=30, choices=Kind)
    subject = models.CharField(max_length=300)
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.text

    @property
    def text(self):
        """What the reader sees, in their language: kinds listed in
        ``WORDING`` store only the object's own words (a title) in
        ``subject`` and are worded when read."""
        wording = WORDING.get(self.kind)
        return wording % {"title": self.subject} if wording else self.subject


WORDING = {
    Notification.Kind.PROPOSAL_OPENED: _("Vote open: %(title)s"),
    Notification.Kind.PROPOSAL_REMINDER: _(
        "Closing soon, you have not voted yet: %(title)s"
    ),
    Notification.Kind.PROPOSAL_CLOSED: _("Vote closed, see the result: %(title)s"),
}


class EmailPreferences(models.Model):
    """Which workspace e-mails a person gets (the in-app list gets all)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="workspace_email_preferences",
    )
    meetings = models.BooleanField(
        _("meetings scheduled, changed or cancelled"), default=True
    )
    minutes = models.BooleanField(_("minutes approved"), default=True)
    action_items = models.BooleanField(_("action items assigned to me"), default=True)
    drafts = models.BooleanField(
        _("drafts in review and comments that mention me"), default=True
    )
    proposals = models.BooleanField(
        _("proposals open for votes, reminders and results"), default=True
    )

    FIELD_FOR_KIND = {
        Notification.Kind.MEETING_SCHEDULED: "meetings",
        Notification.Kind.MEETING_CHANGED: "meetings",
        Notification.Kind.MEETING_CANCELLED: "meetings",
        Notification.Kind.MINUTES_APPROVED: "minutes",
        Notification.Kind.ACTION_ASSIGNED: "action_items",
        Notification.Kind.DRAFT_REVIEW: "drafts",
        Notification.Kind.MENTIONED: "drafts",
        Notification.Kind.PROPOSAL_OPENED: "proposals",
        Notification.Kind.PROPOSAL_REMINDER: "proposals",
        Notification.Kind.PROPOSAL_CLOSED: "proposals",
    }

    def __str__(self):
        return str(self.user)

    def wants(self, kind):
        return getattr(self, self.FIELD_FOR_KIND[kind])


class CalendarFeed(models.Model):
    """A person's private calendar feed: the URL's secret token, stored as a
    hash; deleting the row revokes the URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="workspace_calendar_feed",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return str(self.user)
