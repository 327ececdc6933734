"""Predictions checked against real sittings: the prediction made just before a
full-length mock exam is recorded with the score obtained, and instructors see
how well such predictions came true."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from certifications.models import Certification
from courses.models import CourseInstructor
from courses.services import enrolment_create
from exams.factories import correct_response
from exams.models import Blueprint
from exams.services import (
    attempt_grade,
    attempt_save_answer,
    attempt_start,
    attempt_submit,
)
from grading.items import ItemRef
from grading.models import GradedResponse
from readiness.models import MockExamPrediction
from readiness.selectors import exam_items_for, exam_rule_for, item_floors
from readiness.services import learner_readiness_refresh
from tests.exams.conftest import load_test_exams
from tests.readiness.test_views import course  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def mock_exam(db):
    load_test_exams()
    return Blueprint.objects.get(slug="test-cpc")


def practise(learner, answer, days_ago=3):
    rows = answer(learner, 12) + answer(learner, 6, score=0.0, domain="cpc-anatomy")
    GradedResponse.objects.filter(pk__in=[r.pk for r in rows]).update(
        graded_at=timezone.now() - timedelta(days=days_ago)
    )
    return rows


def sit(learner, blueprint, *, correct=True, wrong_slugs=()):
    """Sit the exam answering every question right (or, with `correct` false, none),
    except the questions in `wrong_slugs`."""
    attempt = attempt_start(learner=learner, blueprint=blueprint)
    for item in attempt.items.select_related("question"):
        right = correct and item.question.slug not in wrong_slugs
        attempt_save_answer(
            learner=learner,
            attempt_id=attempt.pk,
            position=item.position,
            response=correct_response(item) if right else {"options": []},
        )
    attempt_submit(learner=learner, attempt_id=attempt.pk)
    return attempt_grade(attempt_id=attempt.pk)


def test_a_full_length_mock_exam_records_the_prediction_made_before_it(
    learner, answer, mock_exam, django_capture_on_commit_callbacks
):
    cpc = Certification.objects.get(slug="cpc")
    rows = practise(learner, answer)
    before = learner_readiness_refresh(learner=learner, certification=cpc)
    with django_capture_on_commit_callbacks(execute=True):
        attempt = sit(learner, mock_exam)
    record = MockExamPrediction.objects.get(learner=learner)
    assert record.attempt_id == attempt.pk
    assert record.responses == len(rows)
    assert record.score == attempt.percent and record.passed == attempt.passed
    # Made from the practice only, three days before the sitting: the same
    # centre as the day's snapshot, with an interval widened by the wait.
    assert record.predicted == pytest.approx(before.predicted, abs=0.5)
    assert record.high - record.low > before.high - before.low
    # Grading the same attempt again, or any later item signal, adds nothing.
    with django_capture_on_commit_callbacks(execute=True):
        attempt_grade(attempt_id=attempt.pk)
    assert MockExamPrediction.objects.count() == 1


def test_a_shorter_mock_or_a_learner_without_earlier_evidence_records_nothing(
    learner, other_learner, answer, mock_exam, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sit(other_learner, mock_exam)
    assert not MockExamPrediction.objects.exists()
    Blueprint.objects.create(
        slug="longer-cpc",
        name="A longer CPC mock",
        certification=mock_exam.certification,
        time_limit_seconds=mock_exam.time_limit_seconds + 60,
    )
    practise(learner, answer)
    with django_capture_on_commit_callbacks(execute=True):
        sit(learner, mock_exam)
    assert not MockExamPrediction.objects.exists()


@pytest.fixture
def recorded(
    learner, other_learner, answer, mock_exam, django_capture_on_commit_callbacks
):
    for person in (learner, other_learner):
        practise(person, answer)
        with django_capture_on_commit_callbacks(execute=True):
            sit(person, mock_exam, correct=person == learner)
    return MockExamPrediction.objects.order_by("learner_id")


def test_instructor_sees_calibration_of_their_own_learners(
    instructor_client,
    instructor,
    learner,
    recorded,
    course,  # noqa: F811
):
    url = reverse("readiness:calibration", args=["cpc"])
    assert "nothing to compare yet" in instructor_client.get(url).content.decode()
    CourseInstructor.objects.create(page=course, user=instructor)
    enrolment_create(learner=learner, course=course)
    html = instructor_client.get(url).content.decode()
    assert "Reliability" in html and "Expected calibration error" in html
    assert learner.email in html
    assert recorded.count() == 2
    assert recorded.exclude(learner=learner).get().learner.email not in html
    cohort = instructor_client.get(reverse("readiness:cohort", args=["cpc"]))
    assert url in cohort.content.decode()


def test_administrator_sees_every_recorded_mock_and_learners_see_none(
    administrator_client, client, learner, other_learner, recorded
):
    url = reverse("readiness:calibration", args=["cpc"])
    html = administrator_client.get(url).content.decode()
    assert learner.email in html and other_learner.email in html
    client.force_login(learner)
    assert client.get(url).status_code == 404


def test_exam_items_follow_the_full_length_blueprint(mock_exam):
    cpc = Certification.objects.get(slug="cpc")
    cpc_items = exam_items_for(cpc)
    assert cpc_items.choice_share == 1.0
    # Two single-answer items of four options and one "choose 2 of 4"; the
    # pretest item is not scored.
    assert cpc_items.floor == pytest.approx((0.25 + 0.25 + 1 / 6) / 3)
    ccs = exam_items_for(Certification.objects.get(slug="ccs"))
    assert ccs.choice_share == pytest.approx(0.5) and ccs.floor == 0.25


def test_guessing_floors_come_from_each_item(mock_exam):
    from exams.models import Question

    single = ItemRef.exam_question(Question.objects.get(slug="t-em-1").pk)
    coding = ItemRef.exam_question(Question.objects.get(slug="t-ccs-case-1").pk)
    case = ItemRef.case_study(7)
    missing_check = ItemRef.knowledge_check(999999, "missing")
    floors = item_floors({single, coding, case, missing_check})
    assert floors == {single: 0.25, coding: 0.0, case: 0.0, missing_check: 0.0}


def test_the_blueprints_passing_rule_scores_the_exam_and_the_prediction(
    learner, answer, mock_exam
):
    cpc = Certification.objects.get(slug="cpc")
    assert exam_rule_for(cpc) == (mock_exam.passing_rule, 3)
    practise(learner, answer)
    at_70 = learner_readiness_refresh(learner=learner, certification=cpc)
    Blueprint.objects.filter(pk=mock_exam.pk).update(passing_cut=60)
    at_60 = learner_readiness_refresh(learner=learner, certification=cpc)
    assert at_60.pass_probability > at_70.pass_probability
    assert at_60.predicted == pytest.approx(at_70.predicted)
    passed = sit(learner, mock_exam, wrong_slugs={"t-guide-1"})
    assert passed.percent == pytest.approx(66.67) and passed.passed
    Blueprint.objects.filter(pk=mock_exam.pk).update(passing_cut=70)
    assert not sit(learner, mock_exam, wrong_slugs={"t-guide-1"}).passed
