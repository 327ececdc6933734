"""JSON API of the exam flow: list exams, start or resume an attempt, read its
state (questions without keys, saved answers, the server's deadline and remaining
seconds), save one answer, flag, submit and read results.

Someone else's attempt answers 404 exactly like one that does not exist.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from core.api_errors import ErrorOut
from core.benchmarks import benchmark_only
from exams.errors import (
    EXAM_UNAVAILABLE,
    MAX_SEQUENCE,
    RESPONSE_TOO_LARGE,
    SEQUENCE_INVALID,
    ExamError,
)
from exams.models import Blueprint
from exams.selectors import (
    attempt_for_learner,
    attempt_outline,
    attempt_results,
    attempt_state,
    blueprints_for,
    remaining_seconds,
)
from exams.services import (
    MAX_RESPONSE_CHARS,
    attempt_finalise_if_expired,
    attempt_flag,
    attempt_save_answer,
    attempt_start,
    attempt_submit,
    attempt_time_out,
)
from exams.sessions import session_keep_until

router = Router(tags=["exams"])

# The JSON envelope of a save may hold a response of MAX_RESPONSE_CHARS and a little
# more; bodies above this are refused before anything is looked up.
MAX_BODY_BYTES = 4 * MAX_RESPONSE_CHARS


class AnswerIn(Schema):
    response: Any
    # Checked by the save service, so that a float, a string or a number out of
    # range gets its one clear 400 rather than a validation error per type.
    sequence: Any = Field(
        None,
        description=SEQUENCE_INVALID,
        json_schema_extra={"type": "integer", "minimum": 1, "maximum": MAX_SEQUENCE},
    )
    time_spent_seconds: int | None = None


class FlagIn(Schema):
    flagged: bool


class Saved(Schema):
    position: int
    saved_at: datetime | None
    flagged: bool
    remaining_seconds: int


def _call(action, *args, **kwargs):
    try:
        return action(*args, **kwargs)
    except ExamError as error:
        raise HttpError(error.status, error.message) from None


def _attempt_dict(attempt) -> dict:
    return {
        "id": attempt.pk,
        "number": attempt.number,
        "status": attempt.status,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "finished_at": attempt.finished_at,
        "remaining_seconds": remaining_seconds(attempt),
    }


@router.put("/ping", summary="A trivial authenticated write (the benchmark's ceiling)")
@benchmark_only
def ping(request: HttpRequest):
    return {"ok": True}


@router.get("/", summary="Exams the learner can take, with their attempts")
def exams_list(request: HttpRequest):
    return [
        {
            "slug": row["blueprint"].slug,
            "name": row["blueprint"].name,
            "certification": row["blueprint"].certification.slug,
            "time_limit_seconds": row["blueprint"].time_limit_seconds,
            "attempts_allowed": row["blueprint"].attempts_allowed,
            "attempts": [_attempt_dict(a) for a in row["attempts"]],
        }
        for row in blueprints_for(request.user)
    ]


@router.post(
    "/{slug}/attempts",
    summary="Start an attempt, or resume the open one: its outline and first question",
)
def attempts_start(request: HttpRequest, slug: str):
    blueprint = Blueprint.objects.offered().filter(slug=slug).first()
    if blueprint is None:
        raise HttpError(404, EXAM_UNAVAILABLE)
    attempt = _call(attempt_start, learner=request.user, blueprint=blueprint)
    session_keep_until(request, attempt.deadline)
    return attempt_outline(attempt)


@router.get("/attempts/{attempt_id}", summary="An attempt's state")
def attempts_state(request: HttpRequest, attempt_id: int):
    attempt = _call(attempt_for_learner, learner=request.user, attempt_id=attempt_id)
    attempt = attempt_finalise_if_expired(attempt=attempt)
    session_keep_until(request, attempt.deadline)
    return attempt_state(attempt)


@router.put(
    "/attempts/{attempt_id}/answers/{position}",
    response={200: Saved, 409: ErrorOut, 413: ErrorOut},
    summary="Save the answer to one question (replaces the previous one)",
)
def answers_save(request: HttpRequest, attempt_id: int, position: int, data: AnswerIn):
    if len(request.body) > MAX_BODY_BYTES:
        raise HttpError(413, RESPONSE_TOO_LARGE)
    return _call(
        attempt_save_answer,
        learner=request.user,
        attempt_id=attempt_id,
        position=position,
        response=data.response,
        sequence=data.sequence,
        time_spent_seconds=data.time_spent_seconds,
    )


@router.put(
    "/attempts/{attempt_id}/flags/{position}",
    response={200: Saved, 409: ErrorOut},
    summary="Flag or unflag a question for review",
)
def flags_set(request: HttpRequest, attempt_id: int, position: int, data: FlagIn):
    return _call(
        attempt_flag,
        learner=request.user,
        attempt_id=attempt_id,
        position=position,
        flagged=data.flagged,
    )


@router.post("/attempts/{attempt_id}/submit", summary="Submit (idempotent)")
def attempts_submit(request: HttpRequest, attempt_id: int):
    attempt = _call(attempt_submit, learner=request.user, attempt_id=attempt_id)
    return _attempt_dict(attempt)


@router.post(
    "/attempts/{attempt_id}/timeout",
    summary="The countdown reached zero: submit if the server's deadline has passed",
)
def attempts_time_out(request: HttpRequest, attempt_id: int):
    attempt = _call(attempt_time_out, learner=request.user, attempt_id=attempt_id)
    return _attempt_dict(attempt)


@router.get("/attempts/{attempt_id}/results", summary="Score and review")
def attempts_results(request: HttpRequest, attempt_id: int):
    attempt = _call(attempt_for_learner, learner=request.user, attempt_id=attempt_id)
    attempt = attempt_finalise_if_expired(attempt=attempt)
    results = attempt_results(attempt)
    results["state"] = attempt_state(attempt) if results["review_visible"] else None
    return results
