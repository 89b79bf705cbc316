"""Editors (Redakcja) publish the programme themselves (issue 16).

Wagtail's install puts every page under the "Moderators approval" workflow,
whose "Moderators" group the platform does not use (the README's roles are the
editors and the administrators), so only a superuser could publish. Here the
editors may publish, lock and unlock pages and submit translations, that
workflow leaves the tree, and the empty "Moderators" group goes. The
recommendations keep their own review workflow (documents migrations)."""

from django.db import migrations

DEFAULT_WORKFLOW = "Moderators approval"
PAGE_RIGHTS = [
    ("publish_page", "Can publish any page"),
    ("lock_page", "Can lock any page"),
    ("unlock_page", "Can unlock any page"),
]
TRANSLATE = ("simple_translation", "simpletranslation", "submit_translation")


def _permission(apps, app_label, model, codename, name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(
        app_label=app_label, model=model
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def editors_publish(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    editors = Group.objects.filter(name="Editors").first()
    root = Page.objects.filter(depth=1).first()
    if editors is None or root is None:
        return
    for codename, name in PAGE_RIGHTS:
        permission = _permission(apps, "wagtailcore", "page", codename, name)
        GroupPagePermission.objects.get_or_create(
            group=editors, page=root, permission=permission
        )
    editors.permissions.add(
        _permission(apps, *TRANSLATE, "Can submit translations")
    )
    _retire_moderators(apps)


def _retire_moderators(apps):
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowState = apps.get_model("wagtailcore", "WorkflowState")
    workflow = Workflow.objects.filter(name=DEFAULT_WORKFLOW).first()
    if workflow is not None:
        workflow.workflow_pages.all().delete()
        if WorkflowState.objects.filter(workflow=workflow).exists():
            workflow.active = False
            workflow.save(update_fields=["active"])
        else:
            tasks = [link.task_id for link in workflow.workflow_tasks.all()]
            workflow.delete()
            apps.get_model("wagtailcore", "Task").objects.filter(
                pk__in=tasks, workflow_tasks__isnull=True, task_states__isnull=True
            ).delete()
    Group.objects.filter(name="Moderators", user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0005_outgoing_email"),
        ("wagtailcore", "0098_apitoken"),
        ("simple_translation", "0001_initial"),
    ]

    operations = [migrations.RunPython(editors_publish, migrations.RunPython.noop)]
