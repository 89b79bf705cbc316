"""A group's documents as it writes them: drafts, their numbered versions,
comments, attachments, who has them open, and their way to an agenda and to
the group's approval."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.fields import StreamField
from wagtail.models import RevisionMixin

from documents.blocks import DRAFT_BODY_BLOCKS, plain_text
from workgroups.models import IntegrationArea, Membership, WorkingGroup


class DraftQuerySet(models.QuerySet):
    def for_member(self, user):
        """Drafts of the groups ``user`` is a current member of: no one else
        sees them."""
        return self.filter(
            group__in=Membership.objects.current_of(user).values("group_id")
        )


class Draft(RevisionMixin, models.Model):
    """A document a working group writes together. Every save is a Wagtail
    revision with a numbered version (``DraftVersion``); ``version`` is the
    number the current text has, compared on save so that nobody overwrites a
    text they have not seen."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        GROUP_REVIEW = "group_review", _("in group review")
        APPROVED = "approved", _("approved by the group")
        EDITORIAL_REVIEW = "editorial_review", _("in editorial review")
        PUBLISHED = "published", _("published")
        WITHDRAWN = "withdrawn", _("withdrawn")

    group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.PROTECT,
        related_name="drafts",
    )
    area = models.ForeignKey(
        IntegrationArea,
        verbose_name=_("integration area"),
        on_delete=models.PROTECT,
        related_name="drafts",
    )
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True, max_length=2000)
    body = StreamField(DRAFT_BODY_BLOCKS, verbose_name=_("text"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=0)
    actions = models.ManyToManyField(
        "home.ActionPage",
        verbose_name=_("programme actions"),
        blank=True,
        related_name="+",
        help_text=_("The actions of the programme this document addresses."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = DraftQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")

    def __str__(self):
        return self.title

    def paragraphs(self):
        """The body as ``(block id, kind, plain text)`` triples: what
        comments anchor to and the comparison reads."""
        return [
            (block["id"], block["type"], plain_text(block["type"], block["value"]))
            for block in self.body.raw_data
        ]

    @property
    def is_closed(self):
        return self.status == self.Status.WITHDRAWN


class DraftVersion(models.Model):
    """A numbered, immutable version of a draft: who saved it, when, why. The
    text itself is the Wagtail revision it points to."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("number"))
    revision = models.OneToOneField(
        "wagtailcore.Revision", on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("edited by"),
        blank=True,
        related_name="+",
        help_text=_("Everyone who changed the text since the previous version."),
    )
    automatic = models.BooleanField(
        _("saved automatically"),
        default=False,
        help_text=_("Saved by the site once nobody had written for a while."),
    )
    # The last live update (``LiveUpdate.id``) this version's text holds:
    # the next version lists those who edited after it
    # (documents/live/editors.py).
    live_through = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "number"], name="one_version_number_per_draft"
            )
        ]
        verbose_name = _("version")
        verbose_name_plural = _("versions")

    def __str__(self):
        return f"{self.draft} v{self.number}"

    def as_draft(self):
        return self.revision.as_object()


class DraftComment(models.Model):
    """A comment on a range of the draft's text, or a reply in its thread.
    The range is two Yjs relative positions in the live document
    (``anchor_start``, ``anchor_end``, as the editor encodes them), so it
    follows the text through everyone's edits; a thread keeps the text it
    was about when it began (``anchored_text``), so that readers see it when
    that text changed or was removed (documents/live/anchors.py).
    ``block_id``: the block the range starts in, where the page without
    JavaScript shows the thread."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="comments")
    block_id = models.CharField(_("paragraph"), max_length=64, blank=True)
    anchor_start = models.BinaryField(null=True, blank=True, max_length=64)
    anchor_end = models.BinaryField(null=True, blank=True, max_length=64)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    text = models.TextField(_("comment"), max_length=4000)
    anchored_text = models.TextField(blank=True)
    version_number = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return self.text[:50]


class DraftAttachment(models.Model):
    """A file attached to a draft. The file is a Wagtail document in the
    group's private collection, served only to members (``wagtail_hooks``
    refuses everyone else, also on Wagtail's own document URL)."""

    draft = models.ForeignKey(
        Draft, on_delete=models.CASCADE, related_name="attachments"
    )
    document = models.OneToOneField(
        "wagtaildocs.Document", on_delete=models.PROTECT, related_name="attachment"
    )
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.document.title


class DraftPresence(models.Model):
    """Who has a draft open, refreshed while their page is open, so that
    authors know someone else may be editing too."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="presences")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    editing = models.BooleanField(default=False)
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "user"], name="one_presence_per_draft_and_person"
            )
        ]

    def __str__(self):
        return f"{self.user} @ {self.draft}"


class AgendaDraft(models.Model):
    """A draft linked to a meeting's agenda item, for the group to discuss or
    approve there."""

    agenda_item = models.ForeignKey(
        "workgroups.AgendaItem", on_delete=models.CASCADE, related_name="drafts"
    )
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="agenda")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item", "draft"], name="draft_once_per_agenda_item"
            )
        ]

    def __str__(self):
        return f"{self.draft} @ {self.agenda_item}"


class DraftProposal(models.Model):
    """A proposal put to the group's vote to approve a draft: a carried one
    approves it as a decision of approved minutes does (documents/votes.py)."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="votes")
    proposal = models.OneToOneField(
        "workgroups.Proposal", on_delete=models.CASCADE, related_name="draft_link"
    )
    version_number = models.PositiveIntegerField()

    def __str__(self):
        return f"{self.draft} — {self.proposal}"


class DraftApproval(models.Model):
    """The group's approval of one version of a draft, recorded by a decision
    of approved minutes: the link the public recommendation's provenance
    shows."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="approvals")
    version = models.ForeignKey(
        DraftVersion,
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        related_name="approvals",
    )
    decision = models.ForeignKey(
        "workgroups.Decision",
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        related_name="draft_approvals",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("group approval")
        verbose_name_plural = _("group approvals")

    def __str__(self):
        return f"{self.draft} v{self.version.number}"
