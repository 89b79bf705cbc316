"""Every existing draft gets its live document, holding its current body
(headings and paragraphs with their block ids), so that co-editing starts
from exactly the text of its newest version. Bodies here are still plain
text (0012 makes them rich text): they are read as such."""

from django.db import migrations


def seed(apps, schema_editor):
    from documents.blocks import from_plain_body
    from documents.live.convert import body_to_doc

    Draft = apps.get_model("documents", "Draft")
    LiveDocument = apps.get_model("documents", "LiveDocument")
    have = set(LiveDocument.objects.values_list("draft_id", flat=True))
    for draft in Draft.objects.exclude(pk__in=have).iterator():
        update = body_to_doc(from_plain_body(draft.body.raw_data)).get_update()
        LiveDocument.objects.create(draft=draft, snapshot=update)


class Migration(migrations.Migration):
    dependencies = [("documents", "0010_live_documents")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
