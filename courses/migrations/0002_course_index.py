"""Create the course index at /courses/ and let instructors author courses under it."""

from django.db import migrations
from django.db.models import F

INTRO = (
    "<p>Structured courses for the CPC and CCS exams: short lessons, worked coding "
    "examples and knowledge checks that track your progress.</p>"
)
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]
STEPLEN = 4


def _next_child_path(Page, parent) -> str:
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    number = int(last[-STEPLEN:], 36) + 1 if last else 1
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    step = ""
    while number:
        number, remainder = divmod(number, 36)
        step = digits[remainder] + step
    return parent.path + step.rjust(STEPLEN, "0")


def create_course_index(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    HomePage = apps.get_model("core", "HomePage")
    CourseIndexPage = apps.get_model("courses", "CourseIndexPage")

    home = HomePage.objects.order_by("path").first()
    if home is None:
        return
    index = CourseIndexPage.objects.first()
    if index is None:
        index_type, _ = ContentType.objects.get_or_create(
            app_label="courses", model="courseindexpage"
        )
        index = CourseIndexPage.objects.create(
            title="Courses",
            draft_title="Courses",
            slug="courses",
            content_type=index_type,
            path=_next_child_path(Page, home),
            depth=home.depth + 1,
            numchild=0,
            url_path=f"{home.url_path}courses/",
            intro=INTRO,
            locale_id=home.locale_id,
            live=True,
        )
        Page.objects.filter(pk=home.pk).update(numchild=F("numchild") + 1)

    instructors = Group.objects.filter(name="Instructor").first()
    if instructors is None:
        return
    page_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="page"
    )
    for codename in PAGE_PERMISSIONS:
        permission, _ = Permission.objects.get_or_create(
            content_type=page_type,
            codename=codename,
            defaults={"name": codename.replace("_", " ").capitalize()},
        )
        GroupPagePermission.objects.get_or_create(
            group=instructors, page_id=index.pk, permission=permission
        )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("core", "0002_home_page"),
        ("accounts", "0002_roles"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_course_index, migrations.RunPython.noop)]
