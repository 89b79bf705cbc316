"""Who edited a draft's live document, and how far it has come.

Every stored update has an id (``LiveUpdate.id``, growing) and an author.
Compaction deletes the rows, so it first records, per author, the id of
their last compacted update (``LiveEditor.through``) and when it was made.
A version keeps the id of the last update its text holds
(``DraftVersion.live_through``): whoever has an update after it edited
since that version. The same id is the live document's fingerprint for the
plain form (``mark``): any update stored since gives a larger one.

Reads go to the update rows first, then to the editors' rows: a compaction
that commits in between moves rows from the first to the second, never out
of both."""

from django.db.models import Exists, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce

from documents.models import Draft, DraftVersion, LiveEditor, LiveUpdate


def record_compacted(draft_id, row_ids):
    """Must be called in the compaction's transaction, before it deletes the
    rows ``row_ids``: their authors stay known."""
    last = (
        LiveUpdate.objects.filter(id__in=row_ids, author__isnull=False)
        .values("author_id")
        .annotate(through=Max("id"), last_at=Max("created_at"))
    )
    LiveEditor.objects.bulk_create(
        [
            LiveEditor(
                draft_id=draft_id,
                user_id=row["author_id"],
                through=row["through"],
                last_at=row["last_at"],
            )
            for row in last
        ],
        update_conflicts=True,
        unique_fields=["draft", "user"],
        update_fields=["through", "last_at"],
    )


def mark(draft_id):
    """The id of the draft's last stored update (0 before any): it changes
    with every update stored."""
    rows = LiveUpdate.objects.filter(draft_id=draft_id).aggregate(last=Max("id"))
    kept = LiveEditor.objects.filter(draft_id=draft_id).aggregate(last=Max("through"))
    return max(rows["last"] or 0, kept["last"] or 0)


def since(draft_id, through):
    """Ids of everyone with an update after ``through``, and when the last
    of them was made (None when nobody has one)."""
    rows = (
        LiveUpdate.objects.filter(draft_id=draft_id, id__gt=through)
        .values("author_id")
        .annotate(last_at=Max("created_at"))
    )
    kept = LiveEditor.objects.filter(draft_id=draft_id, through__gt=through).values(
        "user_id", "last_at"
    )
    last = {}
    for user_id, at in [(r["author_id"], r["last_at"]) for r in rows] + [
        (k["user_id"], k["last_at"]) for k in kept
    ]:
        last[user_id] = max(at, last.get(user_id, at))
    moments = list(last.values())
    return {user for user in last if user is not None}, max(moments, default=None)


def drafts_with_edits():
    """Drafts with a live update after their newest version."""
    newest = DraftVersion.objects.filter(draft=OuterRef("pk")).values("live_through")
    through = Coalesce(Subquery(newest[:1]), 0)
    return Draft.objects.annotate(through=through).filter(
        Exists(
            LiveUpdate.objects.filter(draft=OuterRef("pk"), id__gt=OuterRef("through"))
        )
        | Exists(
            LiveEditor.objects.filter(
                draft=OuterRef("pk"), through__gt=OuterRef("through")
            )
        )
    )
