"""A class taught by the `instructor` fixture, the content it is assigned (the
case studies, course and mock exams the content apps' tests load), and helpers
that leave real records: case attempts submitted and graded, exam attempts
graded, knowledge checks answered, all through the content apps' services."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.roles import Role
from case_studies import services as case_services
from case_studies.models import CaseAttempt, CaseStudyPage
from cohorts.models import Assignment, Cohort, Membership
from courses import services as course_services
from courses.models import CoursePage, LessonPage
from exams import services as exam_services
from exams.factories import correct_response
from exams.models import Attempt, Blueprint
from tests.case_studies.conftest import bundle, load_small_code_sets
from tests.courses.conftest import load_sample
from tests.exams.conftest import load_test_exams
from tests.support.accounts import log_in_with_two_factor, make_user

OFFICE = "test-office-diabetes"
INPATIENT = "test-inpatient-dka"
EXAM = "test-cpc"
LESSON = "diabetes-categories"

# The office case's key, and a near miss: E11.9 for E11.65 (the key's common
# error, partial credit) and 99213 for 99214.
OFFICE_RIGHT = {
    "diagnoses": [{"code": "E11.65"}, {"code": "E78.5"}],
    "service_lines": [
        {"code": "99214", "modifiers": [], "units": 1, "pointers": [1, 2]}
    ],
}
OFFICE_NEAR_MISS = {
    "diagnoses": [{"code": "E11.9"}, {"code": "E78.5"}],
    "service_lines": [
        {"code": "99213", "modifiers": ["25"], "units": 2, "pointers": [2, 1]}
    ],
}
INPATIENT_RIGHT = {
    "diagnoses": [{"code": "E10.10"}, {"code": "E87.6"}],
    "procedures": [{"code": "0DTJ4ZZ"}],
}


@pytest.fixture
def content(db):
    """The test cases, the sample course and the test exams, loaded for real."""
    from case_studies.bundles import bundle_import

    load_small_code_sets()
    bundle_import(bundle("outpatient.json"))
    bundle_import(bundle("inpatient.json"))
    load_sample()
    load_test_exams()
    return {
        "office": CaseStudyPage.objects.get(slug=OFFICE),
        "inpatient": CaseStudyPage.objects.get(slug=INPATIENT),
        "exam": Blueprint.objects.get(slug=EXAM),
        "lesson": LessonPage.objects.get(slug=LESSON),
    }


@pytest.fixture
def cohort(instructor):
    cohort = Cohort.objects.create(name="CPC Spring = evening")
    cohort.instructors.add(instructor)
    return cohort


@pytest.fixture
def other_instructor(db):
    return make_user("other.instructor@example.test", Role.INSTRUCTOR)


@pytest.fixture
def other_instructor_client(other_instructor):
    return log_in_with_two_factor(Client(), other_instructor)


def member(cohort, email: str, name: str = ""):
    learner = make_user(email, Role.LEARNER)
    if name:
        learner.display_name = name
        learner.save(update_fields=["display_name"])
    Membership.objects.create(cohort=cohort, learner=learner)
    return learner


def assign(cohort, kind, *, title, due, set_before=timedelta(days=3), **target):
    """An assignment set `set_before` ago and due `due` from now (negative: past)."""
    now = timezone.now()
    cases = target.pop("cases", [])
    assignment = Assignment.objects.create(
        cohort=cohort,
        kind=kind,
        title=title,
        assigned_at=now - set_before,
        due_at=now + due,
        **target,
    )
    assignment.cases.set(cases)
    return assignment


def case_submitted(learner, case, response, *, at=None) -> CaseAttempt:
    """An attempt started and submitted through the practice services; `at`
    moves both times back (a submission made before now)."""
    attempt = case_services.attempt_start(learner=learner, case=case)
    attempt = case_services.attempt_submit(attempt=attempt, response=response)
    if at is not None:
        CaseAttempt.objects.filter(pk=attempt.pk).update(
            started_at=at - timedelta(minutes=5), submitted_at=at
        )
        attempt.refresh_from_db()
    return attempt


def exam_graded(learner, blueprint, *, right: bool, seconds: int = 40) -> Attempt:
    """An attempt answered (every item right, or none answered), submitted and
    graded through the exam services."""
    attempt = exam_services.attempt_start(learner=learner, blueprint=blueprint)
    if right:
        for item in attempt.items.select_related("question"):
            exam_services.attempt_save_answer(
                learner=learner,
                attempt_id=attempt.pk,
                position=item.position,
                response=correct_response(item),
                time_spent_seconds=seconds,
            )
    exam_services.attempt_submit(learner=learner, attempt_id=attempt.pk)
    return exam_services.attempt_grade(attempt_id=attempt.pk)


def check_answered(learner, lesson, chosen: list[str]):
    course = CoursePage.objects.ancestor_of(lesson).get()
    enrolment = course_services.enrolment_create(learner=learner, course=course)
    return course_services.knowledge_check_submit(
        enrolment=enrolment, lesson=lesson, check_id="type2", data={"chosen": chosen}
    )
