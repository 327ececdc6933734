"""Builders of graded responses for readiness tests, the benchmark and the demo:
ledger rows recorded through the grading service, as every app records them."""

from grading.models import GradedResponse
from grading.services import graded_response_record


def practice_response(
    learner,
    *,
    attempt_ref: str,
    domains,
    points: float,
    max_points: float = 1.0,
    item_id: str = "1",
    item_type: str = "exam_question",
    difficulty: str = "intermediate",
    source: str = GradedResponse.Source.EXAM_ITEM,
    title: str = "",
) -> GradedResponse:
    """Record one graded response in the ledger (idempotent on `attempt_ref`)."""
    return graded_response_record(
        learner=learner,
        source=source,
        item_type=item_type,
        item_id=item_id,
        item_title=title or f"{item_type} {item_id}",
        attempt_ref=attempt_ref,
        domains=domains,
        difficulty=difficulty,
        points=points,
        max_points=max_points,
        status_counts={},
        policy_name="practice",
        time_spent=None,
        key_revision="",
        response={},
        result={},
    )
