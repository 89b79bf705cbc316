"""Proposals and the members' ballots on them: how a group decides by itself,
between meetings or from the members' own devices in a meeting
(docs/subsystems/proposals-and-votes.md)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workgroups.models.groups import Membership, WorkingGroup
from workgroups.models.meetings import (
    AgendaItem,
    Attendance,
    ConflictOfInterest,
    Decision,
)

SCORE_MAX = 5
MAX_OPTIONS = 10


class ProposalQuerySet(models.QuerySet):
    def for_member(self, user):
        """Proposals of the groups ``user`` is a current member of."""
        return self.filter(
            group__in=Membership.objects.current_of(user).values("group_id")
        )

    def open(self):
        return self.filter(status=Proposal.Status.OPEN)

    def due(self, now=None):
        """Open proposals whose closing time has come."""
        return self.open().filter(closes_at__lte=now or timezone.now())


class Proposal(models.Model):
    """A question put to the members with a vote: consent (agree, abstain,
    disagree, block), a choice among options, or a score for each option."""

    class Kind(models.TextChoices):
        CONSENT = "consent", _("consent (agree, abstain, disagree, block)")
        CHOICE = "choice", _("choice among options")
        SCORE = "score", _("score poll")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    class Outcome(models.TextChoices):
        CARRIED = "carried", _("carried")
        REJECTED = "rejected", _("rejected")
        BLOCKED = "blocked", _("blocked")
        CHOSEN = "chosen", _("option chosen")
        TIED = "tied", _("tied")
        NO_QUORUM = "no_quorum", _("quorum not reached")

    group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("proposal"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=Kind, default=Kind.CONSENT
    )
    options = models.JSONField(_("options"), default=list, blank=True)
    secret = models.BooleanField(_("secret ballot"), default=False)
    results_after_close = models.BooleanField(
        _("show results only after closing"), default=False
    )
    close_when_all_voted = models.BooleanField(
        _("close as soon as everyone with a vote has voted"), default=False
    )
    opens_at = models.DateTimeField(_("opens"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes"))
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    # Where it was raised: an agenda item (a vote in the meeting) or a
    # discussion topic; a draft links itself (documents.DraftProposal).
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
    )
    topic = models.ForeignKey(
        "workgroups.Topic",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
    )
    # The result, fixed at closing: counts only, never who voted what.
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome, blank=True)
    tally = models.JSONField(default=dict, blank=True)
    eligible_count = models.PositiveIntegerField(null=True, blank=True)
    voted_count = models.PositiveIntegerField(null=True, blank=True)
    quorum_required = models.PositiveIntegerField(null=True, blank=True)
    decision = models.OneToOneField(
        Decision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal",
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "-pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("workgroups:proposal", args=[self.pk])

    def clean(self):
        if self.closes_at and self.opens_at and self.closes_at <= self.opens_at:
            raise ValidationError(
                {"closes_at": _("The vote must close after it opens.")}
            )
        if self.kind == self.Kind.CONSENT:
            self.options = []
        elif not 2 <= len(self.options) <= MAX_OPTIONS:
            raise ValidationError(
                {"options": _("Give between 2 and 10 options, one per line.")}
            )

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def in_meeting(self):
        return self.agenda_item_id is not None

    def choices(self):
        """(value, label) pairs a ballot may take (a score poll scores every
        option instead)."""
        if self.kind == self.Kind.CONSENT:
            return list(Ballot.Position.choices)
        return [(str(index), label) for index, label in enumerate(self.options)]


class Ballot(models.Model):
    """One member's current vote on a proposal; changed until it closes. Of a
    secret ballot nobody reads who voted what: it leaves through no page,
    event, export or admin view (docs/security.md, PR-06)."""

    class Position(models.TextChoices):
        AGREE = "agree", _("agree")
        ABSTAIN = "abstain", _("abstain")
        DISAGREE = "disagree", _("disagree")
        BLOCK = "block", _("block")

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="ballots"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # A consent position or the index of the chosen option.
    choice = models.CharField(max_length=10, blank=True)
    scores = models.JSONField(default=list, blank=True)
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    cast_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="one_ballot")
        ]

    def __str__(self):
        return str(self.proposal)


def recused_user_ids(proposal):
    """Members who declared a conflict of interest and stood aside: on the
    proposal itself or on the agenda item it is voted under."""
    matter = Q(proposal=proposal)
    if proposal.agenda_item_id:
        matter |= Q(agenda_item_id=proposal.agenda_item_id)
    return set(
        ConflictOfInterest.objects.filter(matter, recused=True).values_list(
            "user_id", flat=True
        )
    )


def absent_from_the_meeting(proposal, user_id):
    """A vote taken in a meeting belongs to those there: whoever the
    secretary has not recorded as present does not vote in it."""
    if not proposal.agenda_item_id:
        return False
    return not Attendance.objects.filter(
        meeting__agenda_items=proposal.agenda_item_id, user_id=user_id
    ).exists()


def eligible_voters(proposal):
    """Current members with a vote (observers never), less the recused; in a
    meeting, only those recorded as present."""
    voters = (
        Membership.objects.current()
        .voting()
        .filter(group_id=proposal.group_id)
        .exclude(user_id__in=recused_user_ids(proposal))
    )
    if proposal.agenda_item_id:
        present = Attendance.objects.filter(
            meeting__agenda_items=proposal.agenda_item_id
        ).values("user_id")
        voters = voters.filter(user_id__in=present)
    return voters
