"""Storage of live documents: every accepted update is a ``LiveUpdate`` row
written before anyone else hears of it; compaction merges rows into the
``LiveDocument`` snapshot and deletes exactly the rows it merged, in one
transaction, so an update is always in one or the other (or, harmlessly,
both: applying a Yjs update twice changes nothing)."""

import logging

from pycrdt import Doc, merge_updates

from django.db import IntegrityError, transaction

from documents.live import convert, editors, protocol
from documents.models import Draft, LiveDocument, LiveUpdate

logger = logging.getLogger(__name__)

EMPTY_UPDATE = b"\x00\x00"
WRITABLE = Draft.Status.DRAFT  # in review, approved or published: read-only


class Refused(Exception):
    """Not an update of a draft's live document."""


class ReadOnly(Exception):
    """The draft is not being written now (review, publication, withdrawn)."""


def _seed(draft):
    """The live document of a draft that has none yet: its current body."""
    update = convert.body_to_doc(draft.body).get_update()
    try:
        with transaction.atomic():
            LiveDocument.objects.create(draft=draft, snapshot=update)
    except IntegrityError:
        pass  # another worker seeded it first: theirs is the document


def load(draft_id):
    """The whole live document as one update (seeded from the body when the
    draft has none). The rows are read before the snapshot: a compaction in
    between moves rows into the snapshot, never out of both."""
    rows = list(
        LiveUpdate.objects.filter(draft_id=draft_id)
        .order_by("id")
        .values_list("data", flat=True)
    )
    live = LiveDocument.objects.filter(draft_id=draft_id).first()
    if live is None:
        _seed(Draft.objects.get(pk=draft_id))
        live = LiveDocument.objects.get(draft_id=draft_id)
    return merge_updates(bytes(live.snapshot), *(bytes(row) for row in rows))


def load_doc(draft_id):
    doc = Doc()
    doc.apply_update(load(draft_id))
    return doc


@transaction.atomic
def append(*, draft_id, update, author_id):
    """Stores one checked update; refused (``ReadOnly``) unless the draft is
    being written. The draft row is locked, so that no update lands after
    the draft went to review."""
    status = (
        Draft.objects.select_for_update()
        .filter(pk=draft_id)
        .values_list("status", flat=True)
        .first()
    )
    if status != WRITABLE:
        raise ReadOnly
    return LiveUpdate.objects.create(
        draft_id=draft_id, data=update, author_id=author_id
    ).pk


def replace(*, draft_id, body, author_id):
    """Makes the live document hold ``body`` (a version saved with the
    plain form, a restored version): stored as one update, which the caller
    publishes (None when the document held it already)."""
    update = convert.replace_body(load_doc(draft_id), body)
    if update is not None:
        LiveUpdate.objects.create(draft_id=draft_id, data=update, author_id=author_id)
    return update


def merge(*, draft_id, update, author_id):
    """Stores what ``update`` (a client's whole document) has that the
    stored document lacks, checked as a socket's update (``Refused`` if it
    is not a draft's); returns that difference, or None."""
    doc = load_doc(draft_id)
    try:
        merged = protocol.checked_update(doc, update)
    except protocol.Malformed:
        raise Refused from None
    missing = merged.get_update(doc.get_state())
    if missing == EMPTY_UPDATE:
        return None
    LiveUpdate.objects.create(draft_id=draft_id, data=missing, author_id=author_id)
    return missing


def body_for_version(*, draft_id, author_id):
    """``(body, update)``: the live document as a StreamField body, and the
    update (stored here, for the caller to publish; None if nothing) that
    gives its new blocks their ids in the live document too, so that the
    version and the live document keep the same anchors."""
    doc = load_doc(draft_id)
    before = doc.get_state()
    body = convert.doc_to_body(doc, write_ids=True)
    if doc.get_state() == before:
        return body, None
    update = doc.get_update(before)
    LiveUpdate.objects.create(draft_id=draft_id, data=update, author_id=author_id)
    return body, update


def compact(draft_id):
    """Merges the draft's update rows into its snapshot; returns how many."""
    with transaction.atomic():
        live = (
            LiveDocument.objects.select_for_update().filter(draft_id=draft_id).first()
        )
        if live is None:
            return 0
        rows = list(
            LiveUpdate.objects.filter(draft_id=draft_id)
            .order_by("id")
            .values_list("id", "data")
        )
        if not rows:
            return 0
        live.snapshot = merge_updates(
            bytes(live.snapshot), *(bytes(data) for _, data in rows)
        )
        live.save(update_fields=["snapshot", "compacted_at"])
        editors.record_compacted(draft_id, [pk for pk, _ in rows])
        LiveUpdate.objects.filter(id__in=[pk for pk, _ in rows]).delete()
    logger.info("live document %s: %s updates compacted", draft_id, len(rows))
    return len(rows)
