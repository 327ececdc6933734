"""A small sample course loaded through the real loader, and one ICD-10-CM chapter
for grading code-entry checks."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from courses.models import CoursePage, LessonPage

SAMPLE = Path(__file__).parent / "data" / "sample-course.json"
SAMPLE_SLUG = "sample-diabetes-coding"


def load_sample(*paths) -> str:
    out = StringIO()
    call_command("load_demo_courses", *(str(p) for p in paths or [SAMPLE]), stdout=out)
    return out.getvalue()


def lesson(slug: str) -> LessonPage:
    return LessonPage.objects.get(slug=slug)


@pytest.fixture
def course(db):
    load_sample()
    return CoursePage.objects.get(slug=SAMPLE_SLUG)


@pytest.fixture(scope="module")
def icd10cm_chapter_4(django_db_setup, django_db_blocker):
    """Endocrine codes (E00–E89) and the demo CPT and modifier lists, committed for
    the module and removed after it."""
    from codesets.models import Release

    with django_db_blocker.unblock():
        call_command(
            "load_codesets",
            only=["icd10cm", "cpt", "modifier"],
            icd10cm_chapter=["4"],
            stdout=StringIO(),
        )
        yield
        Release.objects.all().delete()
