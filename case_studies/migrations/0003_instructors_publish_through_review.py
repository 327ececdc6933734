"""Instructors also need publish rights on the library: in Wagtail 8 the approver's
own publish permission is checked when the review workflow publishes the case.
Publishing directly (without review) is refused in wagtail_hooks."""

from django.db import migrations

from core.migration_helpers import page_permissions_grant


def grant(apps, schema_editor):
    library = apps.get_model("case_studies", "CaseLibraryPage").objects.first()
    if library is not None:
        page_permissions_grant(
            apps,
            group_name="Instructor",
            page_id=library.pk,
            codenames=["publish_page"],
        )


def revoke(apps, schema_editor):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupPagePermission.objects.filter(
        group__name="Instructor",
        permission__codename="publish_page",
        page__content_type__app_label="case_studies",
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("case_studies", "0002_library_workflow_permissions")]

    operations = [migrations.RunPython(grant, revoke)]
