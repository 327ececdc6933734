"""Courses, modules and lessons can be submitted to "Answer key review", the
workflow cases and exam content use, so a lesson's knowledge-check keys get a
second instructor's approval and an edit saved during that review restarts it.
Instructors keep their right to publish courses directly."""

from django.db import migrations

WORKFLOW_NAME = "Answer key review"


def assign(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    CourseIndexPage = apps.get_model("courses", "CourseIndexPage")
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    index = CourseIndexPage.objects.first()
    if workflow is not None and index is not None:
        WorkflowPage.objects.update_or_create(
            page_id=index.pk, defaults={"workflow": workflow}
        )


def unassign(apps, schema_editor):
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowPage.objects.filter(
        page__content_type__app_label="courses", workflow__name=WORKFLOW_NAME
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0002_course_index"),
        ("case_studies", "0002_library_workflow_permissions"),
    ]

    operations = [migrations.RunPython(assign, unassign)]
