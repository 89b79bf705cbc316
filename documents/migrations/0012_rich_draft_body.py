"""Drafts' bodies become rich text (documents/blocks.py): every draft's body
and every revision of it is rewritten, without losing a text or a block id
(``blocks.from_plain_body``), and a live document that holds nothing beyond
the body it was seeded from is brought to the same blocks through an
ordinary update, so that an editor still open merges it as any other."""

import json

import wagtail.fields
from django.db import migrations


def _plain_triples(blocks):
    from documents.blocks import plain_text

    return [(b["id"], plain_text(b["type"], b["value"])) for b in blocks]


def _live_doc(LiveDocument, LiveUpdate, draft_id):
    from pycrdt import Doc

    doc = Doc()
    live = LiveDocument.objects.filter(draft_id=draft_id).first()
    if live is None:
        return None
    doc.apply_update(bytes(live.snapshot))
    for data in LiveUpdate.objects.filter(draft_id=draft_id).order_by("id"):
        doc.apply_update(bytes(data.data))
    return doc


def _move_live(apps, draft_id, old, new):
    from documents.live.convert import doc_to_body, replace_body

    LiveDocument = apps.get_model("documents", "LiveDocument")
    LiveUpdate = apps.get_model("documents", "LiveUpdate")
    doc = _live_doc(LiveDocument, LiveUpdate, draft_id)
    was = [(block["id"], block["value"]) for block in old]  # plain text then
    if doc is None or _plain_triples(doc_to_body(doc)) != was:
        return  # edited since: the live text is read as it is
    update = replace_body(doc, new)
    if update is not None:
        LiveUpdate.objects.create(draft_id=draft_id, data=update, author=None)


def _revisions(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    kind = ContentType.objects.filter(app_label="documents", model="draft").first()
    if kind is None:
        return Revision.objects.none()
    return Revision.objects.filter(base_content_type=kind)


def _convert_revisions(apps, convert):
    for revision in _revisions(apps).iterator():
        body = revision.content.get("body") or []
        was_text = isinstance(body, str)
        new = convert(json.loads(body) if was_text else body)
        revision.content["body"] = json.dumps(new) if was_text else new
        revision.save(update_fields=["content"])


def forwards(apps, schema_editor):
    from documents.blocks import from_plain_body

    Draft = apps.get_model("documents", "Draft")
    for draft in Draft.objects.iterator():
        old = list(draft.body.raw_data)
        new = from_plain_body(old)
        Draft.objects.filter(pk=draft.pk).update(body=new)
        _move_live(apps, draft.pk, old, new)
    _convert_revisions(apps, from_plain_body)


def _to_plain(raw):
    """Back to headings and paragraphs of plain text (formatting is lost)."""
    from documents.blocks import plain_text

    return [
        {
            "type": "heading" if b["type"] in ("heading", "subheading") else "paragraph",
            "value": plain_text(b["type"], b["value"]),
            "id": b["id"],
        }
        for b in raw
    ]


def backwards(apps, schema_editor):
    Draft = apps.get_model("documents", "Draft")
    for draft in Draft.objects.iterator():
        Draft.objects.filter(pk=draft.pk).update(body=_to_plain(draft.body.raw_data))
    _convert_revisions(apps, _to_plain)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0011_seed_live_documents"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterField(
            model_name="draft",
            name="body",
            field=wagtail.fields.StreamField(
                [
                    ("heading", 0),
                    ("subheading", 1),
                    ("paragraph", 2),
                    ("bulleted_list", 3),
                    ("numbered_list", 4),
                    ("quote", 5),
                ],
                blank=True,
                block_lookup={
                    0: ("documents.blocks.HeadingBlock", (), {}),
                    1: ("documents.blocks.SubheadingBlock", (), {}),
                    2: ("documents.blocks.ParagraphBlock", (), {}),
                    3: ("documents.blocks.BulletedListBlock", (), {}),
                    4: ("documents.blocks.NumberedListBlock", (), {}),
                    5: ("documents.blocks.QuoteBlock", (), {}),
                },
                verbose_name="text",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
