"""The billing library page under the home page, under the "Answer key review"
workflow cases use, and the Instructor group's rights to add and edit scenarios
there: a scenario's claim key goes live only when another instructor approves it.
"""

from django.db import migrations

from core.migration_helpers import index_page_ensure, page_permissions_grant

WORKFLOW_NAME = "Answer key review"
INSTRUCTOR_PAGE_PERMISSIONS = ["add_page", "change_page"]


def create(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    library = index_page_ensure(
        apps,
        app_label="billing",
        model_name="BillingLibraryPage",
        title="Billing practice",
        slug="billing-scenarios",
        intro="Claims to build, scrub, submit and follow to payment or appeal.",
    )
    if library is None:
        return
    page_permissions_grant(
        apps,
        group_name="Instructor",
        page_id=library.pk,
        codenames=INSTRUCTOR_PAGE_PERMISSIONS,
    )
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is not None:
        WorkflowPage.objects.update_or_create(
            page_id=library.pk, defaults={"workflow": workflow}
        )


def remove(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    BillingLibraryPage = apps.get_model("billing", "BillingLibraryPage")
    for library in BillingLibraryPage.objects.all():
        Page.objects.filter(path__startswith=library.path).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0001_initial"),
        ("core", "0002_home_page"),
        ("accounts", "0002_roles"),
        ("case_studies", "0002_library_workflow_permissions"),
    ]

    operations = [migrations.RunPython(create, remove)]
