"""Info points keep revisions (issue 16): each existing point gets a first
revision of what it says now, the baseline against which a later change of
the Polish source marks its translations outdated (home/translations.py).
The editors, who translate them, may add and edit info points."""

import importlib

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone

from modelcluster.models import get_serializable_data_for_fields


def first_revisions(apps, schema_editor):
    InfoPoint = apps.get_model("home", "InfoPoint")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="home", model="infopoint"
    )
    now = timezone.now()
    for point in InfoPoint.objects.filter(latest_revision__isnull=True):
        revision = Revision.objects.create(
            content_type=content_type,
            base_content_type=content_type,
            object_id=str(point.pk),
            created_at=now,
            object_str=point.name,
            content=get_serializable_data_for_fields(point),
        )
        InfoPoint.objects.filter(pk=point.pk).update(latest_revision=revision)


def editors_edit_info_points(apps, schema_editor):
    permission = importlib.import_module(
        "home.migrations.0006_editors_publish_the_programme"
    )._permission
    editors = apps.get_model("auth", "Group").objects.filter(name="Editors").first()
    if editors is None:
        return
    for action in ("add", "change", "view"):
        editors.permissions.add(
            permission(
                apps,
                "home",
                "infopoint",
                f"{action}_infopoint",
                f"Can {action} info point",
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0008_public_email_subscriptions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="infopoint",
            name="latest_revision",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="wagtailcore.revision",
                verbose_name="latest revision",
            ),
        ),
        migrations.RunPython(first_revisions, migrations.RunPython.noop),
        migrations.RunPython(editors_edit_info_points, migrations.RunPython.noop),
    ]
