"""The case library page under the home page, the "Answer key review" workflow on
it, and the Instructor group's rights to add and edit cases there.

Instructors get add and change, not publish: a case goes live only when another
instructor approves it in the workflow (which then publishes it).
"""

from django.db import migrations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEP = 4
WORKFLOW_NAME = "Answer key review"
TASK_NAME = "Key review by another instructor"
INSTRUCTOR_PAGE_PERMISSIONS = ["add_page", "change_page"]


def _next_child_path(Page, parent) -> str:
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    number = int(last[-STEP:], 36) + 1 if last else 1
    step = ""
    while number:
        number, digit = divmod(number, 36)
        step = ALPHABET[digit] + step
    return parent.path + step.rjust(STEP, "0")


def create(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    HomePage = apps.get_model("core", "HomePage")
    CaseLibraryPage = apps.get_model("case_studies", "CaseLibraryPage")
    ReviewTask = apps.get_model("case_studies", "AnotherInstructorApprovalTask")

    home = HomePage.objects.order_by("path").first()
    if home is None or CaseLibraryPage.objects.exists():
        return
    library_type, _ = ContentType.objects.get_or_create(
        app_label="case_studies", model="caselibrarypage"
    )
    library = CaseLibraryPage.objects.create(
        title="Case studies",
        draft_title="Case studies",
        slug="cases",
        content_type=library_type,
        path=_next_child_path(Page, home),
        depth=home.depth + 1,
        numchild=0,
        url_path=f"{home.url_path}cases/",
        locale_id=home.locale_id,
        live=True,
        intro="Realistic records to code, with feedback line by line.",
    )
    Page.objects.filter(pk=home.pk).update(numchild=home.numchild + 1)

    instructors, _ = Group.objects.get_or_create(name="Instructor")
    page_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="page"
    )
    for codename in INSTRUCTOR_PAGE_PERMISSIONS:
        permission, _ = Permission.objects.get_or_create(
            content_type=page_type,
            codename=codename,
            defaults={"name": f"Can {codename.replace('_', ' ')}"},
        )
        GroupPagePermission.objects.get_or_create(
            group=instructors, page_id=library.pk, permission=permission
        )

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
