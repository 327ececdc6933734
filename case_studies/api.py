"""JSON API of the case library: published cases without their keys, and the
learner's own attempts. The key appears only in an attempt's graded feedback."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from case_studies import selectors
from case_studies.bundles import case_without_key
from case_studies.services import (
    ALREADY_SUBMITTED,
    AttemptError,
    attempt_start,
    attempt_submit,
)
from case_studies.visibility import attempt_feedback, practice_blocked
from core.api_errors import ErrorOut
from grading.services import GradingInputError

router = Router(tags=["cases"])

SUMMARY_FIELDS = (
    "slug",
    "title",
    "setting",
    "specialty",
    "difficulty",
    "estimated_minutes",
    "summary",
)


class AttemptIn(Schema):
    response: dict


def _case_summary(case) -> dict:
    return {
        "id": case.pk,
        **{name: getattr(case, name) for name in SUMMARY_FIELDS},
        "exams": [exam.slug for exam in case.exams.all()],
        "domains": [domain.slug for domain in case.domains.all()],
    }


def _attempt_dict(attempt, viewer) -> dict:
    result, withheld = attempt_feedback(attempt, viewer=viewer)
    return {
        "id": attempt.pk,
        "case": attempt.case_id,
        "started_at": attempt.started_at,
        "submitted_at": attempt.submitted_at,
        "time_spent": attempt.time_spent,
        "response": attempt.response,
        "result": result,
        "withheld_reason": withheld,
    }


@router.get("/", summary="Published cases (no answer keys)")
def list_cases(request: HttpRequest):
    return {"cases": [_case_summary(case) for case in selectors.published_cases()]}


@router.get("/attempts/{attempt_id}", summary="One of your submitted attempts")
def get_attempt(request: HttpRequest, attempt_id: int):
    attempt = selectors.submitted_attempt_for(request.user, attempt_id)
    return _attempt_dict(attempt, request.user)


@router.get("/{case_id}", summary="A published case's documentation (no key)")
def get_case(request: HttpRequest, case_id: int):
    case = selectors.case_by_id(case_id)
    return {
        "id": case.pk,
        **case_without_key(case),
        "date_of_service": case.date_of_service.isoformat(),
        "claim_setting": case.claim_setting,
    }


@router.post(
    "/{case_id}/attempts",
    response={200: dict, 409: ErrorOut},
    summary="Submit a coding answer for feedback",
)
def submit_attempt(request: HttpRequest, case_id: int, payload: AttemptIn):
    """Grade `response` (the grading engine's response JSON) and record it; the
    time spent counts from the learner's open attempt (opened in the browser)."""
    case = selectors.case_by_id(case_id)
    if reason := practice_blocked(request.user, case):
        raise HttpError(403, reason)
    attempt = attempt_start(learner=request.user, case=case)
    try:
        attempt = attempt_submit(attempt=attempt, response=payload.response)
    except AttemptError as error:
        raise HttpError(
            409 if error.message == ALREADY_SUBMITTED else 400, error.message
        ) from None
    except GradingInputError as error:
        detail = "; ".join(f"{path}: {message}" for path, message in error.errors)
        raise HttpError(400, detail) from None
    return _attempt_dict(attempt, request.user)
