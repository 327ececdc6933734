"""Reads of the learning side: outlines, progress, resume points, reports."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet

from accounts.roles import is_administrator
from courses.blocks import CHECK_BLOCK_TYPES
from courses.models import (
    CheckResult,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    LessonPage,
    LessonProgress,
    ModulePage,
)
from grading.items import ItemRef
from grading.visibility import Withholding

CHECK_NOT_REVEALED = (
    "This check's answer is shown once you answer it correctly or have used your tries."
)


@dataclass(frozen=True)
class CourseProgress:
    completed: int
    total: int

    @property
    def percentage(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0

    @property
    def done(self) -> bool:
        return self.total > 0 and self.completed >= self.total

    def as_dict(self) -> dict:
        return {
            "completed": self.completed,
            "total": self.total,
            "percentage": self.percentage,
        }


def course_progress(*, enrolment: Enrolment) -> CourseProgress:
    """Completed live lessons out of all live lessons of the course."""
    lessons = enrolment.course.lessons()
    completed = LessonProgress.objects.filter(
        enrolment=enrolment, lesson__in=lessons, completed_at__isnull=False
    ).count()
    return CourseProgress(completed=completed, total=lessons.count())


def enrolment_for(*, user, course: CoursePage) -> Enrolment | None:
    if not user.is_authenticated:
        return None
    return Enrolment.objects.filter(learner=user, course=course).first()


def enrolment_of(*, user, enrolment_id: int) -> Enrolment:
    """The user's own enrolment; raises `Enrolment.DoesNotExist` for anyone else's."""
    return Enrolment.objects.select_related("course", "last_lesson").get(
        pk=enrolment_id, learner=user, course__live=True
    )


def live_lesson(*, lesson_id: int) -> LessonPage:
    """Raises `LessonPage.DoesNotExist` unless the lesson is live."""
    return LessonPage.objects.live().get(pk=lesson_id)


@dataclass(frozen=True)
class CheckRow:
    """A check's result with its question, as progress pages list it."""

    question: str
    result: CheckResult


@dataclass
class LessonRow:
    lesson: LessonPage
    check_count: int
    progress: LessonProgress | None = None
    results: list[CheckRow] = field(default_factory=list)

    @property
    def completed(self) -> bool:
        return bool(self.progress and self.progress.completed_at)

    @property
    def checks_passed(self) -> int:
        return sum(1 for row in self.results if row.result.passed)


@dataclass
class ModuleRow:
    module: ModulePage
    lessons: list[LessonRow]


def course_outline(*, course: CoursePage, enrolment: Enrolment | None) -> list:
    """Modules with their lessons in order; with an enrolment, each lesson's
    completion and check results."""
    progress = {}
    if enrolment is not None:
        progress = {
            row.lesson_id: row
            for row in LessonProgress.objects.filter(
                enrolment=enrolment
            ).prefetch_related("check_results")
        }
    modules = [
        ModuleRow(module=module, lessons=[])
        for module in ModulePage.objects.live().child_of(course).order_by("path")
    ]
    by_path = {row.module.path: row for row in modules}
    for lesson in course.lessons():
        module = by_path.get(lesson.path[: -LessonPage.steplen])
        if module is None:
            continue
        lesson_progress = progress.get(lesson.pk)
        questions = lesson.check_questions()
        results = {
            result.check_id: result
            for result in (
                lesson_progress.check_results.all() if lesson_progress else []
            )
        }
        module.lessons.append(
            LessonRow(
                lesson=lesson,
                check_count=len(questions),
                progress=lesson_progress,
                results=[
                    CheckRow(question=question, result=results[check_id])
                    for check_id, question in questions.items()
                    if check_id in results
                ],
            )
        )
    return modules


def resume_lesson(*, enrolment: Enrolment) -> LessonPage | None:
    """Where to pick up: the last lesson opened if unfinished, else the next
    unfinished lesson after it, else the first unfinished one."""
    lessons = list(enrolment.course.lessons())
    done = set(
        LessonProgress.objects.filter(
            enrolment=enrolment, completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    )
    start = 0
    if enrolment.last_lesson_id:
        ids = [lesson.pk for lesson in lessons]
        if enrolment.last_lesson_id in ids:
            start = ids.index(enrolment.last_lesson_id)
    for lesson in lessons[start:] + lessons[:start]:
        if lesson.pk not in done:
            return lesson
    return None


def course_cards(*, index_page: CourseIndexPage, user) -> list[dict]:
    """Live courses under the index, with the user's enrolment and progress."""
    courses = (
        CoursePage.objects.live()
        .child_of(index_page)
        .select_related("certification")
        .order_by("path")
    )
    enrolments = {}
    if user.is_authenticated:
        enrolments = {
            enrolment.course_id: enrolment
            for enrolment in Enrolment.objects.filter(learner=user)
        }
    cards = []
    for course in courses:
        enrolment = enrolments.get(course.pk)
        cards.append(
            {
                "course": course,
                "enrolment": enrolment,
                "progress": course_progress(enrolment=enrolment) if enrolment else None,
            }
        )
    return cards


def lesson_context(*, lesson: LessonPage, user) -> dict:
    """What the lesson template needs: the course, the learner's enrolment and
    progress, the body with each check's last result, and neighbours."""
    course = lesson.course
    enrolment = enrolment_for(user=user, course=course) if course else None
    progress = None
    results = {}
    if enrolment is not None:
        progress = (
            LessonProgress.objects.filter(enrolment=enrolment, lesson=lesson)
            .prefetch_related("check_results")
            .first()
        )
        if progress is not None:
            results = {
                result.check_id: result for result in progress.check_results.all()
            }
    body_items = [
        {
            "block": child,
            "check_result": results.get(child.value["check_id"])
            if child.block_type in CHECK_BLOCK_TYPES
            else None,
        }
        for child in lesson.body
    ]
    lessons = list(course.lessons()) if course else [lesson]
    ids = [item.pk for item in lessons]
    position = ids.index(lesson.pk) if lesson.pk in ids else 0
    return {
        "course": course,
        "enrolment": enrolment,
        "lesson_progress": progress,
        "body_items": body_items,
        "previous_lesson": lessons[position - 1] if position > 0 else None,
        "next_lesson": lessons[position + 1] if position + 1 < len(lessons) else None,
        "course_progress": course_progress(enrolment=enrolment) if enrolment else None,
    }


def dashboard_courses(user) -> dict | None:
    """The dashboard panel: each enrolment's progress and resume point."""
    if not user.is_authenticated:
        return None
    enrolments = Enrolment.objects.filter(learner=user, course__live=True)
    rows = [
        {
            "enrolment": enrolment,
            "progress": course_progress(enrolment=enrolment),
        }
        for enrolment in enrolments.select_related("course")
    ]
    return {"enrolments": rows} if rows else None


def courses_reported_to(user) -> QuerySet[CoursePage]:
    """Courses whose reports `user` may read: those they instruct, or all for an
    administrator."""
    courses = CoursePage.objects.select_related("certification").order_by("path")
    if is_administrator(user):
        return courses
    return courses.filter(Q(instructors__user=user)).distinct()


def course_report(*, course: CoursePage) -> dict:
    """Per learner: progress and check results; per check: answers and pass rate."""
    total = course.lessons().count()
    enrolments = list(
        Enrolment.objects.filter(course=course)
        .select_related("learner")
        .order_by("learner__email")
    )
    completed = {
        row["enrolment_id"]: row["n"] for row in _completed_counts(course, enrolments)
    }
    results = list(
        CheckResult.objects.filter(progress__enrolment__course=course).select_related(
            "progress"
        )
    )
    learners = []
    for enrolment in enrolments:
        own = [r for r in results if r.progress.enrolment_id == enrolment.pk]
        learners.append(
            {
                "enrolment": enrolment,
                "progress": CourseProgress(
                    completed=completed.get(enrolment.pk, 0), total=total
                ),
                "checks_answered": len(own),
                "checks_passed": sum(1 for r in own if r.passed),
                "average": _average(own),
            }
        )
    checks = []
    for lesson in course.lessons():
        for check_id, question in lesson.check_questions().items():
            answered = [
                r
                for r in results
                if r.progress.lesson_id == lesson.pk and r.check_id == check_id
            ]
            checks.append(
                {
                    "lesson": lesson,
                    "check_id": check_id,
                    "question": question,
                    "answered": len(answered),
                    "passed": sum(1 for r in answered if r.passed),
                    "attempts": sum(r.attempts for r in answered),
                    "first_try_right": sum(1 for r in answered if r.correct_on == 1),
                    "average": _average(answered),
                }
            )
    return {
        "lesson_count": total,
        "learners": learners,
        "completed_count": sum(1 for row in learners if row["progress"].done),
        "checks": checks,
    }


def _completed_counts(course: CoursePage, enrolments: list[Enrolment]):
    return (
        LessonProgress.objects.filter(
            enrolment__in=enrolments,
            lesson__in=course.lessons(),
            completed_at__isnull=False,
        )
        .values("enrolment_id")
        .annotate(n=Count("id"))
    )


def _average(results: list[CheckResult]) -> float | None:
    if not results:
        return None
    return round(sum(r.first_percentage for r in results) / len(results), 1)


def lesson_progress_rows_for(*, learner_ids, lesson_ids) -> list[dict]:
    """Those learners' progress in those lessons, one dict per learner and lesson
    (one query): learner_id, lesson_id, first_viewed_at and completed_at."""
    return list(
        LessonProgress.objects.filter(
            enrolment__learner_id__in=learner_ids, lesson_id__in=lesson_ids
        )
        .order_by()
        .values(
            "lesson_id",
            "first_viewed_at",
            "completed_at",
            learner_id=F("enrolment__learner_id"),
        )
    )


def check_result_rows_for(*, learner_ids, lesson_ids) -> list[dict]:
    """Those learners' knowledge-check results in those lessons (one query):
    learner_id, lesson_id, check_id, points (the first try's: the score that
    counts), max_points and passed."""
    return list(
        CheckResult.objects.filter(
            progress__enrolment__learner_id__in=learner_ids,
            progress__lesson_id__in=lesson_ids,
        )
        .order_by()
        .values(
            "check_id",
            "max_points",
            "passed",
            points=F("first_points"),
            learner_id=F("progress__enrolment__learner_id"),
            lesson_id=F("progress__lesson_id"),
        )
    )


def lesson_checks_with_results(*, lesson: LessonPage, learner) -> dict:
    """The lesson's knowledge checks in order, each with its block value (the
    question as written) and the learner's `CheckResult` (None when unanswered),
    and the learner's progress in the lesson (None when never opened)."""
    progress = (
        LessonProgress.objects.filter(enrolment__learner=learner, lesson=lesson)
        .prefetch_related("check_results")
        .first()
    )
    results = (
        {result.check_id: result for result in progress.check_results.all()}
        if progress
        else {}
    )
    return {
        "progress": progress,
        "checks": [
            {
                "kind": kind,
                "check": check,
                "result": results.get(check_id),
            }
            for check_id, (kind, check) in lesson.checks().items()
        ],
    }


def knowledge_checks_withheld(learner) -> list[Withholding]:
    """The learner's knowledge-check ledger rows but those whose answer is
    revealed to them: a first try's stored result names the options or codes it
    missed, which is the key. A row with no check result to say so is withheld."""
    revealed = [
        ItemRef.knowledge_check(result.progress.lesson_id, result.check_id).item_id
        for result in CheckResult.objects.filter(
            progress__enrolment__learner=learner
        ).select_related("progress")
        if result.revealed
    ]
    return [Withholding(~Q(item_id__in=revealed), CHECK_NOT_REVEALED)]
