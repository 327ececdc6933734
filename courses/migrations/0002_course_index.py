"""Create the course index at /courses/ and let instructors author courses under it."""

from django.db import migrations

from core.migration_helpers import index_page_ensure, page_permissions_grant

INTRO = (
    "<p>Structured courses for the CPC and CCS exams: short lessons, worked coding "
    "examples and knowledge checks that track your progress.</p>"
)
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]


def create_course_index(apps, schema_editor):
    index = index_page_ensure(
        apps,
        app_label="courses",
        model_name="CourseIndexPage",
        title="Courses",
        slug="courses",
        intro=INTRO,
    )
    if index is not None:
        page_permissions_grant(
            apps, group_name="Instructor", page_id=index.pk, codenames=PAGE_PERMISSIONS
        )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("core", "0002_home_page"),
        ("accounts", "0002_roles"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_course_index, migrations.RunPython.noop)]
