"""Let instructors author questions and blueprints and grant accommodations in the
Wagtail admin."""

from django.db import migrations

ACTIONS = ["add", "change", "delete", "view"]
INSTRUCTOR_PERMISSIONS = {
    "question": ACTIONS,
    "questionoption": ACTIONS,
    "blueprint": ACTIONS,
    "blueprintquestion": ACTIONS,
    "accommodation": ACTIONS,
    "attempt": ["view"],
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    instructors, _ = Group.objects.get_or_create(name="Instructor")
    for model, actions in INSTRUCTOR_PERMISSIONS.items():
        content_type, _ = ContentType.objects.get_or_create(
            app_label="exams", model=model
        )
        for action in actions:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {model}"},
            )
            instructors.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    instructors = Group.objects.filter(name="Instructor").first()
    if instructors is not None:
        instructors.permissions.remove(
            *Permission.objects.filter(content_type__app_label="exams")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0001_initial"),
        ("accounts", "0002_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
