"""Let instructors read the ledger and define scoring policies in the Wagtail admin."""

from django.db import migrations

INSTRUCTOR_PERMISSIONS = {
    "gradedresponse": ["view"],
    "scoringpolicydefinition": ["add", "change", "view"],
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    instructors, _ = Group.objects.get_or_create(name="Instructor")
    for model, actions in INSTRUCTOR_PERMISSIONS.items():
        content_type, _ = ContentType.objects.get_or_create(
            app_label="grading", model=model
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
    if instructors is None:
        return
    for model, actions in INSTRUCTOR_PERMISSIONS.items():
        instructors.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="grading",
                codename__in=[f"{action}_{model}" for action in actions],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("grading", "0001_initial"),
        ("accounts", "0002_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
