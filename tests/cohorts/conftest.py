"""A class taught by the `instructor` fixture, a second instructor who does not
teach it, and the cases, lesson and mock exams the content apps' tests load."""

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts.roles import Role
from cohorts.services import cohort_create
from courses.models import LessonPage
from exams.models import Blueprint
from tests.case_studies.conftest import bundle, load_small_code_sets
from tests.support.accounts import log_in_with_two_factor, make_user

TESTS = Path(__file__).parent.parent


@pytest.fixture
def cohort(instructor):
    return cohort_create(
        name="CPC spring", description="Evening cohort.", creator=instructor
    )


@pytest.fixture
def other_instructor(db):
    return make_user("other.instructor@example.test", Role.INSTRUCTOR)


@pytest.fixture
def other_instructor_client(other_instructor):
    return log_in_with_two_factor(Client(), other_instructor)


@pytest.fixture
def cases(db):
    from case_studies.bundles import bundle_import
    from case_studies.models import CaseStudyPage

    load_small_code_sets()
    bundle_import(bundle("outpatient.json"))
    bundle_import(bundle("inpatient.json"))
    return {page.slug: page for page in CaseStudyPage.objects.live()}


@pytest.fixture
def lesson(db) -> LessonPage:
    call_command(
        "load_demo_courses",
        str(TESTS / "courses" / "data" / "sample-course.json"),
        stdout=StringIO(),
    )
    return LessonPage.objects.live().order_by("path").first()


@pytest.fixture
def blueprints(db) -> dict[str, Blueprint]:
    call_command("load_demo_exams", path=TESTS / "exams" / "data", stdout=StringIO())
    return {blueprint.slug: blueprint for blueprint in Blueprint.objects.all()}


def due_in(**delta) -> str:
    """A due date as the form's datetime-local field sends it."""
    return timezone.localtime(timezone.now() + timedelta(**delta)).strftime(
        "%Y-%m-%dT%H:%M"
    )
