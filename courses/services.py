"""Writes of the learning side: enrol, visit, complete, answer a knowledge check."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from courses import answers
from courses.models import (
    CheckResult,
    CourseInstructor,
    CoursePage,
    Enrolment,
    LessonPage,
    LessonProgress,
)
from courses.selectors import CourseProgress, course_progress
from grading.engine import ChoiceResult, Result
from grading.items import ItemRef
from grading.models import GradedResponse
from grading.services import (
    GradingInputError,
    choice_answer_grade,
    coding_answer_grade,
    graded_response_record,
)

POLICY = "practice"


@transaction.atomic
def enrolment_create(*, learner, course: CoursePage) -> Enrolment:
    """Enrol `learner` in `course`; enrolling again returns the same enrolment."""
    enrolment, _ = Enrolment.objects.get_or_create(learner=learner, course=course)
    return enrolment


def _progress_for(enrolment: Enrolment, lesson: LessonPage) -> LessonProgress:
    progress, _ = LessonProgress.objects.get_or_create(
        enrolment=enrolment, lesson=lesson
    )
    return progress


@transaction.atomic
def lesson_visit(*, user, lesson: LessonPage) -> None:
    """Remember the lesson as the place to resume, if `user` takes its course."""
    if not user.is_authenticated:
        return
    enrolment = Enrolment.objects.filter(
        learner=user, course__in=CoursePage.objects.ancestor_of(lesson)
    ).first()
    if enrolment is None:
        return
    _progress_for(enrolment, lesson)
    enrolment.last_lesson = lesson
    enrolment.last_activity_at = timezone.now()
    enrolment.save(update_fields=["last_lesson", "last_activity_at"])


def _complete(
    enrolment: Enrolment, progress: LessonProgress, by: str
) -> CourseProgress:
    now = timezone.now()
    if progress.completed_at is None:
        progress.completed_at = now
        progress.completed_by = by
        progress.save(update_fields=["completed_at", "completed_by"])
    summary = course_progress(enrolment=enrolment)
    enrolment.last_activity_at = now
    enrolment.completed_at = (enrolment.completed_at or now) if summary.done else None
    enrolment.save(update_fields=["last_activity_at", "completed_at"])
    return summary


@transaction.atomic
def lesson_complete(*, enrolment: Enrolment, lesson: LessonPage) -> CourseProgress:
    """Mark a lesson complete (again is a no-op); returns the course's progress."""
    progress = _progress_for(enrolment, lesson)
    return _complete(enrolment, progress, LessonProgress.CompletedBy.MARKED)


@dataclass(frozen=True)
class CheckOutcome:
    feedback: dict
    result: CheckResult
    lesson_completed: bool
    course: CourseProgress

    def as_dict(self) -> dict:
        return {
            **self.feedback,
            "check_id": self.result.check_id,
            "attempts": self.result.attempts,
            "passed": self.result.passed,
            "best_percentage": self.result.best_percentage,
            "lesson_completed": self.lesson_completed,
            "course_progress": self.course.as_dict(),
        }


@dataclass(frozen=True)
class _Graded:
    answer: dict  # as the learner gave it
    feedback: dict
    result: ChoiceResult | Result


def _grade_choice(check, data: dict) -> _Graded:
    answer = answers.choice_answer_read(check, data.get("chosen") or [])
    graded = choice_answer_grade(
        correct_option_ids=[o["option_id"] for o in check["options"] if o["correct"]],
        chosen_option_ids=answer.chosen,
        policy_name=POLICY,
    )
    return _Graded(
        answer=answer.as_dict(),
        feedback=answers.choice_feedback(check, answer, graded),
        result=graded,
    )


def _grade_codes(check, data: dict) -> _Graded:
    answer = answers.code_answer_read(check, data)
    try:
        graded = coding_answer_grade(
            key_data=check["key"], response_data=answer.response, policy_name=POLICY
        )
    except GradingInputError as error:
        raise answers.AnswerError(
            "; ".join(message for _, message in error.errors)
        ) from None
    return _Graded(
        answer=answer.as_dict(),
        feedback=answers.code_feedback(graded),
        result=graded,
    )


def check_answer_grade(*, lesson: LessonPage, check_id: str, data: dict) -> _Graded:
    """Grade an answer (as submitted, or as the ledger stored it) to one of the
    lesson's checks against its live key; raises `answers.AnswerError` for an
    answer that cannot be graded."""
    kind, check = lesson.checks()[check_id]
    grade = _grade_choice if kind == "knowledge_check" else _grade_codes
    return grade(check, data)


def check_answer_record(
    *,
    learner,
    lesson: LessonPage,
    check_id: str,
    attempt_ref: str,
    graded: _Graded,
    regraded_by=None,
    regrade_reason: str = "",
) -> GradedResponse:
    """Record a graded answer to one of the lesson's checks in the grading
    ledger: a submission, or a regrade after the key changed (which names who
    regraded it and why)."""
    return graded_response_record(
        learner=learner,
        source=GradedResponse.Source.KNOWLEDGE_CHECK,
        item=ItemRef.knowledge_check(lesson.pk, check_id),
        attempt_ref=attempt_ref,
        graded=graded.result,
        response=graded.answer,
        domains=lesson.domains.all(),
        difficulty=lesson.difficulty,
        item_title=f"{lesson.title} ({check_id})",
        key_revision=str(lesson.latest_revision_id or ""),
        regraded_by=regraded_by,
        regrade_reason=regrade_reason,
    )


@transaction.atomic
def knowledge_check_submit(
    *, enrolment: Enrolment, lesson: LessonPage, check_id: str, data: dict
) -> CheckOutcome:
    """Grade an answer to one of the lesson's checks and record it.

    Every submission is a new attempt: a new row in the grading ledger (attempt
    `kc:<enrolment>:<lesson>:<check>:<n>`), so readiness sees every response. The
    check's best score and last answer are kept for the outline; passing the last
    unpassed check completes the lesson. Raises `answers.AnswerError` for an
    answer that cannot be graded, storing nothing; the caller has checked that
    the check exists.
    """
    graded = check_answer_grade(lesson=lesson, check_id=check_id, data=data)
    # One submission at a time per enrolment, so two answers sent together never
    # take the same attempt number (the ledger would count them as one).
    Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    progress = _progress_for(enrolment, lesson)
    check_result, _ = CheckResult.objects.select_for_update().get_or_create(
        progress=progress, check_id=check_id
    )
    attempt = check_result.attempts + 1
    check_answer_record(
        learner=enrolment.learner,
        lesson=lesson,
        check_id=check_id,
        attempt_ref=f"kc:{enrolment.pk}:{lesson.pk}:{check_id}:{attempt}",
        graded=graded,
    )
    now = timezone.now()
    check_result.attempts = attempt
    check_result.max_points = graded.result.max_points
    check_result.best_points = max(check_result.best_points, graded.result.points)
    check_result.passed = check_result.passed or graded.feedback["correct"]
    check_result.last_response = graded.answer
    check_result.last_feedback = graded.feedback
    check_result.last_answered_at = now
    check_result.save()
    passed = set(progress.check_results.filter(passed=True).values_list("check_id"))
    all_passed = all((check_id,) in passed for check_id in lesson.checks())
    if all_passed and progress.completed_at is None:
        summary = _complete(enrolment, progress, LessonProgress.CompletedBy.CHECKS)
    else:
        enrolment.last_activity_at = now
        enrolment.save(update_fields=["last_activity_at"])
        summary = course_progress(enrolment=enrolment)
    return CheckOutcome(
        feedback=graded.feedback,
        result=check_result,
        lesson_completed=progress.completed_at is not None,
        course=summary,
    )


@transaction.atomic
def course_instructor_add(*, course: CoursePage, user, actor=None) -> bool:
    """List `user` among the course's instructors; False if already listed. The
    listing is published as a revision by `actor` (the command line's authority,
    as an import is), since the admin's edit form starts from the latest
    revision and would drop a row added beside it."""
    if course.instructors.filter(user=user).exists():
        return False
    course.instructors.add(CourseInstructor(user=user))
    course.save_revision(user=actor, log_action=True).publish(
        user=actor, skip_permission_checks=True
    )
    return True
