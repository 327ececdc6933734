"""Let instructors record why a linter finding is right for their key."""

from django.db import migrations

from core.migration_helpers import model_permissions_operation

INSTRUCTOR_PERMISSIONS = {"acceptedfinding": ["add", "change", "view"]}


class Migration(migrations.Migration):
    dependencies = [
        ("content_checks", "0001_initial"),
        ("accounts", "0002_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        model_permissions_operation(
            group_name="Instructor",
            app_label="content_checks",
            actions_by_model=INSTRUCTOR_PERMISSIONS,
        )
    ]
