"""Let instructors record why a linter finding is right for their key."""

from django.db import migrations

from core.migration_helpers import model_permissions_grant, model_permissions_revoke

INSTRUCTOR_PERMISSIONS = {"acceptedfinding": ["add", "change", "view"]}


def grant(apps, schema_editor):
    model_permissions_grant(
        apps,
        group_name="Instructor",
        app_label="content_checks",
        actions_by_model=INSTRUCTOR_PERMISSIONS,
    )


def revoke(apps, schema_editor):
    model_permissions_revoke(
        apps,
        group_name="Instructor",
        app_label="content_checks",
        actions_by_model=INSTRUCTOR_PERMISSIONS,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("content_checks", "0001_initial"),
        ("accounts", "0002_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
