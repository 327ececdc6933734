"""The capabilities that roles carry, as permissions: instructors instruct;
administrators instruct and administer. Checks ask for these (accounts.roles)."""

from django.db import migrations

from core.migration_helpers import permissions_grant

CODENAMES_BY_ROLE = {
    "Instructor": ["instruct"],
    "Administrator": ["instruct", "administer"],
}


def grant(apps, schema_editor):
    for group_name, codenames in CODENAMES_BY_ROLE.items():
        permissions_grant(
            apps,
            group_name=group_name,
            app_label="accounts",
            model="user",
            codenames=codenames,
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="accounts", codename__in=["instruct", "administer"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="user",
            options={
                "ordering": ["email"],
                "permissions": [
                    ("instruct", "Can author content, try keys and follow learners"),
                    (
                        "administer",
                        "Can manage every course and publish without review",
                    ),
                ],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
