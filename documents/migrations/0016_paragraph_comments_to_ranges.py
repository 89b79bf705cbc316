"""Each comment thread on a paragraph becomes a comment on the whole of that
paragraph in the live document: its anchors are the start and the end of
the block's element (documents/live/anchors.py). A thread whose paragraph
is no longer in the live document keeps no anchors: it shows the text it
was about with "text removed". A draft without a live document gets one
from its body first, as 0011 did."""

from pycrdt import merge_updates

from django.db import migrations


def _live_update(apps, draft_id):
    from documents.live.convert import body_to_doc

    LiveDocument = apps.get_model("documents", "LiveDocument")
    LiveUpdate = apps.get_model("documents", "LiveUpdate")
    live = LiveDocument.objects.filter(draft_id=draft_id).first()
    if live is None:
        draft = apps.get_model("documents", "Draft").objects.get(pk=draft_id)
        update = body_to_doc(list(draft.body.raw_data)).get_update()
        live = LiveDocument.objects.create(draft_id=draft_id, snapshot=update)
    rows = (
        LiveUpdate.objects.filter(draft_id=draft_id)
        .order_by("id")
        .values_list("data", flat=True)
    )
    return merge_updates(bytes(live.snapshot), *(bytes(row) for row in rows))


def forwards(apps, schema_editor):
    from documents.live.anchors import block_range

    DraftComment = apps.get_model("documents", "DraftComment")
    threads = DraftComment.objects.filter(parent=None, anchor_start=None)
    for draft_id in threads.values_list("draft_id", flat=True).distinct():
        update = _live_update(apps, draft_id)
        for comment in threads.filter(draft_id=draft_id):
            anchors = block_range(update, comment.block_id)
            if anchors is not None:
                comment.anchor_start, comment.anchor_end = anchors
                comment.save(update_fields=["anchor_start", "anchor_end"])


class Migration(migrations.Migration):
    dependencies = [("documents", "0015_range_comments")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
