"""Instructors also need publish rights on the library: in Wagtail 8 the approver's
own publish permission is checked when the review workflow publishes the case.
Publishing directly (without review) is refused in wagtail_hooks."""

from django.db import migrations


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    CaseLibraryPage = apps.get_model("case_studies", "CaseLibraryPage")
    library = CaseLibraryPage.objects.first()
    if library is None:
        return
    instructors, _ = Group.objects.get_or_create(name="Instructor")
    page_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="page"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=page_type,
        codename="publish_page",
        defaults={"name": "Can publish page"},
    )
    GroupPagePermission.objects.get_or_create(
        group=instructors, page_id=library.pk, permission=permission
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
