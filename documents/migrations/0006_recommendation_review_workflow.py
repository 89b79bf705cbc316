"""The editors' review of recommendations: a Wagtail workflow with one
group-approval task for the "Editors" and "Moderators" groups. The
recommendations section of the programme gets it assigned (documents.demo,
or an administrator in Settings → Workflows)."""

from django.db import migrations

WORKFLOW = "Recommendation review"
TASK = "Editorial review of a recommendation"


def create(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    ContentType = apps.get_model("contenttypes", "ContentType")
    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW)
    if not created:
        return
    task = GroupApprovalTask.objects.create(name=TASK, content_type=task_type)
    task.groups.set(Group.objects.filter(name__in=["Editors", "Moderators"]))
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)


def remove(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0005_review_and_recommendations"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create, remove)]
