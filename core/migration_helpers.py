"""Steps that the data migrations of several apps share: creating a section's index
page under the home page and granting the Instructor group its rights. They take
the migration's historical `apps`, so old migrations keep working as models change."""

from django.db.models import F

_PATH_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_PATH_STEP = 4  # treebeard's step length in Wagtail's page paths


def child_page_path(Page, parent) -> str:
    """The materialised path of a new last child of `parent`."""
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    number = int(last[-_PATH_STEP:], 36) + 1 if last else 1
    step = ""
    while number:
        number, digit = divmod(number, 36)
        step = _PATH_ALPHABET[digit] + step
    return parent.path + step.rjust(_PATH_STEP, "0")


def index_page_ensure(
    apps, *, app_label: str, model_name: str, title: str, slug: str, **fields
):
    """Return the section's index page under the home page, creating it if missing
    (None when there is no home page yet)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    HomePage = apps.get_model("core", "HomePage")
    IndexPage = apps.get_model(app_label, model_name)

    existing = IndexPage.objects.first()
    home = HomePage.objects.order_by("path").first()
    if existing is not None or home is None:
        return existing
    content_type, _ = ContentType.objects.get_or_create(
        app_label=app_label, model=model_name.lower()
    )
    page = IndexPage.objects.create(
        title=title,
        draft_title=title,
        slug=slug,
        content_type=content_type,
        path=child_page_path(Page, home),
        depth=home.depth + 1,
        numchild=0,
        url_path=f"{home.url_path}{slug}/",
        locale_id=home.locale_id,
        live=True,
        **fields,
    )
    Page.objects.filter(pk=home.pk).update(numchild=F("numchild") + 1)
    return page


def _permission(apps, *, app_label: str, model: str, codename: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(
        app_label=app_label, model=model
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": codename.replace("_", " ").capitalize()},
    )
    return permission


def page_permissions_grant(apps, *, group_name: str, page_id: int, codenames):
    """Give a group Wagtail page rights (add_page, change_page, …) below a page."""
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    group, _ = Group.objects.get_or_create(name=group_name)
    for codename in codenames:
        permission = _permission(
            apps, app_label="wagtailcore", model="page", codename=codename
        )
        GroupPagePermission.objects.get_or_create(
            group=group, page_id=page_id, permission=permission
        )


def model_permissions_grant(apps, *, group_name: str, app_label: str, actions_by_model):
    """Give a group Django model permissions, e.g. {"question": ["add", "change"]}."""
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=group_name)
    for model, actions in actions_by_model.items():
        for action in actions:
            group.permissions.add(
                _permission(
                    apps, app_label=app_label, model=model, codename=f"{action}_{model}"
                )
            )


def permissions_grant(apps, *, group_name: str, app_label: str, model: str, codenames):
    """Give a group custom permissions of a model (its Meta.permissions)."""
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=group_name)
    for codename in codenames:
        group.permissions.add(
            _permission(apps, app_label=app_label, model=model, codename=codename)
        )


def model_permissions_revoke(
    apps, *, group_name: str, app_label: str, actions_by_model
):
    """Undo `model_permissions_grant`."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=group_name).first()
    if group is None:
        return
    codenames = [
        f"{action}_{model}"
        for model, actions in actions_by_model.items()
        for action in actions
    ]
    group.permissions.remove(
        *Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )
    )


def model_permissions_operation(*, group_name: str, app_label: str, actions_by_model):
    """A reversible migration operation that gives a group model permissions."""
    from django.db import migrations

    arguments = {
        "group_name": group_name,
        "app_label": app_label,
        "actions_by_model": actions_by_model,
    }

    def grant(apps, schema_editor):
        model_permissions_grant(apps, **arguments)

    def revoke(apps, schema_editor):
        model_permissions_revoke(apps, **arguments)

    return migrations.RunPython(grant, revoke)
