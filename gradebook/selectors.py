"""The gradebook: each learner's grade on each assignment of a class, read from the
content apps' own records (case attempts and their ledger rows, lesson progress
and check results, exam attempts) through their selectors.

A whole class is read in a fixed number of queries, whatever its size: one per
kind of record, never one per learner or cell. The rules are written for
instructors in docs/instructors.md ("## Gradebook").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.roles import is_administrator
from case_studies import selectors as case_selectors
from cohorts.models import Assignment, Cohort, Membership
from courses import selectors as course_selectors
from exams import selectors as exam_selectors
from exams.models import Attempt

Kind = Assignment.Kind


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"
    LATE = "late", "Late"
    MISSING = "missing", "Missing"


# A grade in one of these states counts in averages; before the due date, work not
# yet handed in has no score.
FINAL = (Status.SUBMITTED, Status.LATE, Status.MISSING)


_BADGE_CLASSES = {
    Status.SUBMITTED: "badge--ok",
    Status.LATE: "badge--warn",
    Status.MISSING: "badge--bad",
}


@dataclass(frozen=True)
class Grade:
    """One learner on one assignment: the status, the percent that counts (None
    while there is none), and for exams pass/fail, for lessons completion."""

    status: Status
    percent: float | None = None
    passed: bool | None = None
    completed: bool | None = None
    detail: str = ""

    @property
    def status_label(self) -> str:
        return self.status.label

    @property
    def handed_in(self) -> bool:
        return self.status in (Status.SUBMITTED, Status.LATE)

    @property
    def score_text(self) -> str:
        """The percent to one decimal ("87.5%"), or "" without a score; worked
        out here rather than by a template filter in each of thousands of cells."""
        return percent_text(self.percent)

    @property
    def badge_class(self) -> str:
        return _BADGE_CLASSES.get(self.status, "")


@dataclass
class LearnerRow:
    learner: object
    grades: list[Grade]

    @property
    def overall(self) -> float | None:
        return _mean(grade.percent for grade in self.grades)

    @property
    def overall_text(self) -> str:
        return percent_text(self.overall)


@dataclass
class Gradebook:
    cohort: Cohort
    assignments: list[Assignment]
    rows: list[LearnerRow]
    computed_at: datetime
    averages: list[float | None] = field(default_factory=list)

    @property
    def average_texts(self) -> list[str]:
        return [percent_text(average) for average in self.averages]


def percent_text(percent: float | None) -> str:
    """A percent to one decimal ("87.5%"), or "" for none."""
    return "" if percent is None else f"{percent:.1f}%"


def cohorts_graded_by(user) -> models.QuerySet[Cohort]:
    """The classes whose gradebook `user` may read: those they teach, or every
    class for an administrator."""
    if is_administrator(user):
        return Cohort.objects.all()
    return Cohort.objects.filter(instructors=user)


def cohort_for(user, cohort_id: int) -> Cohort:
    """A class `user` may grade, or 404 (unknown or not theirs alike)."""
    return get_object_or_404(cohorts_graded_by(user), pk=cohort_id)


def learner_of(cohort: Cohort, learner_id: int):
    """A learner of the class, or 404."""
    membership = get_object_or_404(
        Membership.objects.select_related("learner"),
        cohort=cohort,
        learner_id=learner_id,
    )
    return membership.learner


def assignment_of(cohort: Cohort, assignment_id: int) -> Assignment:
    """An assignment of the class, or 404."""
    return get_object_or_404(
        Assignment.objects.select_related("lesson", "blueprint").prefetch_related(
            "cases"
        ),
        cohort=cohort,
        pk=assignment_id,
    )


def class_gradebook(cohort: Cohort, *, now: datetime | None = None) -> Gradebook:
    """Every learner of the class on every assignment, with each assignment's
    class average and each learner's overall."""
    now = now or timezone.now()
    learners = _class_learners(cohort)
    assignments = list(
        Assignment.objects.filter(cohort=cohort).select_related("lesson", "blueprint")
    )
    grades = assignment_grades(
        assignments, [learner.pk for learner in learners], now=now
    )
    rows = [
        LearnerRow(
            learner=learner,
            grades=[grades[assignment.pk, learner.pk] for assignment in assignments],
        )
        for learner in learners
    ]
    averages = [
        _mean(row.grades[index].percent for row in rows)
        for index in range(len(assignments))
    ]
    return Gradebook(cohort, assignments, rows, now, averages)


def assignment_gradebook(
    assignment: Assignment, *, now: datetime | None = None
) -> list[tuple[object, Grade]]:
    """Every learner of the assignment's class with their grade on it."""
    learners = _class_learners(assignment.cohort)
    grades = assignment_grades(
        [assignment], [learner.pk for learner in learners], now=now
    )
    return [(learner, grades[assignment.pk, learner.pk]) for learner in learners]


def learner_grade(
    learner, assignment: Assignment, *, now: datetime | None = None
) -> Grade:
    """One cell of the gradebook, by the same rules as the whole class."""
    return assignment_grades([assignment], [learner.pk], now=now)[
        assignment.pk, learner.pk
    ]


def assignment_grades(
    assignments, learner_ids, *, now: datetime | None = None
) -> dict[tuple[int, int], Grade]:
    """The Grade of each (assignment id, learner id), for any assignments (their
    lesson selected with select_related) and learners, in one query per kind of
    record: the one rule for where a learner stands on an assignment."""
    now = now or timezone.now()
    assignments = list(assignments)
    learner_ids = list(learner_ids)
    case_ids = _case_ids_by_assignment(assignments)
    records = _Records.read(learner_ids, assignments, case_ids)
    return {
        (assignment.pk, learner_id): records.grade(
            learner_id, assignment, case_ids[assignment.pk], now
        )
        for assignment in assignments
        for learner_id in learner_ids
    }


def _class_learners(cohort: Cohort) -> list:
    """The class's learners in name order."""
    memberships = Membership.objects.filter(cohort=cohort).select_related("learner")
    return sorted(
        (membership.learner for membership in memberships),
        key=lambda learner: str(learner).lower(),
    )


def _case_ids_by_assignment(assignments: list[Assignment]) -> dict[int, list[int]]:
    ids: dict[int, list[int]] = {assignment.pk: [] for assignment in assignments}
    links = Assignment.cases.through.objects.filter(assignment_id__in=ids).values_list(
        "assignment_id", "casestudypage_id"
    )
    for assignment_id, case_id in links.order_by("casestudypage_id"):
        ids[assignment_id].append(case_id)
    return ids


@dataclass
class _Records:
    """The class's records of every kind, indexed by learner and item."""

    case_attempts: dict = field(default_factory=lambda: defaultdict(list))
    exam_attempts: dict = field(default_factory=lambda: defaultdict(list))
    lesson_progress: dict = field(default_factory=dict)
    check_results: dict = field(default_factory=lambda: defaultdict(dict))
    lesson_check_ids: dict = field(default_factory=dict)

    @classmethod
    def read(cls, learner_ids, assignments, case_ids) -> _Records:
        records = cls()
        by_kind = defaultdict(list)
        for assignment in assignments:
            by_kind[assignment.kind].append(assignment)
        cased = by_kind[Kind.CASE] + by_kind[Kind.CASE_SET]
        if cased:
            for row in case_selectors.attempt_rows_for(
                learner_ids=learner_ids,
                case_ids={pk for a in cased for pk in case_ids[a.pk]},
                started_from=min(a.assigned_at for a in cased),
            ):
                records.case_attempts[row["learner_id"], row["case_id"]].append(row)
        if exams := by_kind[Kind.EXAM]:
            for row in exam_selectors.attempt_rows_for(
                learner_ids=learner_ids,
                blueprint_ids={a.blueprint_id for a in exams},
                started_from=min(a.assigned_at for a in exams),
            ):
                key = row["learner_id"], row["blueprint_id"]
                records.exam_attempts[key].append(row)
        if lessons := by_kind[Kind.LESSON]:
            lesson_ids = {a.lesson_id for a in lessons}
            records.lesson_check_ids = {
                a.lesson_id: a.lesson.check_ids() for a in lessons
            }
            for row in course_selectors.lesson_progress_rows_for(
                learner_ids=learner_ids, lesson_ids=lesson_ids
            ):
                records.lesson_progress[row["learner_id"], row["lesson_id"]] = row
            for row in course_selectors.check_result_rows_for(
                learner_ids=learner_ids, lesson_ids=lesson_ids
            ):
                key = row["learner_id"], row["lesson_id"]
                records.check_results[key][row["check_id"]] = row
        return records

    def grade(self, learner_id, assignment, case_ids, now) -> Grade:
        if assignment.kind == Kind.EXAM:
            return self._exam(learner_id, assignment, now)
        if assignment.kind == Kind.LESSON:
            return self._lesson(learner_id, assignment, now)
        if assignment.kind == Kind.CASE_SET:
            return self._case_set(learner_id, assignment, case_ids, now)
        return self._case(learner_id, assignment, case_ids, now)

    def _case_work(self, learner_id, assignment, case_id) -> _CaseWork:
        attempts = [
            row
            for row in self.case_attempts[learner_id, case_id]
            if row["started_at"] >= assignment.assigned_at
        ]
        submitted = [row for row in attempts if row["submitted_at"] is not None]
        return _CaseWork(
            started=bool(attempts),
            first_submitted_at=min(
                (r["submitted_at"] for r in submitted), default=None
            ),
            best=max((_percent(r) for r in submitted), default=None),
        )

    def _case(self, learner_id, assignment, case_ids, now) -> Grade:
        works = [self._case_work(learner_id, assignment, pk) for pk in case_ids]
        work = works[0] if works else _CaseWork(False, None, None)
        status = _status(work.started, work.first_submitted_at, assignment, now)
        return Grade(status, _final_percent(status, work.best))

    def _case_set(self, learner_id, assignment, case_ids, now) -> Grade:
        works = [self._case_work(learner_id, assignment, pk) for pk in case_ids]
        done = [work for work in works if work.first_submitted_at is not None]
        detail = f"{len(done)} of {len(works)} cases"
        started = any(work.started for work in works)
        if works and len(done) == len(works):
            last = max(work.first_submitted_at for work in done)
            status = _status(started, last, assignment, now)
            return Grade(status, _mean(work.best for work in works), detail=detail)
        if now <= assignment.due_at or not works:
            return Grade(_status(started, None, assignment, now), detail=detail)
        # Past the due date a case not submitted counts 0, and a set with a case
        # missing is missing work, however many of its cases came in.
        scores = [work.best if work.first_submitted_at else 0.0 for work in works]
        return Grade(Status.MISSING, _mean(scores), detail=detail)

    def _exam(self, learner_id, assignment, now) -> Grade:
        attempts = [
            row
            for row in self.exam_attempts[learner_id, assignment.blueprint_id]
            if row["started_at"] >= assignment.assigned_at
        ]
        finished = [r for r in attempts if r["status"] != Attempt.Status.IN_PROGRESS]
        first = min((r["finished_at"] for r in finished), default=None)
        status = _status(bool(attempts), first, assignment, now)
        graded = [r for r in finished if r["status"] == Attempt.Status.GRADED]
        if not graded:
            detail = "Grading" if finished else ""
            return Grade(status, _final_percent(status, None), detail=detail)
        best = max(graded, key=lambda row: row["percent"])
        detail = "Passed" if best["passed"] else "Not passed"
        return Grade(status, best["percent"], passed=best["passed"], detail=detail)

    def _lesson(self, learner_id, assignment, now) -> Grade:
        key = learner_id, assignment.lesson_id
        progress = self.lesson_progress.get(key)
        results = self.check_results.get(key, {})
        check_ids = self.lesson_check_ids[assignment.lesson_id]
        completed_at = progress["completed_at"] if progress else None
        # A lesson is completed once and for all, so it is not held to the
        # assignment's start: a lesson finished before it was set is done.
        status = _status(bool(progress or results), completed_at, assignment, now)
        passed = sum(1 for pk in check_ids if results.get(pk, {}).get("passed"))
        detail = "Completed" if completed_at else "Not completed"
        if check_ids:
            detail += f", {passed} of {len(check_ids)} checks passed"
            score = _mean(
                _percent(results[pk]) if pk in results else 0.0 for pk in check_ids
            )
        else:
            score = 100.0 if completed_at else 0.0
        return Grade(
            status,
            score if status in FINAL else None,
            completed=completed_at is not None,
            detail=detail,
        )


@dataclass(frozen=True)
class _CaseWork:
    started: bool
    first_submitted_at: datetime | None
    best: float | None


def _status(started: bool, first_submitted_at, assignment, now) -> Status:
    if first_submitted_at is not None:
        late = first_submitted_at > assignment.due_at
        return Status.LATE if late else Status.SUBMITTED
    if now > assignment.due_at:
        return Status.MISSING
    return Status.IN_PROGRESS if started else Status.NOT_STARTED


def _final_percent(status: Status, best: float | None) -> float | None:
    """Missing work scores 0; anything else scores its best, if any."""
    return 0.0 if status == Status.MISSING else best


def _percent(row: dict) -> float:
    """A case attempt's or a check's points as a percent of its maximum."""
    max_points = row["max_points"]
    return 100 * (row["points"] or 0.0) / max_points if max_points else 0.0


def _mean(values) -> float | None:
    """The mean of the values that are not None, or None when there are none
    (plain floats: statistics.mean's exact fractions cost a big class dearly)."""
    present = [value for value in values if value is not None]
    return sum(present) / len(present) if present else None


def assignment_work(assignment: Assignment, learner, *, viewer) -> dict:
    """What the learner handed in for the assignment, as the drill-down shows
    it: case attempts with the engine's feedback, exam attempts item by item, or
    the lesson's knowledge checks with the learner's results."""
    if assignment.kind == Kind.EXAM:
        return {
            "exam_attempts": exam_selectors.attempts_reviewed_by_staff(
                learner=learner,
                blueprint=assignment.blueprint,
                started_from=assignment.assigned_at,
            )
        }
    if assignment.kind == Kind.LESSON:
        return course_selectors.lesson_checks_with_results(
            lesson=assignment.lesson, learner=learner
        )
    return {
        "case_attempts": case_selectors.submitted_attempts_with_feedback(
            learner=learner,
            case_ids=[case.pk for case in assignment.cases.all()],
            started_from=assignment.assigned_at,
            viewer=viewer,
        )
    }
