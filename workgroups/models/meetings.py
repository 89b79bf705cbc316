"""Meetings and what they produce: the agenda, attendance, minutes with
decisions and action items, and conflict-of-interest declarations."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.models import RevisionMixin

from workgroups.models import arising
from workgroups.models.groups import Membership, WorkingGroup
from workgroups.models.record import minutes_canonical_text


class MeetingQuerySet(models.QuerySet):
    def for_member(self, user):
        """Meetings of the groups ``user`` is a current member of."""
        return self.filter(
            group__in=Membership.objects.current_of(user).values("group_id")
        )

    def upcoming(self):
        return self.filter(
            ends_at__gte=timezone.now(), status=Meeting.Status.SCHEDULED
        ).order_by("starts_at")

    def past(self):
        return self.filter(ends_at__lt=timezone.now()).order_by("-starts_at")


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        CANCELLED = "cancelled", _("cancelled")

    group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    info_point = models.ForeignKey(
        "home.InfoPoint",
        verbose_name=_("info point"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    address = models.CharField(_("other address"), max_length=255, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.SCHEDULED
    )
    # Bumped by every change of the agenda's order: a reorder based on an
    # older order is refused (docs/security.md, DU-06).
    agenda_version = models.PositiveIntegerField(default=0, editable=False)
    # iCalendar SEQUENCE: calendars replace the event when it grows.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("workgroups:meeting", args=[self.pk])

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError(
                {"ends_at": _("The meeting must end after it starts.")}
            )
        if not (self.info_point_id or self.address or self.online_url):
            raise ValidationError(
                _("Give a place (an info point or an address) or an online link.")
            )

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def place(self):
        """The place as one line of text (info point or address)."""
        if self.info_point_id:
            point = self.info_point
            return ", ".join(p for p in (point.name, point.address, point.city) if p)
        return self.address


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        REGULAR = "regular", _("item")
        MATTERS_ARISING = "matters_arising", _("matters arising")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.REGULAR)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # Matters arising: ``{"lines": [...]}``, worded when read (arising.py).
    params = models.JSONField(default=dict, blank=True)
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("presenter"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("expected duration (minutes)"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self):
        return self.heading

    @property
    def heading(self):
        """The title in the active language (matters arising: translated)."""
        if self.kind == self.Kind.MATTERS_ARISING:
            return gettext(arising.MATTERS_ARISING_TITLE)
        return self.title

    @property
    def body(self):
        """The description; matters arising: its lines, worded when read."""
        if self.params.get("lines"):
            return arising.arising_text(self.params["lines"])
        return self.description


class Rsvp(models.Model):
    """A member's answer whether they will attend."""

    class Answer(models.TextChoices):
        YES = "yes", _("yes")
        NO = "no", _("no")
        MAYBE = "maybe", _("maybe")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    answer = models.CharField(_("answer"), max_length=10, choices=Answer)
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_rsvp")
        ]

    def __str__(self):
        return f"{self.user} — {self.meeting}: {self.answer}"


class Attendance(models.Model):
    """Who attended, as the secretary recorded it."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_attendance")
        ]

    def __str__(self):
        return f"{self.user} — {self.meeting}"


class ConflictOfInterest(models.Model):
    """A member's declared conflict of interest on one agenda item, or on a
    proposal put to the vote between meetings; a recused member's vote on
    that matter is not counted (and on a proposal cannot be cast)."""

    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conflicts",
    )
    proposal = models.ForeignKey(
        "workgroups.Proposal",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conflicts",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    description = models.CharField(_("nature of the conflict"), max_length=500)
    recused = models.BooleanField(_("recuses from the vote"), default=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item", "user"], name="one_declaration_per_item"
            ),
            models.UniqueConstraint(
                fields=["proposal", "user"], name="one_declaration_per_proposal"
            ),
            models.CheckConstraint(
                condition=Q(agenda_item__isnull=False) ^ Q(proposal__isnull=False),
                name="declaration_on_one_matter",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.agenda_item or self.proposal}"


class Minutes(RevisionMixin, models.Model):
    """The record of a meeting. Draft → approved by the chair; approved
    minutes are read-only; a correction (with a reason) reopens them and its
    approval makes a new revision and a new fingerprint."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved")
        CORRECTING = "correcting", _("correction in progress")

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="minutes"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT
    )
    # Bumped by every save: a save based on an older version is refused.
    version = models.PositiveIntegerField(default=0)
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The canonical text as last approved, and its SHA-256: what a filed copy
    # is checked against; both change only when a correction is approved.
    approved_text = models.TextField(blank=True, editable=False)
    fingerprint = models.CharField(max_length=64, blank=True)
    # Quorum as it stood when the minutes were approved.
    voting_members = models.PositiveIntegerField(null=True, blank=True)
    voting_present = models.PositiveIntegerField(null=True, blank=True)
    quorum_required = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self):
        return str(self.meeting)

    def get_absolute_url(self):
        return reverse("workgroups:minutes", args=[self.meeting_id])

    @property
    def is_approved(self):
        return self.status == self.Status.APPROVED

    @property
    def was_approved(self):
        return self.approved_at is not None

    @property
    def is_editable(self):
        return self.status != self.Status.APPROVED

    @property
    def quorum_reached(self):
        if self.quorum_required is None:
            return None
        return self.voting_present >= self.quorum_required

    def serializable_data(self):
        data = super().serializable_data()
        # The revision keeps the full text, not only the row.
        data["canonical_text"] = minutes_canonical_text(self)
        return data


class MinutesItem(models.Model):
    """The minutes' notes on one agenda item."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="items")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="+"
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "agenda_item"], name="one_note_per_item"
            )
        ]

    def __str__(self):
        return str(self.agenda_item)


def in_approved_record():
    """What approved minutes hold: everything in minutes approved now, and,
    in minutes reopened for a correction, only what was there at their last
    approval — what a correction adds is the minutes' editors' own until the
    correction is approved."""
    return Q(minutes__status="approved") | Q(
        minutes__status="correcting", created_at__lte=models.F("minutes__approved_at")
    )


class DecisionQuerySet(models.QuerySet):
    def registered(self):
        """The register: decisions in approved minutes (see
        ``in_approved_record``) and those a proposal took between meetings,
        from the moment it closed."""
        return self.filter(in_approved_record() | Q(taken_between_meetings=True))

    def of_group(self, group_id):
        return self.filter(
            Q(minutes__meeting__group_id=group_id) | Q(proposal__group_id=group_id)
        )

    def search(self, text):
        if not text:
            return self
        return self.filter(
            Q(text__icontains=text) | Q(agenda_item__title__icontains=text)
        )


class Decision(models.Model):
    class Method(models.TextChoices):
        VOTE = "vote", _("vote")
        CONSENSUS = "consensus", _("consensus")
        POLL = "poll", _("poll")

    # A decision taken between meetings has no minutes until the next
    # meeting's matters arising take it up (workgroups/services/proposals.py).
    minutes = models.ForeignKey(
        Minutes,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="decisions",
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="decisions",
    )
    taken_between_meetings = models.BooleanField(default=False, editable=False)
    text = models.TextField(_("decision"))
    method = models.CharField(
        _("taken by"), max_length=20, choices=Method, default=Method.CONSENSUS
    )
    # The tally of counted votes (recused members and observers excluded).
    votes_for = models.PositiveIntegerField(_("for"), default=0)
    votes_against = models.PositiveIntegerField(_("against"), default=0)
    abstentions = models.PositiveIntegerField(_("abstained"), default=0)
    follow_up = models.BooleanField(
        _("to follow up at the next meeting"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["agenda_item__position", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return self.text[:80]


class Vote(models.Model):
    class Choice(models.TextChoices):
        FOR = "for", _("for")
        AGAINST = "against", _("against")
        ABSTAIN = "abstain", _("abstain")

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="votes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    choice = models.CharField(max_length=10, choices=Choice)
    counted = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "user"], name="one_vote")
        ]

    def __str__(self):
        return f"{self.user}: {self.choice}"


class ActionItemQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=ActionItem.Status.DONE)

    def registered(self):
        """Action items in approved minutes: until then they are a draft of
        the minutes' editors (``in_approved_record``)."""
        return self.filter(in_approved_record())


class ActionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")

    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="action_items"
    )
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="action_items"
    )
    description = models.TextField(_("action"))
    # An owner who erases their account leaves the action in the approved
    # record, owned by a former member.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="action_items",
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self):
        return self.description[:80]
