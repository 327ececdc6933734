"""The case library page under the home page, the "Answer key review" workflow on
it, and the Instructor group's rights to add and edit cases there.

Instructors get add and change, not publish: a case goes live only when another
instructor approves it in the workflow (which then publishes it).
"""

from django.db import migrations

from core.migration_helpers import index_page_ensure, page_permissions_grant

WORKFLOW_NAME = "Answer key review"
TASK_NAME = "Key review by another instructor"
INSTRUCTOR_PAGE_PERMISSIONS = ["add_page", "change_page"]


def create(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    CaseLibraryPage = apps.get_model("case_studies", "CaseLibraryPage")
    ReviewTask = apps.get_model("case_studies", "AnotherInstructorApprovalTask")

    if CaseLibraryPage.objects.exists():
        return
    library = index_page_ensure(
        apps,
        app_label="case_studies",
        model_name="CaseLibraryPage",
        title="Case studies",
        slug="cases",
        intro="Realistic records to code, with feedback line by line.",
    )
    if library is None:
        return
    page_permissions_grant(
        apps,
        group_name="Instructor",
        page_id=library.pk,
        codenames=INSTRUCTOR_PAGE_PERMISSIONS,
    )
    instructors = Group.objects.get(name="Instructor")

    task_type, _ = ContentType.objects.get_or_create(
        app_label="case_studies", model="anotherinstructorapprovaltask"
    )
    task = ReviewTask.objects.create(name=TASK_NAME, active=True, content_type=task_type)
    task.groups.add(instructors)
    workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
    WorkflowTask.objects.create(workflow=workflow, task_id=task.pk, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page_id=library.pk)


def remove(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    ReviewTask = apps.get_model("case_studies", "AnotherInstructorApprovalTask")
    Page = apps.get_model("wagtailcore", "Page")
    CaseLibraryPage = apps.get_model("case_studies", "CaseLibraryPage")
    Workflow.objects.filter(name=WORKFLOW_NAME).delete()
    ReviewTask.objects.filter(name=TASK_NAME).delete()
    for library in CaseLibraryPage.objects.all():
        Page.objects.filter(path__startswith=library.path).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("case_studies", "0001_initial"),
        ("core", "0002_home_page"),
        ("accounts", "0002_roles"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create, remove)]
