"""Let instructors read the regrade history in the Wagtail admin, as they read the
ledger."""

from django.db import migrations

from core.migration_helpers import model_permissions_grant, model_permissions_revoke

INSTRUCTOR_PERMISSIONS = {"gradedresponseregrade": ["view"]}


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
    dependencies = [("grading", "0003_regrade_history_and_anonymous_answers")]

    operations = [migrations.RunPython(grant, revoke)]
