"""Let instructors read the ledger and define scoring policies in the Wagtail admin."""

from django.db import migrations

from core.migration_helpers import model_permissions_grant, model_permissions_revoke

INSTRUCTOR_PERMISSIONS = {
    "gradedresponse": ["view"],
    "scoringpolicydefinition": ["add", "change", "view"],
}


def grant(apps, schema_editor):
    model_permissions_grant(
        apps,
        group_name="Instructor",
        app_label="grading",
        actions_by_model=INSTRUCTOR_PERMISSIONS,
    )


def revoke(apps, schema_editor):
    model_permissions_revoke(
        apps,
        group_name="Instructor",
        app_label="grading",
        actions_by_model=INSTRUCTOR_PERMISSIONS,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("grading", "0001_initial"),
        ("accounts", "0002_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
