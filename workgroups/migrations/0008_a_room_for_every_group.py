"""Groups made before rooms came with their group get theirs now
(workgroups/discussion/receivers.py makes them for new groups)."""

from django.db import migrations


def rooms_for_groups_without(apps, schema_editor):
    Room = apps.get_model("workgroups", "Room")
    WorkingGroup = apps.get_model("workgroups", "WorkingGroup")
    Room.objects.bulk_create(
        Room(group=group) for group in WorkingGroup.objects.filter(room__isnull=True)
    )


class Migration(migrations.Migration):
    dependencies = [("workgroups", "0007_invitation_mail")]

    operations = [
        migrations.RunPython(rooms_for_groups_without, migrations.RunPython.noop),
    ]
