"""Questions and blueprints go live through the "Answer key review" workflow, as
cases do: instructors may publish (the approving reviewer's own publish permission
is checked), but exams.wagtail_hooks refuses them a direct publish."""

from django.db import migrations

from core.migration_helpers import model_permissions_grant, model_permissions_revoke

WORKFLOW_NAME = "Answer key review"
MODELS = ["question", "blueprint"]
INSTRUCTOR_PERMISSIONS = {model: ["publish", "lock"] for model in MODELS}


def assign(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    model_permissions_grant(
        apps,
        group_name="Instructor",
        app_label="exams",
        actions_by_model=INSTRUCTOR_PERMISSIONS,
    )
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is None:
        return
    for model in MODELS:
        content_type, _ = ContentType.objects.get_or_create(
            app_label="exams", model=model
        )
        WorkflowContentType.objects.update_or_create(
            content_type=content_type, defaults={"workflow": workflow}
        )


def unassign(apps, schema_editor):
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    WorkflowContentType.objects.filter(
        content_type__app_label="exams", content_type__model__in=MODELS
    ).delete()
    model_permissions_revoke(
        apps,
        group_name="Instructor",
        app_label="exams",
        actions_by_model=INSTRUCTOR_PERMISSIONS,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0003_revisions_workflow"),
        ("case_studies", "0002_library_workflow_permissions"),
    ]

    operations = [migrations.RunPython(assign, unassign)]
