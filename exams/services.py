"""Writes of the exam flow: start, save, flag, submit, finalise, grade, accommodate.

Time is the server's: an attempt's `deadline` is stored when it starts and only an
accommodation moves it. Saves are accepted until the deadline plus a short grace
for requests already in flight (`EXAMS_SAVE_GRACE_SECONDS`, default 30). Finalising
is one conditional UPDATE of an attempt still in progress, so a sweep, a time-out
and a click racing each other submit it exactly once, with the deadline as the
finish time when it came later.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import NoReturn

from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from core.locks import site_lock
from core.tasks import enqueue
from exams.errors import (
    BAD_RESPONSE,
    EXAM_CLOSED,
    ITEM_NOT_IN_ATTEMPT,
    MAX_SEQUENCE,
    NO_ATTEMPTS_LEFT,
    RESPONSE_TOO_LARGE,
    SEQUENCE_INVALID,
    TOO_MANY_OPTIONS,
    UNKNOWN_OPTION,
    AttemptClosed,
    ExamError,
    ExamNotFound,
    StaleSave,
)
from exams.item_writes import ItemForWrite, item_for_write, item_update_if_open
from exams.models import (
    Accommodation,
    Attempt,
    AttemptItem,
    Blueprint,
    Question,
    QuestionKind,
    QuestionOption,
)
from exams.models.blueprints import Selection
from exams.selectors import (
    attempt_for_learner,
    attempts_allowed,
    grace,
    grading_retry_after,
    ledger_ref_prefix,
    seconds_until,
    time_limit_seconds,
)

MAX_RESPONSE_CHARS = 20_000
IN_PROGRESS = Attempt.Status.IN_PROGRESS


def _draw_questions(blueprint: Blueprint) -> list[int]:
    """The ids of the questions a new attempt asks, in order."""
    if blueprint.selection == Selection.FIXED:
        return list(
            blueprint.questions.filter(question__live=True)
            .order_by("sort_order", "pk")
            .values_list("question_id", flat=True)
        )
    rng = random.SystemRandom()
    chosen: list[int] = []
    for slug, count in blueprint.questions_per_domain.items():
        ids = list(
            Question.objects.filter(
                live=True, certification=blueprint.certification, domains__slug=slug
            )
            .exclude(pk__in=chosen)
            .values_list("pk", flat=True)
        )
        chosen += rng.sample(ids, min(int(count), len(ids)))
    rng.shuffle(chosen)
    return chosen


def _option_orders(blueprint: Blueprint, question_ids: list[int]) -> list[list]:
    """Each question's option ids in the order the attempt shows them (none for a
    coding question)."""
    ids: dict[int, list[str]] = {}
    for question_id, option_id in (
        QuestionOption.objects.filter(question__in=question_ids)
        .exclude(question__kind=QuestionKind.CODING)
        .order_by("sort_order", "pk")
        .values_list("question_id", "option_id")
    ):
        ids.setdefault(question_id, []).append(option_id)
    rng = random.SystemRandom()
    orders = []
    for question_id in question_ids:
        order = list(ids.get(question_id, []))
        if blueprint.shuffle_options:
            rng.shuffle(order)
        orders.append(order)
    return orders


def attempt_start(*, learner, blueprint: Blueprint) -> Attempt:
    """The learner's open attempt at `blueprint`, or a new one.

    A new attempt draws its questions (fixed list or random by domain), fixes the
    option order and stores its deadline. Raises `ExamError` when the exam is
    closed or no attempt is left.
    """
    open_attempt = (
        Attempt.objects.filter(learner=learner, blueprint=blueprint, status=IN_PROGRESS)
        .order_by("-number")
        .first()
    )
    if open_attempt is not None:
        open_attempt = attempt_finalise_if_expired(attempt=open_attempt)
        if open_attempt.status == IN_PROGRESS:
            return open_attempt
    now = timezone.now()
    if not blueprint.published or (blueprint.closes_at and now >= blueprint.closes_at):
        raise ExamError(EXAM_CLOSED)
    used = Attempt.objects.filter(learner=learner, blueprint=blueprint).count()
    if used >= attempts_allowed(blueprint=blueprint, learner=learner):
        raise ExamError(NO_ATTEMPTS_LEFT)
    question_ids = _draw_questions(blueprint)
    orders = _option_orders(blueprint, question_ids)
    limit = time_limit_seconds(blueprint=blueprint, learner=learner)
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                learner=learner,
                blueprint=blueprint,
                number=used + 1,
                started_at=now,
                deadline=now + timedelta(seconds=limit),
                clock_at=now,
            )
            AttemptItem.objects.bulk_create(
                AttemptItem(
                    attempt=attempt,
                    question_id=question_id,
                    position=position,
                    option_order=order,
                )
                for position, (question_id, order) in enumerate(
                    zip(question_ids, orders, strict=True), start=1
                )
            )
    except IntegrityError:
        # Another tab started the same attempt a moment earlier: resume it.
        return Attempt.objects.get(
            learner=learner, blueprint=blueprint, status=IN_PROGRESS
        )
    return attempt


def _clean_response(item: ItemForWrite, response) -> dict:
    if item.kind == QuestionKind.CODING:
        from grading.engine import SchemaError, parse_response, response_to_dict

        try:
            parsed = parse_response(response, setting=item.key.get("setting"))
        except SchemaError as error:
            detail = "; ".join(f"{path}: {message}" for path, message in error.errors)
            raise ExamError(BAD_RESPONSE.format(detail=detail)) from None
        return response_to_dict(parsed)
    if not isinstance(response, dict) or set(response) != {"options"}:
        raise ExamError(BAD_RESPONSE.format(detail='expected {"options": [ids]}'))
    chosen = response["options"]
    if not isinstance(chosen, list) or not all(isinstance(c, str) for c in chosen):
        raise ExamError(BAD_RESPONSE.format(detail="options must be a list of ids"))
    if unknown := sorted(set(chosen) - set(item.option_order)):
        raise ExamError(UNKNOWN_OPTION.format(ids=", ".join(unknown)))
    limit = 1 if item.kind == QuestionKind.SINGLE else item.choose
    if len(set(chosen)) > limit:
        raise ExamError(TOO_MANY_OPTIONS.format(count=limit))
    return {"options": sorted(set(chosen))}


@dataclass(frozen=True)
class SavedItem:
    position: int
    saved_at: datetime | None
    flagged: bool
    remaining_seconds: int


def _open_item(*, learner, attempt_id: int, position: int) -> ItemForWrite:
    """The item to write, or `ExamNotFound` for anyone else's attempt or an unknown
    position, and `AttemptClosed` (finalising first) past deadline + grace."""
    item = item_for_write(
        learner_id=learner.pk, attempt_id=attempt_id, position=position
    )
    if item is None:
        attempt_for_learner(learner=learner, attempt_id=attempt_id)
        raise ExamNotFound(ITEM_NOT_IN_ATTEMPT)
    if item.status != IN_PROGRESS or timezone.now() > item.deadline + grace():
        _refuse_closed(learner=learner, attempt_id=attempt_id)
    return item


def _refuse_closed(*, learner, attempt_id: int) -> NoReturn:
    attempt_finalise_if_expired(
        attempt=attempt_for_learner(learner=learner, attempt_id=attempt_id)
    )
    raise AttemptClosed()


def _update_if_open(*, learner, attempt_id: int, item: ItemForWrite, **update) -> None:
    """Write to the item while its attempt accepts writes; `AttemptClosed` if it
    was finalised (or timed out) since it was read."""
    if not item_update_if_open(
        item=item, attempt_id=attempt_id, cutoff=timezone.now() - grace(), **update
    ):
        if update.get("newer_than_sequence") is not None and _still_open(attempt_id):
            raise StaleSave()
        _refuse_closed(learner=learner, attempt_id=attempt_id)


def _still_open(attempt_id: int) -> bool:
    return Attempt.objects.filter(
        pk=attempt_id, status=IN_PROGRESS, deadline__gte=timezone.now() - grace()
    ).exists()


def _checked_sequence(sequence) -> int | None:
    """`sequence` if it is a whole number in range; the API passes on whatever the
    client sent, so that a float, a string or a number too large for the column is
    refused with a message instead of failing in the database."""
    if sequence is None:
        return None
    if (
        isinstance(sequence, bool)
        or not isinstance(sequence, int)
        or not 1 <= sequence <= MAX_SEQUENCE
    ):
        raise ExamError(SEQUENCE_INVALID)
    return sequence


def _already_held(*, item: ItemForWrite, position: int, response: dict) -> SavedItem:
    """The stored state when it already holds `response` (a save sent again after
    its reply was lost, or an older save of the answer that is stored); otherwise
    the save is stale."""
    if item.response != response:
        raise StaleSave()
    return _stored(item, position)


def _stored(item: ItemForWrite, position: int) -> SavedItem:
    return SavedItem(
        position, item.saved_at, item.flagged, seconds_until(item.deadline)
    )


def attempt_save_answer(
    *,
    learner,
    attempt_id: int,
    position: int,
    response,
    sequence: int | None = None,
    time_spent_seconds: int | None = None,
) -> SavedItem:
    """Save the learner's answer to the item at `position`, replacing the last one.

    `sequence` (1 to `MAX_SEQUENCE`, optional) orders the saves of one item: a save
    whose sequence is not newer than the stored one changes nothing, and answers
    with the stored state if it holds the same answer (a retry of a save that
    landed) or is refused with `StaleSave` if it holds another. Refused with
    `AttemptClosed` once the attempt is submitted or past its deadline plus grace,
    and with `ExamError` for an answer that does not fit the question or a bad
    `sequence`. Nothing is stored when refused. One read, then one write guarded
    by the attempt's state and the stored sequence.
    """
    return attempt_save_answer_of(
        learner=learner,
        attempt_id=attempt_id,
        position=position,
        answer_of=lambda item: response,
        sequence=sequence,
        time_spent_seconds=time_spent_seconds,
    )


def attempt_save_answer_of(
    *,
    learner,
    attempt_id: int,
    position: int,
    answer_of: Callable[[ItemForWrite], object | None],
    sequence: int | None = None,
    time_spent_seconds: int | None = None,
) -> SavedItem:
    """As `attempt_save_answer`, with the answer worked out from the item read for
    the save (`answer_of(item)`: a form whose fields read by the question's kind
    and setting), in the same read. When `answer_of` gives None there is nothing
    to save, and the stored state is answered."""
    sequence = _checked_sequence(sequence)
    item = _open_item(learner=learner, attempt_id=attempt_id, position=position)
    response = answer_of(item)
    if response is None:
        return _stored(item, position)
    if len(json.dumps(response)) > MAX_RESPONSE_CHARS:
        raise ExamError(RESPONSE_TOO_LARGE)
    cleaned = _clean_response(item, response)
    if sequence is not None and sequence <= item.sequence:
        return _already_held(item=item, position=position, response=cleaned)
    values = {"response": cleaned, "saved_at": timezone.now()}
    if sequence is not None:
        values["sequence"] = sequence
    try:
        _update_if_open(
            learner=learner,
            attempt_id=attempt_id,
            item=item,
            values=values,
            add_time_spent=max(0, min(int(time_spent_seconds or 0), 86_400)),
            newer_than_sequence=sequence,
        )
    except StaleSave:
        # A save at least as new landed between the read and the write: most often
        # this same save, sent again while its first try was still running.
        item = _open_item(learner=learner, attempt_id=attempt_id, position=position)
        return _already_held(item=item, position=position, response=cleaned)
    return SavedItem(
        position, values["saved_at"], item.flagged, seconds_until(item.deadline)
    )


_CLOCK_FIELDS = ("clock_at", "clock_position", "started_at", "deadline", "finished_at")


def _clock_move(
    *, attempt_id: int, position: int | None, clock: dict | None = None
) -> None:
    """Move the attempt's clock to `position` now (or at the attempt's end, if
    it came first), adding the whole seconds since the clock last moved to the
    question it was on. The move is a compare-and-set on the clock (`clock`, as
    the caller read it, else read here), so of two requests moving it from the
    same instant (two tabs) only one adds those seconds; the other reads the
    clock again. The clock advances by whole seconds, so no fraction is lost
    between moves and the questions' seconds add up to the time used."""
    for _ in range(3):
        if clock is None:
            clock = Attempt.objects.filter(pk=attempt_id).values(*_CLOCK_FIELDS).first()
            if clock is None:
                return
        since = clock["clock_at"] or clock["started_at"]
        at = min(timezone.now(), clock["finished_at"] or clock["deadline"])
        seconds = max(0, int((at - since).total_seconds()))
        moved = Attempt.objects.filter(
            pk=attempt_id,
            clock_at=clock["clock_at"],
            clock_position=clock["clock_position"],
        ).update(clock_at=since + timedelta(seconds=seconds), clock_position=position)
        if moved:
            if seconds and clock["clock_position"] is not None:
                AttemptItem.objects.filter(
                    attempt_id=attempt_id, position=clock["clock_position"]
                ).update(time_spent_seconds=F("time_spent_seconds") + seconds)
            return
        clock = None


def attempt_view_record(*, attempt: Attempt, position: int | None) -> None:
    """The learner is looking at question `position` of the attempt in progress
    (None: the review page): the time since the last page view goes to the
    question shown then, the time from now on to the question shown now."""
    if attempt.status == IN_PROGRESS:
        clock = {name: getattr(attempt, name) for name in _CLOCK_FIELDS}
        _clock_move(attempt_id=attempt.pk, position=position, clock=clock)


def attempt_flag(
    *, learner, attempt_id: int, position: int, flagged: bool
) -> SavedItem:
    """Flag (or unflag) the item at `position` for review."""
    item = _open_item(learner=learner, attempt_id=attempt_id, position=position)
    _update_if_open(
        learner=learner, attempt_id=attempt_id, item=item, values={"flagged": flagged}
    )
    return SavedItem(position, item.saved_at, flagged, seconds_until(item.deadline))


def attempt_finalise(*, attempt: Attempt, submitted_by: str) -> bool:
    """Submit `attempt` if it is still in progress; True if this call did.

    One conditional UPDATE: concurrent callers cannot both succeed. The finish time
    is now, or the deadline if that passed. Grading is enqueued after commit.
    """
    from exams.tasks import attempt_grade_task

    now = timezone.now()
    with transaction.atomic():
        changed = Attempt.objects.filter(pk=attempt.pk, status=IN_PROGRESS).update(
            status=Attempt.Status.SUBMITTED,
            submitted_by=submitted_by,
            finished_at=Case(
                When(deadline__lt=now, then=F("deadline")),
                default=Value(now),
            ),
        )
        if changed:
            # The question on screen at the end keeps the time up to the finish,
            # before grading copies each question's time into the ledger.
            _clock_move(attempt_id=attempt.pk, position=None)
            transaction.on_commit(lambda: enqueue(attempt_grade_task, attempt.pk))
    attempt.refresh_from_db()
    return bool(changed)


def attempt_finalise_if_expired(*, attempt: Attempt) -> Attempt:
    """`attempt`, finalised first if its deadline plus grace has passed."""
    if attempt.status == IN_PROGRESS and timezone.now() > attempt.deadline + grace():
        attempt_finalise(attempt=attempt, submitted_by="timeout")
    return attempt


def attempt_submit(*, learner, attempt_id: int) -> Attempt:
    """Submit the learner's attempt; submitting again changes nothing."""
    attempt = attempt_finalise_if_expired(
        attempt=attempt_for_learner(learner=learner, attempt_id=attempt_id)
    )
    if attempt.status == IN_PROGRESS:
        attempt_finalise(attempt=attempt, submitted_by="learner")
    return attempt


def attempt_time_out(*, learner, attempt_id: int) -> Attempt:
    """The page's countdown reached zero: submit if the server agrees the deadline
    has passed; otherwise return the attempt still running, so the page can show
    the true remaining time."""
    attempt = attempt_for_learner(learner=learner, attempt_id=attempt_id)
    if attempt.status == IN_PROGRESS and timezone.now() >= attempt.deadline:
        attempt_finalise(attempt=attempt, submitted_by="timeout")
    return attempt


def attempts_finalise_expired() -> int:
    """Finalise every attempt past its deadline plus grace (the beat sweep), and
    enqueue grading again for any submitted `grading_retry_after()` ago and still
    ungraded: its task was never queued (the broker was down) or died with its
    worker. Grading is idempotent, so a copy still queued costs one query. Two
    sweeps at once (a second beat) leave the work to whichever came first."""
    from exams.tasks import attempt_grade_task

    with site_lock("exams.attempts_finalise_expired") as held:
        if not held:
            return 0
        now = timezone.now()
        finalised = 0
        for attempt in Attempt.objects.filter(
            status=IN_PROGRESS, deadline__lt=now - grace()
        ).only("pk", "deadline", "status"):
            finalised += attempt_finalise(attempt=attempt, submitted_by="sweep")
        stuck = Attempt.objects.filter(
            status=Attempt.Status.SUBMITTED,
            finished_at__lt=now - grading_retry_after(),
        ).values_list("pk", flat=True)
        for pk in stuck:
            if not enqueue(attempt_grade_task, pk):
                break  # the broker is down: the next sweep tries again
    return finalised


def _grade_item(item: AttemptItem, policy_name: str):
    """Grade the item's answer, setting its points, maximum and result; returns
    the engine's result, or None when the question's key cannot be graded (the
    item then earns 0 of 1 and keeps the key's errors)."""
    from grading.engine import result_to_dict
    from grading.services import (
        GradingInputError,
        choice_answer_grade,
        coding_answer_grade,
    )

    question = item.question
    if question.is_choice:
        correct = [o.option_id for o in question.options.all() if o.correct]
        chosen = (item.response or {}).get("options", [])
        result = choice_answer_grade(
            correct_option_ids=correct,
            chosen_option_ids=chosen,
            policy_name=policy_name,
        )
        item.result = {
            "correct": result.correct,
            "missed": list(result.missed),
            "wrong": list(result.wrong),
        }
    else:
        try:
            result = coding_answer_grade(
                key_data=question.key,
                response_data=item.response or {},
                policy_name=policy_name,
            )
        except GradingInputError as error:
            item.points, item.max_points = 0.0, 1.0
            item.result = {"errors": [list(e) for e in error.errors]}
            return None
        item.result = result_to_dict(result)
    item.points, item.max_points = result.points, result.max_points
    return result


def attempt_grade(*, attempt_id: int) -> Attempt:
    """Grade a submitted attempt item by item through the grading service (each
    lands in its ledger) and store the score, pass/fail and domain breakdown.
    Grading an attempt that is not submitted (or already graded) does nothing.
    The learner's readiness is then queued for update once, not once per item."""
    from readiness.receivers import readiness_updates_batched

    with readiness_updates_batched():
        return _attempt_grade(attempt_id=attempt_id)


@transaction.atomic
def _attempt_grade(*, attempt_id: int) -> Attempt:
    attempt = (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("blueprint", "learner")
        .get(pk=attempt_id)
    )
    if attempt.status != Attempt.Status.SUBMITTED:
        return attempt
    items = list(
        attempt.items.select_related("question").prefetch_related(
            "question__options", "question__domains"
        )
    )
    for item in items:
        attempt_item_grade(attempt=attempt, item=item)
    AttemptItem.objects.bulk_update(items, ["points", "max_points", "result"])
    Attempt.objects.filter(pk=attempt.pk, status=Attempt.Status.SUBMITTED).update(
        status=Attempt.Status.GRADED,
        graded_at=timezone.now(),
        **attempt_score(blueprint=attempt.blueprint, items=items),
    )
    attempt.refresh_from_db()
    return attempt


def attempt_item_grade(
    *, attempt: Attempt, item: AttemptItem, regraded_by=None, regrade_reason=""
):
    """Grade the item's answer with its question's live key under the exam's
    policy, setting the item's points, maximum and result (saved by the caller),
    and record it in the ledger (a regrade names who regraded it and why).
    Returns the ledger row, or None when the key cannot be graded."""
    from grading.items import ItemRef
    from grading.models import GradedResponse
    from grading.services import graded_response_record

    graded = _grade_item(item, attempt.blueprint.grading_policy)
    if graded is None:
        return None
    question = item.question
    return graded_response_record(
        learner=attempt.learner,
        source=GradedResponse.Source.EXAM_ITEM,
        item=ItemRef.exam_question(question.pk),
        attempt_ref=f"{ledger_ref_prefix(attempt.pk)}{item.pk}",
        graded=graded,
        response=item.response or {},
        domains=list(question.domains.all()),
        difficulty=question.difficulty,
        item_title=question.slug,
        time_spent=item.time_spent_seconds,
        regraded_by=regraded_by,
        regrade_reason=regrade_reason,
    )


def attempt_score(*, blueprint: Blueprint, items: list[AttemptItem]) -> dict:
    """The score of an attempt from its graded items (pretest items do not
    count): points, maximum, percent, scaled score, pass/fail and the breakdown
    by domain, as `Attempt` fields."""
    totals = {"points": 0.0, "max_points": 0.0}
    domains: dict[str, dict] = {}
    for item in items:
        question = item.question
        if question.pretest:
            continue
        points, max_points = item.points, item.max_points
        totals["points"] += points
        totals["max_points"] += max_points
        for domain in question.domains.all():
            row = domains.setdefault(
                domain.slug,
                {"slug": domain.slug, "name": domain.name, "points": 0.0, "max": 0.0},
            )
            row["points"] += points
            row["max"] += max_points
    percent = (
        100 * totals["points"] / totals["max_points"] if totals["max_points"] else 0.0
    )
    rule = blueprint.passing_rule
    for row in domains.values():
        row["percent"] = round(100 * row["points"] / row["max"], 1) if row["max"] else 0
    return {
        "points": round(totals["points"], 4),
        "max_points": totals["max_points"],
        "percent": round(percent, 2),
        "scaled_score": rule.scaled_score(percent),
        "passed": rule.passes(percent),
        "domain_breakdown": list(domains.values()),
    }


@transaction.atomic
def accommodation_grant(
    *,
    learner,
    blueprint: Blueprint | None,
    extra_minutes: int = 0,
    time_multiplier: Decimal | float = 1,
    extra_attempts: int = 0,
    note: str = "",
    granted_by=None,
) -> Accommodation:
    """Grant extra time or attempts, for one exam or (blueprint None) all; moves
    the deadline of the learner's attempts in progress at once."""
    accommodation = Accommodation.objects.create(
        learner=learner,
        blueprint=blueprint,
        extra_minutes=extra_minutes,
        time_multiplier=Decimal(str(time_multiplier)),
        extra_attempts=extra_attempts,
        note=note,
        granted_by=granted_by,
    )
    attempts_reschedule(learner=learner)
    return accommodation


@transaction.atomic
def attempts_reschedule(*, learner) -> int:
    """Recompute the deadline of the learner's attempts in progress from their
    start and the accommodated time limit."""
    moved = 0
    open_attempts = Attempt.objects.select_for_update().filter(
        learner=learner, status=IN_PROGRESS
    )
    for attempt in open_attempts.select_related("blueprint"):
        limit = time_limit_seconds(blueprint=attempt.blueprint, learner=learner)
        deadline = attempt.started_at + timedelta(seconds=limit)
        if deadline != attempt.deadline:
            moved += Attempt.objects.filter(pk=attempt.pk, status=IN_PROGRESS).update(
                deadline=deadline
            )
    return moved
