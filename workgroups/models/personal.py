"""What belongs to one person in the workspace: notifications, e-mail
preferences and the private calendar feed.

A notification stores what happened (``kind`` and ``params``: the object's
own words and a link as a URL name with its arguments), never a sentence:
``text`` and ``link`` word it in the language active when read, so that
each reader, and each recipient of its e-mail, gets their own language
(docs/subsystems/email-outbox.md). Rows written before that keep their
sentence in ``subject`` and their path in ``url``."""

from django.conf import settings
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
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
    # What happened, in no language: the words of the object (``title``,
    # ``author``, ``email``), a ``step`` for kinds with several wordings and
    # ``link`` = {"name": URL name, "args": [...], "anchor": "#..."}.
    params = models.JSONField(default=dict, blank=True)
    # Rows from before ``params``: the sentence and path as then stored.
    subject = models.CharField(max_length=300, blank=True)
    url = models.CharField(max_length=300, blank=True)
    # Waiting for the person's daily digest (their choice for this kind).
    digest_pending = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["user"],
                condition=models.Q(digest_pending=True),
                name="notification_digest_pending",
            )
        ]

    def __str__(self):
        return self.text

    @property
    def text(self):
        """The sentence in the active language (a legacy row: as stored)."""
        if not self.params:
            return self.subject
        return notification_text(self.kind, self.params)

    @property
    def link(self):
        """The path in the active language (i18n_patterns)."""
        if not self.params:
            return self.url
        return notification_link(self.params)


WORDING = {
    Notification.Kind.MEETING_SCHEDULED: _("Meeting scheduled: %(title)s"),
    Notification.Kind.MEETING_CHANGED: _("Meeting changed: %(title)s"),
    Notification.Kind.MEETING_CANCELLED: _("Meeting cancelled: %(title)s"),
    Notification.Kind.MINUTES_APPROVED: _("Minutes approved: %(title)s"),
    Notification.Kind.ACTION_ASSIGNED: _("Action item assigned to you: %(title)s"),
    Notification.Kind.DRAFT_REVIEW: {
        "group_review": _("Draft for review by the group: %(title)s"),
        "published": _("Published as a recommendation: %(title)s"),
        "cancelled": _(
            "The editors cancelled the review: %(title)s. You can send it again."
        ),
        "changes": _("The editors asked for changes: %(title)s"),
    },
    Notification.Kind.MENTIONED: _(
        "%(author)s mentioned you in a comment on “%(title)s”"
    ),
    Notification.Kind.INVITATION_UNDELIVERED: _(
        "The invitation to %(email)s could not be delivered"
    ),
    Notification.Kind.PROPOSAL_OPENED: _("Vote open: %(title)s"),
    Notification.Kind.PROPOSAL_REMINDER: _(
        "Closing soon, you have not voted yet: %(title)s"
    ),
    Notification.Kind.PROPOSAL_CLOSED: _("Vote closed, see the result: %(title)s"),
}


def wording_of(kind, step=None):
    """The lazy sentence of ``kind`` (of its ``step``); KeyError if none."""
    wording = WORDING[kind]
    return wording[step] if isinstance(wording, dict) else wording


def notification_text(kind, params):
    values = {"title": "", "author": "", "email": "", **params}
    try:
        wording = wording_of(kind, params.get("step"))
    except KeyError:  # a step this version does not know: the words alone
        return values["title"] or values["email"]
    return str(wording) % values


def notification_link(params):
    link = params.get("link") or {}
    try:
        path = reverse(link["name"], args=link.get("args", ()))
    except (KeyError, NoReverseMatch):
        return ""
    return path + link.get("anchor", "")


class EmailPreferences(models.Model):
    """How a person gets the e-mail of each kind of notification (the
    in-app list gets all): at once, in a daily digest, or never. Kinds not
    in ``choices`` (new ones included) go out at once."""

    class Delivery(models.TextChoices):
        IMMEDIATELY = "immediately", _("immediately")
        DIGEST = "digest", _("in a daily digest")
        NEVER = "never", _("never")

    # In-app only: a mail about a mail that failed could fail as well.
    EMAILED_KINDS = [k for k in Notification.Kind if k != "invitation_undelivered"]

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="workspace_email_preferences",
    )
    choices = models.JSONField(_("delivery of each kind"), default=dict, blank=True)

    def __str__(self):
        return str(self.user)

    def clean(self):
        from django.core.exceptions import ValidationError

        for kind, choice in (self.choices or {}).items():
            if kind not in self.EMAILED_KINDS or choice not in self.Delivery.values:
                raise ValidationError(
                    {"choices": gettext("Choose how each kind is sent.")}
                )

    def delivery(self, kind):
        if kind not in self.EMAILED_KINDS:
            return self.Delivery.NEVER
        return (self.choices or {}).get(kind, self.Delivery.IMMEDIATELY)

    def wants(self, kind):
        return self.delivery(kind) == self.Delivery.IMMEDIATELY


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
