"""Builders for grading tests: ledger rows recorded through the service."""

from certifications.models import Domain
from grading.engine import Result, StatusCounts
from grading.items import ItemRef
from grading.models import GradedResponse
from grading.services import graded_response_record


def coding_result(*, points=1.0, max_points=4.0, policy="practice") -> Result:
    """An engine result of a coding answer: 3 exact lines and 1 partial."""
    return Result(
        policy=policy,
        points=points,
        max_points=max_points,
        percentage=round(100 * points / max_points, 2) if max_points else 0.0,
        lines=(),
        counts=StatusCounts(exact=3, partial=1),
        metrics={},
    )


def record(learner, *, attempt_ref="attempt-1", points=1.0, max_points=4.0, **kw):
    """Record a practice-case row with sensible values; `kw` replace them."""
    values = {
        "learner": learner,
        "source": GradedResponse.Source.PRACTICE_CASE,
        "item": ItemRef.case_study(42),
        "item_title": "Knee injection with an E/M visit",
        "attempt_ref": attempt_ref,
        "graded": coding_result(points=points, max_points=max_points),
        "domains": Domain.objects.filter(slug="cpc-surgery-20000"),
        "difficulty": "intermediate",
        "time_spent": 300,
        "key_revision": "r1",
        "response": {"diagnoses": [{"code": "M17.11"}]},
    }
    return graded_response_record(**{**values, **kw})
