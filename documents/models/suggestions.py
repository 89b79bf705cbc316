"""Decisions on suggestions (tracked changes) in a draft's live document
(docs/subsystems/suggestions.md): who accepted or rejected which
suggestion, when; listed on the draft's history, the comparison of two
versions, and, for those the group accepted in group review, the minutes'
decision that approved the draft and the recommendation's provenance."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from documents.models.drafts import Draft, DraftApproval


class SuggestionDecisionQuerySet(models.QuerySet):
    def between(self, start, end):
        """Decided after ``start`` and up to ``end`` (two versions' times)."""
        return self.filter(decided_at__gt=start, decided_at__lte=end)


class SuggestionDecision(models.Model):
    class Kind(models.TextChoices):
        INSERTION = "insertion", _("insertion")
        DELETION = "deletion", _("deletion")

    draft = models.ForeignKey(
        Draft, on_delete=models.CASCADE, related_name="suggestion_decisions"
    )
    suggestion_id = models.CharField(max_length=64)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    text = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("suggested by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    accepted = models.BooleanField(_("accepted"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"))
    in_group_review = models.BooleanField(default=False)
    # Set when the group's approval of the draft is recorded: the
    # suggestions accepted in group review that the approval holds.
    approval = models.ForeignKey(
        DraftApproval,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accepted_suggestions",
    )

    objects = SuggestionDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["decided_at", "pk"]
        indexes = [
            models.Index(fields=["draft", "decided_at"], name="suggestion_by_draft")
        ]
        verbose_name = _("decision on a suggestion")
        verbose_name_plural = _("decisions on suggestions")

    def __str__(self):
        return f"{self.kind} {self.suggestion_id} of {self.draft_id}"
