"""Builders of graded responses for readiness tests, the benchmark and the demo:
ledger rows recorded through the grading service, as every app records them."""

from grading.engine import ChoiceResult
from grading.items import ItemRef, ItemType
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
    item_type: str = ItemType.EXAM_QUESTION,
    difficulty: str = "intermediate",
    source: str = GradedResponse.Source.EXAM_ITEM,
    title: str = "",
) -> GradedResponse:
    """Record one graded response in the ledger (idempotent on `attempt_ref`):
    `points` of `max_points` on the item `item_type`/`item_id`."""
    item = ItemRef.from_ledger(item_type, item_id)
    return graded_response_record(
        learner=learner,
        source=source,
        item=item,
        attempt_ref=attempt_ref,
        graded=ChoiceResult(
            points=points,
            max_points=max_points,
            correct=points >= max_points,
            policy="practice",
        ),
        response={},
        domains=domains,
        difficulty=difficulty,
        item_title=title or str(item),
    )
