"""The exam services' time and idempotence rules, through the service layer."""

from datetime import timedelta

import pytest
from django.utils import timezone

from exams.errors import (
    ATTEMPT_CLOSED,
    ATTEMPT_NOT_FOUND,
    NO_ATTEMPTS_LEFT,
    RESPONSE_TOO_LARGE,
    STALE_SAVE,
    TOO_MANY_OPTIONS,
    AttemptClosed,
    ExamError,
    ExamNotFound,
)
from exams.factories import correct_response
from exams.models import Attempt, AttemptItem
from exams.services import (
    accommodation_grant,
    attempt_finalise,
    attempt_flag,
    attempt_grade,
    attempt_save_answer,
    attempt_start,
    attempt_submit,
    attempts_finalise_expired,
)
from grading.models import GradedResponse
from tests.exams.conftest import load_test_exams


def _expire(attempt, seconds_ago=120):
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - timedelta(seconds=seconds_ago)
    )
    attempt.refresh_from_db()


def _answer_all_correctly(learner, attempt):
    for item in attempt.items.all():
        attempt_save_answer(
            learner=learner,
            attempt_id=attempt.pk,
            position=item.position,
            response=correct_response(item),
        )


def test_start_stores_deadline_and_resumes(learner, cpc):
    attempt = attempt_start(learner=learner, blueprint=cpc)
    assert attempt.deadline == attempt.started_at + timedelta(minutes=30)
    assert attempt.items.count() == 4
    assert attempt_start(learner=learner, blueprint=cpc).pk == attempt.pk


def test_load_is_idempotent(exams):
    from exams.models import Question, QuestionOption

    before = (Question.objects.count(), QuestionOption.objects.count())
    assert "6 questions and 3 blueprints" in load_test_exams()
    assert (Question.objects.count(), QuestionOption.objects.count()) == before
    assert "<script>" not in Question.objects.get(slug="t-em-1").stem


def test_save_updates_in_place(learner, cpc):
    attempt = attempt_start(learner=learner, blueprint=cpc)
    for choice in ("a", "b"):
        attempt_save_answer(
            learner=learner,
            attempt_id=attempt.pk,
            position=1,
            response={"options": [choice]},
        )
    item = AttemptItem.objects.get(attempt=attempt, position=1)
    assert item.response == {"options": ["b"]}
    assert AttemptItem.objects.filter(attempt=attempt).count() == 4


def test_stale_sequence_is_refused(learner, cpc):
    attempt = attempt_start(learner=learner, blueprint=cpc)
    save = dict(learner=learner, attempt_id=attempt.pk, position=1)
    attempt_save_answer(**save, response={"options": ["b"]}, sequence=5)
    with pytest.raises(ExamError, match=STALE_SAVE):
        attempt_save_answer(**save, response={"options": ["a"]}, sequence=4)
    assert AttemptItem.objects.get(attempt=attempt, position=1).response == {
        "options": ["b"]
    }


@pytest.mark.parametrize(
    ("position", "response", "message"),
    [
        (1, {"options": ["z"]}, "Unknown option id: z."),
        (1, {"options": ["a", "b"]}, TOO_MANY_OPTIONS.format(count=1)),
        (3, {"options": ["a", "b", "c"]}, TOO_MANY_OPTIONS.format(count=2)),
        (1, {"options": ["a"] * 5000}, RESPONSE_TOO_LARGE),
        (1, {"choice": "a"}, "does not fit"),
    ],
)
def test_bad_answers_store_nothing(learner, cpc, position, response, message):
    attempt = attempt_start(learner=learner, blueprint=cpc)
    attempt_save_answer(
        learner=learner, attempt_id=attempt.pk, position=1, response={"options": ["d"]}
    )
    with pytest.raises(ExamError) as error:
        attempt_save_answer(
            learner=learner, attempt_id=attempt.pk, position=position, response=response
        )
    assert message in error.value.message
    assert AttemptItem.objects.get(attempt=attempt, position=1).response == {
        "options": ["d"]
    }


def test_others_attempt_is_not_found(learner, other_learner, cpc):
    attempt = attempt_start(learner=learner, blueprint=cpc)
    with pytest.raises(ExamNotFound, match=ATTEMPT_NOT_FOUND):
        attempt_save_answer(
            learner=other_learner,
            attempt_id=attempt.pk,
            position=1,
            response={"options": ["a"]},
        )


def test_save_within_grace_is_accepted_and_after_is_refused(learner, cpc, settings):
    settings.EXAMS_SAVE_GRACE_SECONDS = 30
    attempt = attempt_start(learner=learner, blueprint=cpc)
    _expire(attempt, seconds_ago=10)
    save = dict(learner=learner, attempt_id=attempt.pk, position=1)
    attempt_save_answer(**save, response={"options": ["a"]})
    _expire(attempt, seconds_ago=31)
    with pytest.raises(AttemptClosed, match=ATTEMPT_CLOSED):
        attempt_save_answer(**save, response={"options": ["b"]})
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED
    assert attempt.finished_at == attempt.deadline
    item = AttemptItem.objects.get(attempt=attempt, position=1)
    assert item.response == {"options": ["a"]}


def test_finalise_happens_once(learner, cpc, django_capture_on_commit_callbacks):
    attempt = attempt_start(learner=learner, blueprint=cpc)
    with django_capture_on_commit_callbacks() as callbacks:
        results = [
            attempt_finalise(attempt=attempt, submitted_by="learner") for _ in range(3)
        ]
    assert results == [True, False, False]
    assert len(callbacks) == 1
    attempt.refresh_from_db()
    assert attempt.finished_at <= timezone.now()
    assert attempt.submitted_by == "learner"


def test_submit_is_idempotent_and_closes_saves(learner, cpc):
    attempt = attempt_start(learner=learner, blueprint=cpc)
    first = attempt_submit(learner=learner, attempt_id=attempt.pk)
    second = attempt_submit(learner=learner, attempt_id=attempt.pk)
    assert first.finished_at == second.finished_at
    with pytest.raises(AttemptClosed):
        attempt_flag(learner=learner, attempt_id=attempt.pk, position=1, flagged=True)


def test_sweep_finalises_with_deadline_as_finish(learner, other_learner, cpc):
    abandoned = attempt_start(learner=learner, blueprint=cpc)
    running = attempt_start(learner=other_learner, blueprint=cpc)
    _expire(abandoned, seconds_ago=3600)
    assert attempts_finalise_expired() == 1
    abandoned.refresh_from_db()
    running.refresh_from_db()
    assert abandoned.status == Attempt.Status.SUBMITTED
    assert abandoned.finished_at == abandoned.deadline
    assert abandoned.submitted_by == "sweep"
    assert running.status == Attempt.Status.IN_PROGRESS
    assert attempts_finalise_expired() == 0


def test_grading_scores_records_ledger_and_is_idempotent(learner, cpc):
    attempt = attempt_start(learner=learner, blueprint=cpc)
    _answer_all_correctly(learner, attempt)
    # One wrong answer out of three scored; the pretest item does not count.
    attempt_save_answer(
        learner=learner, attempt_id=attempt.pk, position=3, response={"options": []}
    )
    attempt_submit(learner=learner, attempt_id=attempt.pk)
    graded = attempt_grade(attempt_id=attempt.pk)
    assert graded.status == Attempt.Status.GRADED
    assert (graded.points, graded.max_points) == (2, 3)
    assert graded.passed is False
    domains = {row["slug"]: row for row in graded.domain_breakdown}
    assert domains["cpc-coding-guidelines"]["points"] == 0
    assert domains["cpc-evaluation-management"]["percent"] == 100
    assert "cpc-anatomy" not in domains
    ledger = GradedResponse.objects.filter(source="exam_item", learner=learner)
    assert ledger.count() == 4
    assert attempt_grade(attempt_id=attempt.pk).graded_at == graded.graded_at
    assert ledger.count() == 4


def test_attempts_allowed_and_extra_attempt(learner, cpc, instructor):
    for _ in range(2):
        attempt = attempt_start(learner=learner, blueprint=cpc)
        attempt_submit(learner=learner, attempt_id=attempt.pk)
    with pytest.raises(ExamError, match=NO_ATTEMPTS_LEFT):
        attempt_start(learner=learner, blueprint=cpc)
    accommodation_grant(
        learner=learner, blueprint=None, extra_attempts=1, granted_by=instructor
    )
    assert attempt_start(learner=learner, blueprint=cpc).number == 3


def test_extra_time_moves_a_running_deadline(learner, cpc):
    attempt = attempt_start(learner=learner, blueprint=cpc)
    accommodation_grant(learner=learner, blueprint=cpc, time_multiplier=1.5)
    attempt.refresh_from_db()
    assert attempt.deadline == attempt.started_at + timedelta(minutes=45)
    accommodation_grant(learner=learner, blueprint=None, extra_minutes=10)
    attempt.refresh_from_db()
    assert attempt.deadline == attempt.started_at + timedelta(minutes=55)


def test_expired_attempt_is_finalised_on_start(learner, cpc):
    attempt = attempt_start(learner=learner, blueprint=cpc)
    _expire(attempt)
    fresh = attempt_start(learner=learner, blueprint=cpc)
    assert fresh.pk != attempt.pk
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED
