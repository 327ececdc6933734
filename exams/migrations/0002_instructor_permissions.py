"""Let instructors author questions and blueprints and grant accommodations in the
Wagtail admin."""

from django.db import migrations

from core.migration_helpers import model_permissions_operation

ACTIONS = ["add", "change", "delete", "view"]
INSTRUCTOR_PERMISSIONS = {
    "question": ACTIONS,
    "questionoption": ACTIONS,
    "blueprint": ACTIONS,
    "blueprintquestion": ACTIONS,
    "accommodation": ACTIONS,
    "attempt": ["view"],
}


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0001_initial"),
        ("accounts", "0002_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        model_permissions_operation(
            group_name="Instructor",
            app_label="exams",
            actions_by_model=INSTRUCTOR_PERMISSIONS,
        )
    ]
