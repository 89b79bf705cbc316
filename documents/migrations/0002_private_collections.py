from django.db import migrations

PUBLIC_NAME = "Program (publiczne)"


def scope_editor_collections(apps, schema_editor):
    """Editors and moderators keep their document and image rights only on the
    public programme's collection: drafts' attachments live in other
    collections, which they must not browse or choose (docs/security.md, AC-05)."""
    Collection = apps.get_model("wagtailcore.Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    public = Collection.objects.filter(depth=2, name=PUBLIC_NAME).first()
    if public is None:
        last = Collection.objects.filter(depth=2).order_by("-path").first()
        step = int(last.path[-4:], 36) + 1 if last else 1
        path = root.path + _alphabet(step)
        public = Collection.objects.create(
            name=PUBLIC_NAME, path=path, depth=2, numchild=0
        )
        root.numchild += 1
        root.save(update_fields=["numchild"])
    GroupCollectionPermission.objects.filter(
        collection=root, group__name__in=["Editors", "Moderators"]
    ).update(collection=public)


def _alphabet(number):
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    for _ in range(4):
        number, remainder = divmod(number, 36)
        out = digits[remainder] + out
    return out


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(scope_editor_collections, migrations.RunPython.noop)
    ]
