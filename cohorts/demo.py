"""The demo class: "CPC evening cohort — demo", taught by the demo instructor, with
the demo learners and simulated classmates, and weeks of history made through the
real services, so that the gradebook, item analysis, the dispute queue and the
learners at risk all have something to show on a first `make run`.

Each simulated learner has an ability (the chance of answering right) drawn from
a random generator seeded with their address, and each assignment's outcome
(on time, late or missing) follows from their number, so that every status shows
up even in a small class. A few learners went quiet after the first assignment.

The services record everything as happening now; the demo then moves the times of
the rows it made back to when the simulated work was done (attempts, ledger rows,
lesson progress, memberships). A learner's work is simulated when they join the
class, so a second run changes nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.roles import Role
from accounts.services import user_ensure
from case_studies.models import CaseAttempt
from case_studies.selectors import published_cases
from certifications.models import Certification
from cohorts.models import Assignment, Cohort, Membership
from cohorts.services import assignment_create, cohort_create, cohort_join
from courses.answers import key_typed
from courses.models import CheckResult, CoursePage, Enrolment, LessonProgress
from exams.models import Attempt, AttemptItem, Blueprint
from exams.selectors import ledger_ref_prefix
from grading.models import GradedResponse
from readiness.demo import case_response

COHORT_NAME = "CPC evening cohort — demo"
COHORT_DESCRIPTION = (
    "Tuesday and Thursday evenings, preparing for the CPC exam. A demo class: its "
    "learners and their work are simulated."
)
DEMO_INSTRUCTOR = "instructor@demo.coderacademy.test"
CO_INSTRUCTOR = "reviewer@demo.coderacademy.test"
DEMO_LEARNERS = {
    "learner@demo.coderacademy.test": 0.8,
    "learner2@demo.coderacademy.test": 0.6,
}
DEMO_EXAM = "cpc-full-mock"
CLASS_SIZE = 20
SEED = 2016
ABILITY_RANGE = (0.35, 0.95)
# Learners whose number is a multiple of this stopped after the first assignment.
INACTIVE_EVERY = 7
CLASS_NAMES = (
    "Avery Brooks",
    "Blake Chen",
    "Carmen Diaz",
    "Devon Ellis",
    "Emery Foster",
    "Farah Gupta",
    "Gale Harper",
    "Hollis Ito",
    "Indira Jones",
    "Jules Kim",
    "Kai Lopez",
    "Lena Morales",
    "Milo Nakamura",
    "Nia Okafor",
    "Omar Patel",
    "Priya Quinn",
    "Reese Santos",
    "Sol Taylor",
    "Tariq Usman",
    "Uma Vance",
)
CASE_SET_SIZE = 3
DISPUTE_REASON = (
    "My answer matches the documentation; I think the key is too strict on this line."
)
DISPUTE_CITATION = "ICD-10-CM Official Guidelines, Section I.A"
REJECTION = (
    "The key stands: the documentation supports the key's code, and the guideline "
    "you cite does not change that. See the line's rationale in the feedback."
)


class Outcome:
    ON_TIME = "on time"
    LATE = "late"
    MISSING = "missing"


@dataclass(frozen=True)
class Work:
    """An assignment of the demo class, its times in days from when it is made."""

    kind: str
    assigned_days: int
    due_days: int
    # Learners whose (number + offset) % 10 is in `missing` or `late` miss the
    # assignment or hand it in late; the offset spreads them over learners.
    offset: int
    missing: tuple[int, ...] = (0,)
    late: tuple[int, ...] = (1,)


WORKS = (
    Work(Assignment.Kind.CASE_SET, assigned_days=-35, due_days=-21, offset=3),
    Work(Assignment.Kind.CASE, assigned_days=-21, due_days=-10, offset=6),
    Work(
        Assignment.Kind.EXAM, assigned_days=-14, due_days=-2, offset=0, missing=(0, 5)
    ),
    # Due next week: nobody is late yet; those in `missing` have not started.
    Work(
        Assignment.Kind.LESSON,
        assigned_days=-7,
        due_days=7,
        offset=8,
        missing=(0, 4, 7),
        late=(),
    ),
)
CLASS_STARTED_DAYS = -40


@dataclass(frozen=True)
class Learner:
    user: object
    number: int  # 0 for the demo learners, who do all their work on time
    ability: float

    @property
    def inactive(self) -> bool:
        return self.number > 0 and self.number % INACTIVE_EVERY == 0

    def outcome(self, work: Work, first: bool) -> str:
        if self.inactive:
            return Outcome.ON_TIME if first else Outcome.MISSING
        if self.number == 0:
            return Outcome.ON_TIME
        slot = (self.number + work.offset) % 10
        if slot in work.missing:
            return Outcome.MISSING
        return Outcome.LATE if slot in work.late else Outcome.ON_TIME


@dataclass(frozen=True)
class Summary:
    learners: int
    case_attempts: int
    exam_attempts: int
    lessons: int
    disputes: int


def class_learner_email(number: int) -> str:
    return f"class{number:02d}@demo.coderacademy.test"


def _ability(email: str) -> float:
    return round(random.Random(f"{SEED}:{email}").uniform(*ABILITY_RANGE), 2)


def _user(email: str):
    return get_user_model().objects.get(email=email)


@transaction.atomic
def load_demo_class(*, size: int = CLASS_SIZE, exam_slug: str = DEMO_EXAM) -> Summary:
    """Make the demo class and its history (see the module's docstring). Needs the
    demo accounts, published cases, a live lesson with knowledge checks in a
    course of the exam's certification, and the exam `exam_slug`. A learner's
    work is simulated when they join the class, so a second run adds nothing."""
    now = timezone.now()
    blueprint = Blueprint.objects.get(slug=exam_slug)
    cohort, created = _cohort(now)
    learners = _new_members(cohort, size, now)
    assignments = _assignments(cohort, blueprint, now) if created else _existing(cohort)
    rng = random.Random(SEED)
    made = {"case_attempts": 0, "exam_attempts": 0, "lessons": 0}
    responses: set[int] = set()
    for learner in learners:
        for work, assignment in zip(WORKS, assignments, strict=True):
            outcome = learner.outcome(work, first=work is WORKS[0])
            if outcome == Outcome.MISSING:
                continue
            moment = _moment(assignment, outcome, now, rng)
            if work.kind == Assignment.Kind.EXAM:
                _sit_exam(learner, assignment, moment, rng, responses)
                made["exam_attempts"] += 1
            elif work.kind == Assignment.Kind.LESSON:
                _study_lesson(learner, assignment, moment, rng, responses)
                made["lessons"] += 1
            else:
                made["case_attempts"] += _submit_cases(
                    learner, assignment, moment, rng, responses
                )
    disputes = _disputes(assignments)
    if responses:
        _reports_refresh(blueprint, learners, responses)
    return Summary(cohort.memberships.count(), disputes=disputes, **made)


def _cohort(now: datetime) -> tuple[Cohort, bool]:
    instructor = _user(DEMO_INSTRUCTOR)
    cohort = Cohort.objects.filter(name=COHORT_NAME, instructors=instructor).first()
    if cohort is not None:
        return cohort, False
    cohort = cohort_create(
        name=COHORT_NAME, description=COHORT_DESCRIPTION, creator=instructor
    )
    cohort.instructors.add(_user(CO_INSTRUCTOR))
    started = now + timedelta(days=CLASS_STARTED_DAYS)
    Cohort.objects.filter(pk=cohort.pk).update(created_at=started)
    return cohort, True


def _new_members(cohort: Cohort, size: int, now: datetime) -> list[Learner]:
    """Of the demo learners and `size` simulated ones, those who join the class
    now, dated from when it started (a new simulated account too)."""
    started = now + timedelta(days=CLASS_STARTED_DAYS)
    learners = [
        Learner(_user(email), 0, ability) for email, ability in DEMO_LEARNERS.items()
    ]
    for number, name in enumerate(CLASS_NAMES[:size], start=1):
        email = class_learner_email(number)
        user, created = user_ensure(
            email=email, password=DEMO_PASSWORD, role=Role.LEARNER, display_name=name
        )
        if created:
            get_user_model().objects.filter(pk=user.pk).update(date_joined=started)
        learners.append(Learner(user, number, _ability(email)))
    members = set(cohort.memberships.values_list("learner", flat=True))
    joining = [learner for learner in learners if learner.user.pk not in members]
    for learner in joining:
        membership = cohort_join(cohort=cohort, learner=learner.user)
        Membership.objects.filter(pk=membership.pk).update(joined_at=started)
    return joining


def _assignments(cohort: Cohort, blueprint: Blueprint, now: datetime) -> list:
    """The class's four assignments: a set of cases and a single case of the
    exam's certification (those first), a lesson of its course, and the exam."""
    certification = blueprint.certification
    cases = sorted(
        published_cases(),
        key=lambda case: all(
            domain.certification_id != certification.pk for domain in case.domains.all()
        ),
    )
    set_size = min(CASE_SET_SIZE, len(cases) - 1)
    lesson = next(
        lesson
        for course in CoursePage.objects.live()
        .filter(certification=certification)
        .order_by("path")
        for lesson in course.lessons()
        if any(kind == "knowledge_check" for kind, _ in lesson.checks().values())
    )
    targets = {
        Assignment.Kind.CASE_SET: {
            "title": "Case set: outpatient coding",
            "cases": cases[:set_size],
            "instructions": "Code all three cases before Tuesday's class.",
        },
        Assignment.Kind.CASE: {
            "title": f"Case: {cases[set_size].title}",
            "cases": [cases[set_size]],
            "instructions": "We go through this case line by line in class.",
        },
        Assignment.Kind.EXAM: {
            "title": blueprint.name,
            "blueprint": blueprint,
            "instructions": "Sit it in one go, timed, as on exam day.",
        },
        Assignment.Kind.LESSON: {
            "title": f"Lesson: {lesson.title}",
            "lesson": lesson,
            "instructions": "Read the lesson and answer its checks.",
        },
    }
    assignments = []
    instructor = _user(DEMO_INSTRUCTOR)
    for work in WORKS:
        # Made due tomorrow, then dated back: a new assignment cannot be due in the
        # past.
        assignment = assignment_create(
            cohort=cohort,
            created_by=instructor,
            kind=work.kind,
            due_at=now + timedelta(days=1),
            **targets[work.kind],
        )
        Assignment.objects.filter(pk=assignment.pk).update(
            assigned_at=now + timedelta(days=work.assigned_days),
            due_at=now + timedelta(days=work.due_days),
        )
        assignment.refresh_from_db()
        assignments.append(assignment)
    return assignments


def _existing(cohort: Cohort) -> list[Assignment]:
    by_kind = {assignment.kind: assignment for assignment in cohort.assignments.all()}
    return [by_kind[work.kind] for work in WORKS]


def _moment(assignment: Assignment, outcome: str, now: datetime, rng) -> datetime:
    """When the work was handed in: between the assignment's start and its due
    date, or up to four days after it, never later than an hour ago."""
    latest = now - timedelta(hours=1)
    if outcome == Outcome.LATE:
        start = assignment.due_at + timedelta(hours=2)
        end = min(assignment.due_at + timedelta(days=4), latest)
    else:
        span = assignment.due_at - assignment.assigned_at
        start = assignment.assigned_at + span / 5
        end = min(assignment.due_at - timedelta(hours=1), latest)
    return start + (end - start) * rng.random()


def _started_since(queryset, assignment: Assignment):
    return queryset.filter(started_at__gte=assignment.assigned_at)


def _submit_cases(learner, assignment, moment, rng, responses) -> int:
    from case_studies.services import attempt_start, attempt_submit

    cases = list(assignment.cases.order_by("-title"))
    for offset, case in enumerate(cases):
        response = case_response(
            case.key_data, weak=rng.random() > learner.ability, rng=rng
        )
        attempt = attempt_submit(
            attempt=attempt_start(learner=learner.user, case=case), response=response
        )
        submitted = moment - timedelta(hours=offset * 3)
        time_spent = rng.randint(8, 40) * 60
        CaseAttempt.objects.filter(pk=attempt.pk).update(
            started_at=submitted - timedelta(seconds=time_spent),
            submitted_at=submitted,
            time_spent=time_spent,
        )
        GradedResponse.objects.filter(pk=attempt.graded_response_id).update(
            graded_at=submitted, time_spent=time_spent
        )
        responses.add(attempt.graded_response_id)
    return len(cases)


def _choice_answer(item: AttemptItem, ability: float, rng) -> dict:
    """Right with probability `ability`, else one right option swapped for a
    distractor (or a distractor alone)."""
    options = list(item.question.options.all())
    right = [option.option_id for option in options if option.correct]
    wrong = [option.option_id for option in options if not option.correct]
    if rng.random() < ability or not wrong:
        return {"options": right}
    return {"options": right[1:] + [rng.choice(wrong)]}


def _sit_exam(learner, assignment, moment, rng, responses) -> None:
    from exams.services import attempt_grade, attempt_save_answer, attempt_start
    from exams.services import attempt_submit as exam_submit

    attempt = attempt_start(learner=learner.user, blueprint=assignment.blueprint)
    items = list(
        attempt.items.select_related("question")
        .prefetch_related("question__options")
        .order_by("position")
    )
    spent = []
    for item in items:
        if item.question.is_choice:
            answer = _choice_answer(item, learner.ability, rng)
        else:
            weak = rng.random() > learner.ability
            answer = case_response(item.question.key, weak=weak, rng=rng)
        spent.append(rng.randint(30, 180))
        attempt_save_answer(
            learner=learner.user,
            attempt_id=attempt.pk,
            position=item.position,
            response=answer,
            time_spent_seconds=spent[-1],
        )
    exam_submit(learner=learner.user, attempt_id=attempt.pk)
    attempt_grade(attempt_id=attempt.pk)
    _exam_back_to(attempt, items, spent, moment)
    responses.update(
        GradedResponse.objects.filter(
            attempt_ref__startswith=ledger_ref_prefix(attempt.pk)
        ).values_list("pk", flat=True)
    )


def _exam_back_to(attempt: Attempt, items, spent: list[int], finished: datetime):
    """Date the attempt as sat in one go, finishing at `finished`."""
    started = finished - timedelta(seconds=sum(spent))
    limit = attempt.deadline - attempt.started_at
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=started,
        deadline=started + limit,
        finished_at=finished,
        graded_at=finished + timedelta(minutes=1),
    )
    saved = started
    for item, seconds in zip(items, spent, strict=True):
        saved += timedelta(seconds=seconds)
        item.saved_at = saved
    AttemptItem.objects.bulk_update(items, ["saved_at"])
    GradedResponse.objects.filter(
        attempt_ref__startswith=ledger_ref_prefix(attempt.pk)
    ).update(graded_at=finished + timedelta(minutes=1))


def _check_tries(kind: str, check: dict, *, right_first: bool, finish: bool):
    """The answers a learner gives a check: right at once, or wrong and then,
    if they finish the lesson, right on the next try. A code-entry check is
    answered with its key (the demo has no plausible wrong codes to give)."""
    if kind != "knowledge_check":
        return [key_typed(check["key"])]
    right = [o["option_id"] for o in check["options"] if o["correct"]]
    wrong = [o["option_id"] for o in check["options"] if not o["correct"]]
    if check["kind"] == "single":
        right = right[:1]
    if right_first or not wrong:
        return [{"chosen": right}]
    return [{"chosen": wrong[:1]}] + ([{"chosen": right}] if finish else [])


def _study_lesson(learner, assignment, moment, rng, responses) -> None:
    """Answer the lesson's knowledge checks, right at once with probability
    `ability`, and, unless the learner is still at it, until each is passed and
    the lesson complete, as the courses' services allow it: a lesson is complete
    when every check is passed."""
    from courses.services import (
        enrolment_create,
        knowledge_check_submit,
        lesson_complete,
    )

    lesson = assignment.lesson
    enrolment = enrolment_create(learner=learner.user, course=lesson.course)
    before = set(
        GradedResponse.objects.filter(learner=learner.user).values_list("pk", flat=True)
    )
    still_reading = learner.number % 3 == 2
    # The demo learner studied some of these lessons before joining the class
    # (readiness's demo); a check already passed takes no more answers.
    passed = set(
        CheckResult.objects.filter(
            progress__enrolment=enrolment, progress__lesson=lesson, passed=True
        ).values_list("check_id", flat=True)
    )
    for check_id, (kind, check) in lesson.checks().items():
        if check_id in passed:
            continue
        right_first = kind != "knowledge_check" or rng.random() < learner.ability
        for data in _check_tries(
            kind, check, right_first=right_first, finish=not still_reading
        ):
            knowledge_check_submit(
                enrolment=enrolment, lesson=lesson, check_id=check_id, data=data
            )
    if not still_reading:
        lesson_complete(enrolment=enrolment, lesson=lesson)
    new = set(
        GradedResponse.objects.filter(learner=learner.user).values_list("pk", flat=True)
    )
    GradedResponse.objects.filter(pk__in=new - before).update(graded_at=moment)
    responses.update(new - before)
    progress = LessonProgress.objects.filter(enrolment=enrolment, lesson=lesson)
    progress.update(first_viewed_at=moment - timedelta(minutes=25))
    progress.filter(completed_at__isnull=False).update(completed_at=moment)
    CheckResult.objects.filter(progress__in=progress).update(last_answered_at=moment)
    Enrolment.objects.filter(pk=enrolment.pk).update(last_activity_at=moment)
    Enrolment.objects.filter(pk=enrolment.pk, enrolled_at__gt=moment).update(
        enrolled_at=moment - timedelta(minutes=30)
    )


def _disputes(assignments: list[Assignment]) -> int:
    """The first demo learner disputes a line of their single case's feedback
    (rejected, so they have a notification) and an exam question they missed
    (left open in the queue)."""
    from disputes.lines import WHOLE_ITEM, disputed_line, line_id
    from disputes.models import Dispute
    from disputes.services import dispute_open, dispute_reject

    learner = _user(next(iter(DEMO_LEARNERS)))
    by_kind = {assignment.kind: assignment for assignment in assignments}
    if Dispute.objects.filter(learner=learner).exists():
        return 0
    case_attempt = (
        _started_since(
            CaseAttempt.objects.filter(
                learner=learner, case__in=by_kind[Assignment.Kind.CASE].cases.all()
            ),
            by_kind[Assignment.Kind.CASE],
        )
        .select_related("graded_response")
        .first()
    )
    exam_attempt = _started_since(
        Attempt.objects.filter(
            learner=learner, blueprint=by_kind[Assignment.Kind.EXAM].blueprint
        ),
        by_kind[Assignment.Kind.EXAM],
    ).first()
    if case_attempt is None or exam_attempt is None:
        return 0
    case_row = case_attempt.graded_response
    lines = case_row.result["lines"]
    line = next((li for li in lines if li["status"] != "exact"), lines[0])
    rejected = dispute_open(
        learner=learner,
        graded_response=case_row,
        line=disputed_line(case_row, line_id(line)),
        reason=DISPUTE_REASON,
        citation=DISPUTE_CITATION,
    )
    dispute_reject(
        dispute=rejected, ruled_by=_user(DEMO_INSTRUCTOR), explanation=REJECTION
    )
    exam_rows = GradedResponse.objects.filter(
        attempt_ref__startswith=ledger_ref_prefix(exam_attempt.pk)
    ).order_by("points", "pk")
    missed = exam_rows.first()
    dispute_open(
        learner=learner,
        graded_response=missed,
        line=disputed_line(missed, WHOLE_ITEM),
        reason=DISPUTE_REASON,
        citation=DISPUTE_CITATION,
    )
    return 2


def _reports_refresh(blueprint: Blueprint, learners: list[Learner], responses):
    """Recompute what the new (back-dated) history feeds: readiness history,
    item difficulties and, once committed, the item analysis of the exam and the
    cases (after the grading's receivers have marked them stale)."""
    from item_analysis.selectors import CASES_SCOPE, exam_scope
    from item_analysis.services import snapshot_recompute
    from readiness.services import items_recalibrate, readiness_history_rebuild

    items_recalibrate()
    touched = set(
        GradedResponse.objects.filter(pk__in=responses).values_list(
            "learner", flat=True
        )
    )
    for learner in learners:
        if learner.user.pk not in touched:
            continue
        for certification in Certification.objects.filter(
            domains__graded_responses__learner=learner.user
        ).distinct():
            readiness_history_rebuild(learner=learner.user, certification=certification)
    for scope in (exam_scope(blueprint.slug), CASES_SCOPE):
        transaction.on_commit(lambda scope=scope: snapshot_recompute(scope=scope))
