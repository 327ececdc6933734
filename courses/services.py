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


def checks_not_passed(progress: LessonProgress, lesson: LessonPage) -> list[str]:
    """The ids of the lesson's checks the learner has not answered correctly."""
    passed = set(
        progress.check_results.filter(passed=True).values_list("check_id", flat=True)
    )
    return [check_id for check_id in lesson.check_ids() if check_id not in passed]


@dataclass(frozen=True)
class LessonCompletion:
    completed: bool
    checks_not_passed: list[str]
    course: CourseProgress


@transaction.atomic
def lesson_complete(*, enrolment: Enrolment, lesson: LessonPage) -> LessonCompletion:
    """Mark a lesson complete (again is a no-op). A lesson with knowledge checks
    completes only once each has been answered correctly: until then nothing
    changes and `checks_not_passed` names them."""
    progress = _progress_for(enrolment, lesson)
    if progress.completed_at is None and (
        missing := checks_not_passed(progress, lesson)
    ):
        return LessonCompletion(False, missing, course_progress(enrolment=enrolment))
    summary = _complete(enrolment, progress, LessonProgress.CompletedBy.MARKED)
    return LessonCompletion(True, [], summary)


CHECK_PASSED = "You have answered this check correctly; its answer is shown below."


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
            "first_percentage": self.result.first_percentage,
            "correct_on": self.result.correct_on,
            "passed": self.result.passed,
            "lesson_completed": self.lesson_completed,
            "course_progress": self.course.as_dict(),
        }


@dataclass(frozen=True)
class _Graded:
    answer: dict  # as the learner gave it
    result: ChoiceResult | Result
    check: dict
    kind: str

    @property
    def correct(self) -> bool:
        if isinstance(self.result, ChoiceResult):
            return self.result.correct
        return self.result.points >= self.result.max_points > 0

    def feedback(self, *, revealed: bool) -> dict:
        """What the learner is shown; the key only once `revealed`."""
        if self.kind == "knowledge_check":
            return answers.choice_feedback(
                self.check,
                answers.ChoiceAnswer(chosen=tuple(self.answer["chosen"])),
                self.result,
                revealed=revealed,
            )
        return answers.code_feedback(self.result, revealed=revealed)


def _grade_choice(check, data: dict) -> _Graded:
    answer = answers.choice_answer_read(check, data.get("chosen") or [])
    graded = choice_answer_grade(
        correct_option_ids=[o["option_id"] for o in check["options"] if o["correct"]],
        chosen_option_ids=answer.chosen,
        policy_name=POLICY,
    )
    return _Graded(
        answer=answer.as_dict(), result=graded, check=check, kind="knowledge_check"
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
        answer=answer.as_dict(), result=graded, check=check, kind="code_entry_check"
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
    """Record a graded first try at one of the lesson's checks in the grading
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


def first_try_ref(*, enrolment_id: int, lesson_id: int, check_id: str) -> str:
    """The ledger's attempt reference of a check's first try; the trailing 1 is
    the try, kept from when every try was recorded."""
    return f"kc:{enrolment_id}:{lesson_id}:{check_id}:1"


@transaction.atomic
def knowledge_check_submit(
    *, enrolment: Enrolment, lesson: LessonPage, check_id: str, data: dict
) -> CheckOutcome:
    """Grade a try at one of the lesson's checks.

    The first try is the one that counts: it alone goes to the grading ledger
    (attempt `kc:<enrolment>:<lesson>:<check>:1`) and sets the check's recorded
    score. A wrong first try is told about its own answer only, without the key
    (`answers.choice_feedback` / `code_feedback`); the second try, or a right
    answer, reveals the answer and its explanation. After that the learner may
    answer again until right, which passes the check (it is what completes the
    lesson) without changing its score. Passing the last unpassed check
    completes the lesson. Raises `answers.AnswerError` for an answer that cannot
    be graded, or for a check already passed, storing nothing; the caller has
    checked that the check exists.
    """
    graded = check_answer_grade(lesson=lesson, check_id=check_id, data=data)
    # One submission at a time per enrolment, so two answers sent together are
    # never both taken as the first try.
    Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    progress = _progress_for(enrolment, lesson)
    check_result, _ = CheckResult.objects.select_for_update().get_or_create(
        progress=progress, check_id=check_id
    )
    if check_result.passed:
        raise answers.AnswerError(CHECK_PASSED)
    attempt = check_result.attempts + 1
    if attempt == 1:
        check_answer_record(
            learner=enrolment.learner,
            lesson=lesson,
            check_id=check_id,
            attempt_ref=first_try_ref(
                enrolment_id=enrolment.pk, lesson_id=lesson.pk, check_id=check_id
            ),
            graded=graded,
        )
        check_result.first_points = graded.result.points
    now = timezone.now()
    check_result.attempts = attempt
    check_result.max_points = graded.result.max_points
    if graded.correct:
        check_result.passed = True
        check_result.correct_on = attempt
    check_result.last_response = graded.answer
    check_result.last_feedback = graded.feedback(revealed=check_result.revealed)
    check_result.last_answered_at = now
    check_result.save()
    all_passed = not checks_not_passed(progress, lesson)
    if all_passed and progress.completed_at is None:
        summary = _complete(enrolment, progress, LessonProgress.CompletedBy.CHECKS)
    else:
        enrolment.last_activity_at = now
        enrolment.save(update_fields=["last_activity_at"])
        summary = course_progress(enrolment=enrolment)
    return CheckOutcome(
        feedback=check_result.last_feedback,
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
