"""Reads of the exam flow: what a learner may take, an attempt's state without
keys, and results as the review policy allows."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, F, Q, Sum
from django.utils import timezone

from exams.errors import ATTEMPT_NOT_FOUND, ExamNotFound
from exams.models import (
    Accommodation,
    Attempt,
    Blueprint,
    ExamSitting,
    Question,
    QuestionKind,
    ReviewPolicy,
)
from exams.models.blueprints import Selection
from exams.review_policies import review_policy_for
from grading.selectors import graded_responses_for
from grading.visibility import WITHHELD


def grace() -> timedelta:
    """How long after the deadline a save already in flight is still accepted."""
    return timedelta(seconds=int(getattr(settings, "EXAMS_SAVE_GRACE_SECONDS", 30)))


def grading_retry_after() -> timedelta:
    """How long a submitted attempt may wait for grading before the sweep queues
    it again and its results page says grading is delayed."""
    return timedelta(seconds=settings.EXAMS_GRADING_RETRY_SECONDS)


def _accommodations(*, blueprint: Blueprint, learner):
    return Accommodation.objects.filter(
        Q(blueprint=blueprint) | Q(blueprint__isnull=True), learner=learner
    )


def time_limit_seconds(*, blueprint: Blueprint, learner) -> int:
    """The blueprint's time limit with the learner's accommodations: the largest
    multiplier granted, then every extra minute granted added."""
    multiplier = Decimal(1)
    extra = 0
    for row in _accommodations(blueprint=blueprint, learner=learner):
        multiplier = max(multiplier, row.time_multiplier)
        extra += row.extra_minutes
    return int(blueprint.time_limit_seconds * multiplier) + extra * 60


def attempts_allowed(*, blueprint: Blueprint, learner) -> int:
    extra = _accommodations(blueprint=blueprint, learner=learner).aggregate(
        n=Sum("extra_attempts")
    )["n"]
    return blueprint.attempts_allowed + (extra or 0)


def attempt_for_learner(*, learner, attempt_id: int) -> Attempt:
    """The learner's own attempt; `ExamNotFound` for anyone else's or none."""
    attempt = (
        Attempt.objects.select_related("blueprint")
        .filter(pk=attempt_id, learner=learner)
        .first()
    )
    if attempt is None:
        raise ExamNotFound(ATTEMPT_NOT_FOUND)
    return attempt


def blueprints_for(learner) -> list[dict]:
    """Published exams with the learner's attempts at each."""
    attempts: dict[int, list[Attempt]] = {}
    for attempt in Attempt.objects.filter(learner=learner).order_by("number"):
        attempts.setdefault(attempt.blueprint_id, []).append(attempt)
    return [
        {"blueprint": blueprint, "attempts": attempts.get(blueprint.pk, [])}
        for blueprint in Blueprint.objects.offered()
        .select_related("certification")
        .order_by("name")
    ]


def question_pool(blueprint: Blueprint):
    """The live questions an attempt on `blueprint` draws from: a fixed exam's
    own list, a random one's bank in its domains."""
    if blueprint.selection == Selection.FIXED:
        return Question.objects.filter(
            live=True, pk__in=blueprint.questions.values("question")
        )
    return Question.objects.filter(
        live=True,
        certification=blueprint.certification,
        domains__slug__in=list(blueprint.questions_per_domain),
    ).distinct()


def seconds_until(deadline) -> int:
    return max(0, int((deadline - timezone.now()).total_seconds()))


def remaining_seconds(attempt: Attempt) -> int:
    if attempt.status != Attempt.Status.IN_PROGRESS:
        return 0
    return seconds_until(attempt.deadline)


def score_visible(attempt: Attempt) -> bool:
    """Scores show once graded, except under 'after close' before the close."""
    if attempt.status != Attempt.Status.GRADED:
        return False
    return scores_open(learner=attempt.learner, blueprint=attempt.blueprint)


def scores_open(*, learner, blueprint: Blueprint) -> bool:
    """Whether the learner's graded scores on `blueprint` may show now."""
    review = review_policy_for(learner=learner, blueprint=blueprint)
    return review.policy != ReviewPolicy.AFTER_CLOSE or review.closed


def review_visible(attempt: Attempt) -> bool:
    """Whether correct answers and rationales may be shown for `attempt`."""
    if attempt.status != Attempt.Status.GRADED:
        return False
    review = review_policy_for(learner=attempt.learner, blueprint=attempt.blueprint)
    if review.policy == ReviewPolicy.IMMEDIATELY:
        return True
    return review.policy == ReviewPolicy.AFTER_CLOSE and review.closed


_LEDGER_REF_START = "exam-attempt:"


def ledger_ref_prefix(attempt_id: int) -> str:
    """The start of every ledger `attempt_ref` of an attempt's items, as
    `exams.services.attempt_grade` records them (`<prefix><item id>`)."""
    return f"{_LEDGER_REF_START}{attempt_id}:"


def attempt_id_of_ledger_ref(attempt_ref: str) -> int | None:
    """The attempt a ledger `attempt_ref` written by `ledger_ref_prefix` belongs
    to, or None for any other reference."""
    attempt_id, separator, _ = attempt_ref.removeprefix(_LEDGER_REF_START).partition(
        ":"
    )
    if not attempt_ref.startswith(_LEDGER_REF_START) or not separator:
        return None
    return int(attempt_id) if attempt_id.isdigit() else None


def _withheld_items(attempt: Attempt) -> dict[int, str]:
    """Why the review of each of the attempt's items is withheld from its learner
    now ("" when shown), as the ledger's one visibility rule decides
    (`grading.visibility`): the review policy, or another exam in progress that
    tests the same question."""
    prefix = ledger_ref_prefix(attempt.pk)
    rows = (
        graded_responses_for(attempt.learner)
        .filter(attempt_ref__startswith=prefix)
        .values_list("attempt_ref", WITHHELD)
    )
    return {int(ref.removeprefix(prefix)): reason for ref, reason in rows}


def _item_state(item, *, with_review: bool, withheld: str = "") -> dict:
    question = item.question
    options = {o.option_id: o for o in question.options.all()}
    state = {
        "position": item.position,
        "kind": question.kind,
        "choose": question.choose if question.kind == QuestionKind.MULTIPLE else 1,
        "stem": question.stem,
        "scenario": question.scenario,
        "case_slug": question.case_slug,
        "options": [
            {"id": oid, "text": options[oid].text}
            for oid in item.option_order
            if oid in options
        ],
        "response": item.response,
        "flagged": item.flagged,
        "saved_at": item.saved_at,
    }
    if question.kind == QuestionKind.CODING:
        state["setting"] = question.key.get("setting", "")
        state["date_of_service"] = question.key.get("date_of_service", "")
    if withheld:
        state["withheld_reason"] = withheld
    if with_review:
        state["review"] = {
            "points": item.points,
            "max_points": item.max_points,
            "pretest": question.pretest,
            "reference": question.reference,
            "correct_options": [
                oid for oid in item.option_order if options[oid].correct
            ],
            "rationales": {oid: options[oid].rationale for oid in item.option_order},
            "result": item.result,
            "key": question.key if question.kind == QuestionKind.CODING else None,
        }
    return state


def _attempt_summary(attempt: Attempt) -> dict:
    return {
        "id": attempt.pk,
        "exam": attempt.blueprint.name,
        "exam_slug": attempt.blueprint.slug,
        "number": attempt.number,
        "status": attempt.status,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "remaining_seconds": remaining_seconds(attempt),
        "finished_at": attempt.finished_at,
    }


def attempt_state(attempt: Attempt) -> dict:
    """Everything the exam page needs, without keys, correct flags or rationales
    unless the review policy allows them."""
    withheld = _withheld_items(attempt) if review_visible(attempt) else None
    items = attempt.items.select_related("question").prefetch_related(
        "question__options"
    )
    return {
        **_attempt_summary(attempt),
        "items": [
            _item_state(
                item,
                with_review=withheld is not None and withheld.get(item.pk) == "",
                withheld=(withheld or {}).get(item.pk, ""),
            )
            for item in items
        ],
    }


def attempt_outline(attempt: Attempt) -> dict:
    """What a client needs to begin or resume an attempt, light enough for the
    start of an exam day: the attempt, each item's position, kind and whether it
    is answered and flagged, and in full (as in `attempt_state`) only the
    question to show first, the first unanswered one (`question`)."""
    items = attempt_navigation(attempt)["items"]
    first = next((i["position"] for i in items if not i["answered"]), 1)
    return {
        **_attempt_summary(attempt),
        "items": items,
        "question": attempt_item_state(attempt, first) if items else None,
    }


def attempt_navigation(attempt: Attempt) -> dict:
    """The light state an exam page needs around one question: each item's
    position, kind, whether it is answered and flagged, and the remaining time."""
    items = (
        attempt.items.annotate(
            answered=ExpressionWrapper(Q(response__isnull=False), BooleanField())
        )
        .order_by("position")
        .values("position", "answered", "flagged", kind=F("question__kind"))
    )
    return {"items": list(items), "remaining_seconds": remaining_seconds(attempt)}


def attempt_item_state(attempt: Attempt, position: int) -> dict | None:
    """One item of an attempt, as in `attempt_state`, without review fields."""
    item = (
        attempt.items.select_related("question")
        .prefetch_related("question__options")
        .filter(position=position)
        .first()
    )
    return None if item is None else _item_state(item, with_review=False)


def attempt_results(attempt: Attempt) -> dict:
    """Score, pass/fail and breakdown when visible; time used overall and per
    question; each question with answers as the review policy allows."""
    graded = attempt.status == Attempt.Status.GRADED
    visible = score_visible(attempt)
    items = list(attempt.items.select_related("question"))
    time_used = (
        int((attempt.finished_at - attempt.started_at).total_seconds())
        if attempt.finished_at
        else None
    )
    results = {
        "id": attempt.pk,
        "exam": attempt.blueprint.name,
        "status": attempt.status,
        "grading": attempt.status == Attempt.Status.SUBMITTED,
        "grading_delayed": attempt.status == Attempt.Status.SUBMITTED
        and attempt.finished_at < timezone.now() - grading_retry_after(),
        "score_visible": visible,
        "review_visible": review_visible(attempt),
        "time_used_seconds": time_used,
        "time_per_question": [
            {"position": item.position, "seconds": item.time_spent_seconds}
            for item in items
        ],
        # The review page, the time before the first question: every second of
        # the time used not on a question (see exams.services.attempt_view_record).
        "time_off_questions_seconds": None
        if time_used is None
        else max(0, time_used - sum(item.time_spent_seconds for item in items)),
        "passing_kind": attempt.blueprint.passing_kind,
        "passing_cut": float(attempt.blueprint.passing_cut),
    }
    if graded and visible:
        results.update(
            points=attempt.points,
            max_points=attempt.max_points,
            percent=attempt.percent,
            scaled_score=attempt.scaled_score,
            passed=attempt.passed,
            domains=attempt.domain_breakdown,
        )
    return results


def dashboard_context(user) -> dict | None:
    """The learner's open attempts and last results, for their dashboard."""
    if not user.is_authenticated:
        return None
    attempts = Attempt.objects.filter(learner=user).select_related("blueprint")
    recent = attempts.exclude(status=Attempt.Status.IN_PROGRESS)[:5]
    return {
        "open": list(attempts.filter(status=Attempt.Status.IN_PROGRESS)),
        # Pass or fail is a score: it waits for the close as the results page does.
        "recent": [
            {"attempt": attempt, "score_visible": score_visible(attempt)}
            for attempt in recent
        ],
    }


def sittings_dashboard_context(user) -> dict | None:
    """The exam sittings the instructor runs from today on; hidden when none."""
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    sittings = list(
        ExamSitting.objects.filter(instructor=user, starts_at__gte=today)
        .select_related("blueprint")
        .order_by("starts_at")[:5]
    )
    return {"sittings": sittings} if sittings else None


def blueprints_analysed() -> list[Blueprint]:
    """Every exam, offered or not, for instructors' item analysis."""
    return list(Blueprint.objects.select_related("certification").order_by("name"))


def graded_items_for_analysis(*, blueprint: Blueprint, first_attempts_only: bool):
    """Each item of the blueprint's graded attempts (only each learner's first
    attempt, or all), in attempt and position order: `attempt_id`, `learner_id`,
    `question_id`, `position` and `ledger_ref`, the ledger `attempt_ref` its
    grading was recorded under."""
    attempts = Attempt.objects.filter(
        blueprint=blueprint, status=Attempt.Status.GRADED, items__isnull=False
    )
    if first_attempts_only:
        attempts = attempts.filter(number=1)
    rows = attempts.order_by("pk", "items__position").values_list(
        "pk", "learner_id", "items__pk", "items__question_id", "items__position"
    )
    return [
        {
            "attempt_id": attempt_id,
            "learner_id": learner_id,
            "question_id": question_id,
            "position": position,
            "ledger_ref": f"{ledger_ref_prefix(attempt_id)}{item_id}",
        }
        for attempt_id, learner_id, item_id, question_id, position in rows
    ]


def questions_asked_in(blueprint: Blueprint) -> list[int]:
    """The ids of the questions the blueprint's attempts were given."""
    return list(
        Attempt.objects.filter(blueprint=blueprint, items__isnull=False)
        .values_list("items__question_id", flat=True)
        .distinct()
        .order_by("items__question_id")
    )


def questions_by_id(question_ids) -> dict[int, Question]:
    """The questions, with their options and domains, by id."""
    return {
        question.pk: question
        for question in Question.objects.filter(
            pk__in=list(question_ids)
        ).prefetch_related("options", "domains")
    }


def attempt_rows_for(*, learner_ids, blueprint_ids, started_from) -> list[dict]:
    """The attempts of those learners at those exams started at or after
    `started_from`, one dict per attempt (one query): learner_id, blueprint_id,
    started_at, finished_at, status, percent and passed (None until graded)."""
    return list(
        Attempt.objects.filter(
            learner_id__in=learner_ids,
            blueprint_id__in=blueprint_ids,
            started_at__gte=started_from,
        )
        .order_by()
        .values(
            "learner_id",
            "blueprint_id",
            "started_at",
            "finished_at",
            "status",
            "percent",
            "passed",
        )
    )


def attempts_reviewed_by_staff(*, learner, blueprint, started_from) -> list[dict]:
    """The learner's finished attempts at `blueprint` started at or after
    `started_from`, oldest first, each with every item in full for an instructor
    (the learner's answer, the key, points and time spent), whatever the review
    policy shows the learner."""
    attempts = (
        Attempt.objects.filter(
            learner=learner, blueprint=blueprint, started_at__gte=started_from
        )
        .exclude(status=Attempt.Status.IN_PROGRESS)
        .select_related("blueprint")
        .prefetch_related("items__question__options")
        .order_by("started_at", "pk")
    )
    return [
        {
            "attempt": attempt,
            "items": [
                {
                    **_item_state(item, with_review=True),
                    "time_spent_seconds": item.time_spent_seconds,
                }
                for item in attempt.items.all()
            ],
        }
        for attempt in attempts
    ]
