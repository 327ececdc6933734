"""Create the three roles. Instructors and administrators may enter the Wagtail
admin and manage images and documents; page rights are granted per content section
by the apps that own those sections."""

from django.db import migrations

ROLES = ["Learner", "Instructor", "Administrator"]
ADMIN_ROLES = ["Instructor", "Administrator"]
MEDIA_PERMISSIONS = {
    ("wagtailimages", "image"): ["add_image", "change_image", "choose_image"],
    ("wagtaildocs", "document"): ["add_document", "change_document", "choose_document"],
}


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_type,
        codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )
    root_collection = Collection.objects.filter(depth=1).first()
    for name in ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        if name not in ADMIN_ROLES:
            continue
        group.permissions.add(access_admin)
        for (app_label, model), codenames in MEDIA_PERMISSIONS.items():
            content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
            for codename in codenames:
                permission, _ = Permission.objects.get_or_create(
                    content_type=content_type,
                    codename=codename,
                    defaults={"name": codename.replace("_", " ").capitalize()},
                )
                if root_collection is not None:
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=root_collection, permission=permission
                    )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
