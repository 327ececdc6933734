"""Let instructors read the ledger and define scoring policies in the Wagtail admin."""

from django.db import migrations

from core.migration_helpers import model_permissions_operation

INSTRUCTOR_PERMISSIONS = {
    "gradedresponse": ["view"],
    "scoringpolicydefinition": ["add", "change", "view"],
}


class Migration(migrations.Migration):
    dependencies = [
        ("grading", "0001_initial"),
        ("accounts", "0002_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        model_permissions_operation(
            group_name="Instructor",
            app_label="grading",
            actions_by_model=INSTRUCTOR_PERMISSIONS,
        )
    ]
