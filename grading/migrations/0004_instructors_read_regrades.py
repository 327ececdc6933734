"""Let instructors read the regrade history in the Wagtail admin, as they read the
ledger."""

from django.db import migrations

from core.migration_helpers import model_permissions_operation

INSTRUCTOR_PERMISSIONS = {"gradedresponseregrade": ["view"]}


class Migration(migrations.Migration):
    dependencies = [("grading", "0003_regrade_history_and_anonymous_answers")]

    operations = [
        model_permissions_operation(
            group_name="Instructor",
            app_label="grading",
            actions_by_model=INSTRUCTOR_PERMISSIONS,
        )
    ]
