"""Readiness reads: a learner's readiness per certification, next steps, and
what instructors may see."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Max, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.roles import is_administrator
from certifications.models import Certification, Domain
from exams.passing import PassingRule
from grading.items import ItemRef, ItemType
from grading.models import GradedResponse
from readiness.learner_sources import learner_ids_for
from readiness.model.exam import (
    DOMAIN_SD_TARGET,
    EXAM_ITEMS,
    ITEMS_NEEDED_CAP,
    ExamItems,
    answers_to_begin,
)
from readiness.model.irt import Gaussian, guessing_floor
from readiness.model.learner import Population
from readiness.models import DomainAbility, PopulationCalibration, ReadinessSnapshot

# Without a published full-length mock exam, its items are taken as four-option
# multiple choice: the CPC's 100 items are (AAPC, CPC exam; docs/readiness.md),
# and so are most of the CCS's and CCA's (AHIMA candidate handbooks).
DEFAULT_EXAM_ITEMS = ExamItems(choice_share=1.0, floor=guessing_floor(4))
MASTERED_PERCENT = 80.0
JUST_DONE = timedelta(days=1)
NEXT_STEP_DOMAINS = 3
NEXT_STEP_ITEMS = 2
READY_PROBABILITY = 0.8
MOCK_RECORDS_SHOWN = 50
AT_RISK_PROBABILITY = 0.5


def full_length_blueprint(certification: Certification):
    """The certification's longest mock exam offered to learners, or None."""
    from exams.models import Blueprint

    return (
        Blueprint.objects.offered()
        .filter(certification=certification)
        .order_by("-time_limit_seconds", "pk")
        .first()
    )


def exam_rule_for(certification: Certification) -> tuple[PassingRule, int]:
    """The passing rule and number of scored questions of the certification's
    longest published mock exam (the full-length one), as its blueprint sets
    them; without one, the default rule (70% correct) and 100 items."""
    blueprint = full_length_blueprint(certification)
    if blueprint is None:
        return PassingRule(), EXAM_ITEMS
    return blueprint.passing_rule, blueprint.scored_question_count() or EXAM_ITEMS


def population() -> Population:
    """The learners' trend and choice priors from the latest recalibration, or
    the model's defaults before the first."""
    latest = PopulationCalibration.objects.order_by("-calibrated_at", "-pk").first()
    if latest is None:
        return Population()
    return Population(
        trend=Gaussian(latest.trend_mean, latest.trend_sd),
        choice=Gaussian(latest.choice_mean, latest.choice_sd),
    )


def _question_floors(questions) -> list[float]:
    from exams.models import QuestionKind

    return [
        0.0
        if q["kind"] == QuestionKind.CODING
        else guessing_floor(
            q["option_count"], q["choose"] if q["kind"] == QuestionKind.MULTIPLE else 1
        )
        for q in questions
    ]


def exam_items_for(certification: Certification) -> ExamItems:
    """What the certification's exam items are (the share that is multiple choice
    and their guessing floor), from its full-length mock exam's scored questions:
    a fixed exam's own, a random one's bank in its domains."""
    from exams.selectors import question_pool

    blueprint = full_length_blueprint(certification)
    if blueprint is None:
        return DEFAULT_EXAM_ITEMS
    questions = question_pool(blueprint)
    floors = _question_floors(
        questions.filter(pretest=False)
        .annotate(option_count=Count("options"))
        .values("kind", "choose", "option_count")
    )
    if not floors:
        return DEFAULT_EXAM_ITEMS
    choice = [floor for floor in floors if floor > 0]
    return ExamItems(
        choice_share=len(choice) / len(floors),
        floor=sum(choice) / len(choice) if choice else 0.0,
    )


def item_floors(items: Iterable[ItemRef]) -> dict[ItemRef, float]:
    """The guessing floor of each item: exam questions and lessons'
    multiple-choice checks by their options; coding items (cases, coding
    questions and checks) and anything unknown have none."""
    from courses.models import LessonPage
    from exams.models import Question

    floors = {item: 0.0 for item in items}
    questions = list(
        Question.objects.filter(pk__in=_object_pks(floors, ItemType.EXAM_QUESTION))
        .annotate(option_count=Count("options"))
        .values("pk", "kind", "choose", "option_count")
    )
    for question, floor in zip(questions, _question_floors(questions), strict=True):
        floors[ItemRef.exam_question(question["pk"])] = floor
    lessons = LessonPage.objects.filter(
        pk__in=_object_pks(floors, ItemType.KNOWLEDGE_CHECK)
    ).in_bulk()
    for item in floors:
        lesson = lessons.get(item.object_pk)
        if item.item_type != ItemType.KNOWLEDGE_CHECK or lesson is None:
            continue
        kind, check = lesson.checks().get(item.part, ("", None))
        if kind == "knowledge_check":
            floors[item] = guessing_floor(
                len(check["options"]), any_number=check["kind"] == "multiple"
            )
    return floors


def _object_pks(items: Iterable[ItemRef], item_type: ItemType) -> set[int]:
    """The primary keys of the objects holding the items of `item_type`."""
    return {
        item.object_pk
        for item in items
        if item.item_type == item_type and item.object_pk is not None
    }


@dataclass(frozen=True)
class DomainRow:
    domain: Domain
    ability: DomainAbility | None

    @property
    def thin(self) -> bool:
        return self.ability is None or self.ability.sd > DOMAIN_SD_TARGET


@dataclass(frozen=True)
class Evidence:
    """How far a learner's graded answers for a certification go. An estimate
    begins at `begin` answers (`answers_to_begin`: before, the page says how many
    more answers it needs, not what the model would extrapolate), and is firm
    once the model needs no more items (`to_firm`, at most ITEMS_NEEDED_CAP).
    Only a firm estimate may call a learner ready; see docs/readiness.md."""

    answers: int
    begin: int
    domains: int
    to_firm: int
    cap: int = ITEMS_NEEDED_CAP

    @property
    def to_begin(self) -> int:
        return max(0, self.begin - self.answers)

    @property
    def estimating(self) -> bool:
        return self.to_begin == 0

    @property
    def firm(self) -> bool:
        return self.estimating and self.to_firm == 0

    @property
    def beyond_cap(self) -> bool:
        return self.to_firm >= self.cap


def evidence_of(snapshot: ReadinessSnapshot, domains: int) -> Evidence:
    """The evidence behind a snapshot, for an exam of `domains` domains."""
    return Evidence(
        answers=snapshot.responses,
        begin=answers_to_begin(domains),
        domains=domains,
        to_firm=snapshot.items_needed,
    )


def certifications_for(learner) -> list[Certification]:
    """Certifications the learner has readiness for, most recent evidence first."""
    latest = (
        ReadinessSnapshot.objects.filter(learner=learner)
        .values("certification")
        .annotate(last=Max("day"))
        .order_by("-last")
    )
    order = [row["certification"] for row in latest]
    by_id = Certification.objects.in_bulk(order)
    return [by_id[pk] for pk in order]


def certification_by_slug(slug: str) -> Certification:
    return get_object_or_404(Certification, slug=slug)


def readiness_for(learner, certification: Certification) -> dict:
    """Everything the readiness page shows for one learner and certification;
    `current` is None when the learner has no evidence yet, and `history` holds
    only the days from which there was an estimate."""
    snapshots = list(
        ReadinessSnapshot.objects.filter(learner=learner, certification=certification)
    )
    abilities = {
        a.domain_id: a
        for a in DomainAbility.objects.filter(
            learner=learner, domain__certification=certification
        )
    }
    domains = [
        DomainRow(domain, abilities.get(domain.pk))
        for domain in certification.domains.all()
    ]
    rule, items = exam_rule_for(certification)
    current = snapshots[-1] if snapshots else None
    begin = answers_to_begin(len(domains))
    return {
        "certification": certification,
        "current": current,
        "evidence": evidence_of(current, len(domains)) if current else None,
        "begin": begin,
        "history": [s for s in snapshots if s.responses >= begin],
        "domains": domains,
        "rule": rule,
        "exam_items": items,
        "next_steps": next_steps_for(learner, domains) if current else [],
        "starting_points": starting_points(certification) if not current else {},
        "exams": mock_exams_for(certification),
    }


def _priority(row: DomainRow) -> float:
    expected = row.ability.expected if row.ability else 50.0
    return float(row.domain.weight) * (100.0 - expected)


def _done_recently(learner, item_type: ItemType) -> tuple[set[ItemRef], set[ItemRef]]:
    """Items of `item_type` the learner mastered (best at least MASTERED_PERCENT)
    and items they answered in the last day."""
    rows = GradedResponse.objects.filter(learner=learner, item_type=item_type).values(
        "item_id", "points", "max_points", "graded_at"
    )
    recent_from = timezone.now() - JUST_DONE
    mastered, recent = set(), set()
    for row in rows:
        item = ItemRef.from_ledger(item_type, row["item_id"])
        if row["max_points"] and 100 * row["points"] / row["max_points"] >= (
            MASTERED_PERCENT
        ):
            mastered.add(item)
        if row["graded_at"] >= recent_from:
            recent.add(item)
    return mastered, recent


def next_steps_for(learner, domains: list[DomainRow]) -> list[dict]:
    """The weakest high-weight domains (weight × shortfall), each with published
    cases and lessons in it that the learner has neither mastered nor just done,
    and the mock exams to sit."""
    from case_studies.selectors import published_cases
    from courses.models import LessonPage

    weak = sorted(
        (row for row in domains if row.thin or row.ability.expected < MASTERED_PERCENT),
        key=_priority,
        reverse=True,
    )[:NEXT_STEP_DOMAINS]
    mastered_cases, recent_cases = _done_recently(learner, ItemType.CASE_STUDY)
    mastered_checks, recent_checks = _done_recently(learner, ItemType.KNOWLEDGE_CHECK)
    skip_cases = _object_pks(mastered_cases | recent_cases, ItemType.CASE_STUDY)
    skip_lessons = _object_pks(recent_checks, ItemType.KNOWLEDGE_CHECK)
    mastered_lessons = _object_pks(mastered_checks, ItemType.KNOWLEDGE_CHECK)
    steps = []
    for row in weak:
        cases = (
            published_cases()
            .filter(domains=row.domain)
            .exclude(pk__in=skip_cases)
            .order_by("difficulty", "title")[:NEXT_STEP_ITEMS]
        )
        lessons = (
            LessonPage.objects.live()
            .public()
            .filter(domains=row.domain)
            .exclude(pk__in=skip_lessons)
            .order_by("path")
        )
        fresh = [lesson for lesson in lessons if lesson.pk not in mastered_lessons]
        steps.append(
            {
                "row": row,
                "cases": list(cases),
                "lessons": (fresh or list(lessons))[:NEXT_STEP_ITEMS],
            }
        )
    return steps


def starting_points(certification: Certification) -> dict:
    """For a learner with no evidence: a first case, lesson and mock exam."""
    from case_studies.selectors import published_cases
    from courses.models import LessonPage

    domains = certification.domains.all()
    return {
        "cases": list(
            published_cases()
            .filter(domains__in=domains, difficulty="beginner")
            .distinct()
            .order_by("title")[:NEXT_STEP_ITEMS]
        ),
        "lessons": list(
            LessonPage.objects.live()
            .public()
            .filter(domains__in=domains)
            .distinct()
            .order_by("path")[:NEXT_STEP_ITEMS]
        ),
    }


def mock_exams_for(certification: Certification) -> list:
    from exams.models import Blueprint

    return list(Blueprint.objects.offered().filter(certification=certification))


def learners_visible_to(user) -> QuerySet:
    """Learners whose readiness `user` may see: those every registered learner
    source gives them (readiness.learner_sources: enrolled in the courses they
    teach, and any other app's), or everyone for an administrator."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.order_by("email")
    if is_administrator(user):
        return users
    return users.filter(pk__in=learner_ids_for(user))


def cohort_overview(user, certification: Certification) -> list[dict]:
    """Each visible learner's latest readiness for the certification, at risk
    first (no evidence last). Administrators see every learner with evidence.
    Without a firm estimate a learner is "thin" (not enough evidence yet) rather
    than ready or close; a learner with an estimate whose chance of passing is
    below AT_RISK_PROBABILITY is at risk however thin it is."""
    learners = learners_visible_to(user)
    if is_administrator(user):
        learners = learners.filter(pk__in=ReadinessSnapshot.objects.values("learner"))
    learners = list(learners)
    latest: dict[int, ReadinessSnapshot] = {}
    for snapshot in ReadinessSnapshot.objects.filter(
        certification=certification, learner__in=learners
    ).order_by("day"):
        latest[snapshot.learner_id] = snapshot
    domains = certification.domains.count()
    rows = []
    for learner in learners:
        snapshot = latest.get(learner.pk)
        evidence = evidence_of(snapshot, domains) if snapshot else None
        rows.append(
            {
                "learner": learner,
                "snapshot": snapshot,
                "evidence": evidence,
                "status": _status(snapshot, evidence),
            }
        )
    order = {"at_risk": 0, "thin": 1, "close": 2, "ready": 3, "none": 4}
    return sorted(
        rows,
        key=lambda r: (
            order[r["status"]],
            r["snapshot"].pass_probability if r["snapshot"] else 0,
        ),
    )


def _status(snapshot: ReadinessSnapshot | None, evidence: Evidence | None) -> str:
    if snapshot is None:
        return "none"
    if evidence.estimating and snapshot.pass_probability < AT_RISK_PROBABILITY:
        return "at_risk"
    if not evidence.firm:
        return "thin"
    if snapshot.pass_probability >= READY_PROBABILITY:
        return "ready"
    return "close"


def learner_visible_to(user, learner_id: int):
    """A learner the user may see, or 404."""
    return get_object_or_404(learners_visible_to(user), pk=learner_id)


def dashboard_context(user) -> dict | None:
    """The dashboard panel: the latest readiness per certification, or a
    starting point for a learner without evidence."""
    if not user.is_authenticated:
        return None
    certifications = certifications_for(user)
    latest = []
    for certification in certifications:
        snapshot = (
            ReadinessSnapshot.objects.filter(learner=user, certification=certification)
            .order_by("-day")
            .first()
        )
        latest.append(
            {
                "certification": certification,
                "snapshot": snapshot,
                "evidence": evidence_of(snapshot, certification.domains.count()),
            }
        )
    return {"latest": latest}


def all_certifications() -> QuerySet[Certification]:
    return Certification.objects.all()


def mock_calibration_for(user, certification: Certification) -> dict:
    """How the predictions recorded before full-length mock exams came true, for
    the learners `user` may see: the calibration report and the latest records."""
    from readiness.model.validation import Outcome, calibration_report
    from readiness.models import MockExamPrediction

    records = list(
        MockExamPrediction.objects.filter(
            certification=certification, learner__in=learners_visible_to(user)
        )
        .select_related("learner")
        .order_by("-sat_at")
    )
    report = calibration_report(
        [
            Outcome(r.predicted, r.low, r.high, r.pass_probability, r.score, r.passed)
            for r in records
        ]
    )
    return {"report": report, "latest": records[:MOCK_RECORDS_SHOWN]}


AT_RISK_WINDOW_DAYS = 14
AT_RISK_DROP_POINTS = 10
READINESS_FELL = (
    "Chance of passing {certification} fell {points} points in {days} days "
    "({before}% to {after}%)"
)
INACTIVE_SINCE = "No graded answer for {days} days (last on {last:%-d %b %Y})"
NEVER_ACTIVE = "No graded answer since joining on {joined:%-d %b %Y}"


@dataclass(frozen=True)
class LearnerAtRisk:
    learner: object
    certification: Certification
    reasons: tuple[str, ...]


def _latest_per_pair(snapshots) -> dict[tuple[int, int], ReadinessSnapshot]:
    latest = {}
    for snapshot in snapshots:
        latest[snapshot.learner_id, snapshot.certification_id] = snapshot
    return latest


def _readiness_falls(
    learner_ids: set[int], since
) -> dict[int, list[tuple[ReadinessSnapshot, ReadinessSnapshot]]]:
    """Per learner, (before, after) snapshot pairs whose chance of passing fell by
    at least AT_RISK_DROP_POINTS since `since`: `before` is the snapshot in force on
    that day, or the first one after it for a learner who started later. Only
    snapshots with an estimate (`Evidence.estimating`) count: before one begins
    the chance of passing is the prior's, and its fall as the first answers
    arrive is no trend."""
    from django.db.models import OuterRef, Subquery

    domains = dict(
        Certification.objects.annotate(n=Count("domains")).values_list("pk", "n")
    )

    def estimating(snapshot: ReadinessSnapshot) -> bool:
        return evidence_of(snapshot, domains[snapshot.certification_id]).estimating

    in_force_day = (
        ReadinessSnapshot.objects.filter(
            learner=OuterRef("learner"),
            certification=OuterRef("certification"),
            day__lte=since,
        )
        .order_by("-day")
        .values("day")[:1]
    )
    before = _latest_per_pair(
        s
        for s in ReadinessSnapshot.objects.filter(
            learner__in=learner_ids, day=Subquery(in_force_day)
        )
        if estimating(s)
    )
    recent = [
        s
        for s in ReadinessSnapshot.objects.filter(
            learner__in=learner_ids, day__gt=since
        )
        .select_related("certification")
        .order_by("day")
        if estimating(s)
    ]
    for snapshot in recent:
        before.setdefault((snapshot.learner_id, snapshot.certification_id), snapshot)
    falls: dict[int, list] = {}
    for pair, after in _latest_per_pair(recent).items():
        # Rounded: in floating point 0.7 - 0.6 is a hair under 0.1.
        fell = round(100 * (before[pair].pass_probability - after.pass_probability), 6)
        if fell >= AT_RISK_DROP_POINTS:
            falls.setdefault(pair[0], []).append((before[pair], after))
    return falls


def _percent(probability: float) -> int:
    return round(100 * probability)


def learners_at_risk(learner_ids: Iterable[int]) -> list[LearnerAtRisk]:
    """Of the given learners, those whose chance of passing a certification fell
    by AT_RISK_DROP_POINTS or more over the last AT_RISK_WINDOW_DAYS days, or who
    have had no graded answer for that long, each with the reasons and the
    certification their readiness page should open on; most reasons first."""
    from django.contrib.auth import get_user_model

    ids = set(learner_ids)
    now = timezone.now()
    window = timedelta(days=AT_RISK_WINDOW_DAYS)
    since = timezone.localdate(now) - window
    last_answers = dict(
        GradedResponse.objects.filter(learner__in=ids)
        .values("learner")
        .annotate(last=Max("graded_at"))
        .values_list("learner", "last")
    )
    latest_certifications = {
        row["learner"]: row["certification"]
        for row in ReadinessSnapshot.objects.filter(learner__in=ids)
        .values("learner", "certification")
        .annotate(last=Max("day"))
        .order_by("last")
    }
    certifications = Certification.objects.in_bulk(set(latest_certifications.values()))
    fallback = all_certifications().first()
    falls = _readiness_falls(ids, since)
    rows = []
    for learner in get_user_model().objects.filter(pk__in=ids).order_by("email"):
        reasons = [
            READINESS_FELL.format(
                certification=after.certification.abbreviation,
                points=_percent(before.pass_probability - after.pass_probability),
                days=AT_RISK_WINDOW_DAYS,
                before=_percent(before.pass_probability),
                after=_percent(after.pass_probability),
            )
            for before, after in falls.get(learner.pk, [])
        ]
        last = last_answers.get(learner.pk)
        if last is not None and last <= now - window:
            reasons.append(
                INACTIVE_SINCE.format(
                    days=(now - last).days, last=timezone.localtime(last)
                )
            )
        elif last is None and learner.date_joined <= now - window:
            reasons.append(
                NEVER_ACTIVE.format(joined=timezone.localtime(learner.date_joined))
            )
        if not reasons:
            continue
        if learner.pk in falls:
            certification = falls[learner.pk][0][1].certification
        else:
            certification = certifications.get(
                latest_certifications.get(learner.pk), fallback
            )
        rows.append(LearnerAtRisk(learner, certification, tuple(reasons)))
    return sorted(rows, key=lambda row: -len(row.reasons))


def instructor_panel_context(user) -> dict | None:
    """The instructor's dashboard panel: their learners at risk; None (no panel)
    while they follow no learner."""
    if not user.is_authenticated:
        return None
    followed = learner_ids_for(user)
    if not followed:
        return None
    return {
        "followed": len(followed),
        "rows": learners_at_risk(followed),
        "days": AT_RISK_WINDOW_DAYS,
        "points": AT_RISK_DROP_POINTS,
    }
