"""A draft's live document (docs/subsystems/co-editing.md): the Yjs updates
its writers send, each stored before it is forwarded, and the snapshot they
are compacted into. The text of record stays the draft's versions."""

from django.conf import settings
from django.db import models

from documents.models.drafts import Draft


class LiveDocument(models.Model):
    """The compacted part of a draft's live document: one Yjs update (v1)
    that holds every update merged into it. The rest are ``LiveUpdate`` rows
    not compacted yet; the document is the snapshot and all of them."""

    draft = models.OneToOneField(
        Draft, on_delete=models.CASCADE, primary_key=True, related_name="live"
    )
    snapshot = models.BinaryField()
    compacted_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"live {self.draft_id}"


class LiveUpdate(models.Model):
    """One update of a draft's live document as its writer sent it; only
    compaction removes rows, after merging them into the snapshot."""

    id = models.BigAutoField(primary_key=True)
    draft = models.ForeignKey(
        Draft, on_delete=models.CASCADE, related_name="live_updates"
    )
    data = models.BinaryField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["draft", "id"], name="live_update_by_draft")]

    def __str__(self):
        return f"update {self.pk} of {self.draft_id}"


class LiveEditor(models.Model):
    """Who wrote in a draft's live document, kept when compaction removes
    their updates: ``through`` is the id of their last compacted update, so
    that a version lists everyone who edited since the previous one
    (documents/live/editors.py)."""

    draft = models.ForeignKey(
        Draft, on_delete=models.CASCADE, related_name="live_editors"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    through = models.BigIntegerField()
    last_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "user"], name="one_live_editor_per_draft_and_person"
            )
        ]

    def __str__(self):
        return f"{self.user_id} wrote in {self.draft_id}"
