"""The recommendations' review workflow and its task are named in the
editors' language, and its approvers are the editors (issue 16; the
"Moderators" group of Wagtail's install has no place in the platform)."""

from django.db import migrations

NAMES = {
    "Recommendation review": "Przegląd redakcyjny rekomendacji",
    "Editorial review of a recommendation": "Przegląd rekomendacji przez Redakcję",
}


def rename(apps, schema_editor, names=NAMES):
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    for old, new in names.items():
        Workflow.objects.filter(name=old).update(name=new)
        Task.objects.filter(name=old).update(name=new)
    editors = Group.objects.filter(name="Editors")
    for task in GroupApprovalTask.objects.filter(name__in=names.values()):
        task.groups.set(editors)


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, {new: old for old, new in NAMES.items()})


class Migration(migrations.Migration):
    dependencies = [("documents", "0008_draft_proposals")]

    operations = [migrations.RunPython(rename, rename_back)]
