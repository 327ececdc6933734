"""Graded mock-exam attempts seeded through the real exam services, with the
answers each learner gave, so tests can compare the pages with the statistics
module on the same matrix."""

import pytest

from accounts.roles import Role
from exams.services import (
    attempt_grade,
    attempt_save_answer,
    attempt_start,
    attempt_submit,
)
from tests.exams.conftest import load_test_exams
from tests.support.accounts import make_user

# test-cpc's questions in their fixed order, with their keys.
QUESTIONS = ["t-em-1", "t-icd-1", "t-guide-1", "t-pretest-1"]
KEYS = {
    "t-em-1": {"b"},
    "t-icd-1": {"a"},
    "t-guide-1": {"a", "c"},
    "t-pretest-1": {"a"},
}
OPTIONS = ("a", "b", "c", "d")

# Ten learners' first attempts. t-icd-1 runs against the rest: three of the
# four strongest learners chose distractor b.
PLAN = [
    {"t-em-1": "b", "t-icd-1": "b", "t-guide-1": "ac", "t-pretest-1": "a"},
    {"t-em-1": "b", "t-icd-1": "b", "t-guide-1": "ac", "t-pretest-1": "a"},
    {"t-em-1": "b", "t-icd-1": "b", "t-guide-1": "ac", "t-pretest-1": "a"},
    {"t-em-1": "b", "t-icd-1": "a", "t-guide-1": "ab", "t-pretest-1": "c"},
    {"t-em-1": "a", "t-icd-1": "a", "t-guide-1": "ac", "t-pretest-1": "a"},
    {"t-em-1": "b", "t-icd-1": "a", "t-guide-1": "ac", "t-pretest-1": "b"},
    {"t-em-1": "a", "t-icd-1": "a", "t-guide-1": "bd", "t-pretest-1": "c"},
    {"t-em-1": "c", "t-icd-1": "c", "t-guide-1": "ab", "t-pretest-1": "c"},
    {"t-em-1": "c", "t-icd-1": "a", "t-guide-1": "cd", "t-pretest-1": "a"},
    {"t-em-1": "d", "t-icd-1": "d", "t-guide-1": "ad", "t-pretest-1": "d"},
]
# The first learner's second attempt, all right: counted only with every attempt.
RETAKE = {"t-em-1": "b", "t-icd-1": "a", "t-guide-1": "ac", "t-pretest-1": "a"}


def seconds_spent(learner_index: int, question_index: int) -> int:
    return 20 + 7 * learner_index + 3 * question_index


def take_exam(learner, blueprint, answers: dict, learner_index: int):
    """Start, answer, submit and grade an attempt through the exam services."""
    attempt = attempt_start(learner=learner, blueprint=blueprint)
    for item in attempt.items.select_related("question"):
        slug = item.question.slug
        attempt_save_answer(
            learner=learner,
            attempt_id=attempt.pk,
            position=item.position,
            response={"options": sorted(answers[slug])},
            time_spent_seconds=seconds_spent(learner_index, QUESTIONS.index(slug)),
        )
    attempt_submit(learner=learner, attempt_id=attempt.pk)
    return attempt_grade(attempt_id=attempt.pk)


@pytest.fixture
def cpc_exam(db):
    load_test_exams()
    from exams.models import Blueprint

    return Blueprint.objects.get(slug="test-cpc")


@pytest.fixture
def graded_exam(cpc_exam):
    """PLAN's first attempts and RETAKE, graded; returns the learners."""
    learners = [
        make_user(f"ia-learner-{index}@example.test", Role.LEARNER)
        for index in range(len(PLAN))
    ]
    for index, (learner, answers) in enumerate(zip(learners, PLAN, strict=True)):
        take_exam(learner, cpc_exam, answers, index)
    take_exam(learners[0], cpc_exam, RETAKE, 0)
    return learners


@pytest.fixture(scope="package")
def code_sets(django_db_setup, django_db_blocker):
    """The case studies tests' small code sets, committed for this package and
    removed after it."""
    from codesets.models import Release
    from tests.case_studies.conftest import load_small_code_sets

    with django_db_blocker.unblock():
        load_small_code_sets()
        yield
        Release.objects.filter(version="TEST").delete()


@pytest.fixture
def cases(code_sets, db):
    """The case studies tests' two cases, imported and published, by slug."""
    from case_studies.bundles import bundle_import
    from case_studies.models import CaseStudyPage
    from tests.case_studies.conftest import bundle

    bundle_import(bundle("outpatient.json"))
    bundle_import(bundle("inpatient.json"))
    return {page.slug: page for page in CaseStudyPage.objects.live()}


def submit_case(learner, case, response: dict):
    """Start and submit an attempt at `case` through the case studies services."""
    from case_studies import services

    attempt = services.attempt_start(learner=learner, case=case)
    return services.attempt_submit(attempt=attempt, response=response)
