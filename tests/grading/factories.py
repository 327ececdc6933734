"""Builders for grading tests: ledger rows recorded through the service."""

from certifications.models import Domain
from grading.models import GradedResponse
from grading.services import graded_response_record


def record(learner, *, attempt_ref="attempt-1", points=1.0, **overrides):
    """Record a practice-case row with sensible values; `overrides` replace them."""
    values = {
        "learner": learner,
        "source": GradedResponse.Source.PRACTICE_CASE,
        "item_type": "case_study",
        "item_id": "42",
        "item_title": "Knee injection with an E/M visit",
        "attempt_ref": attempt_ref,
        "domains": Domain.objects.filter(slug="cpc-surgery-20000"),
        "difficulty": "intermediate",
        "points": points,
        "max_points": 4.0,
        "status_counts": {"exact": 3, "partial": 1},
        "policy_name": "practice",
        "time_spent": 300,
        "key_revision": "r1",
        "response": {"diagnoses": [{"code": "M17.11"}]},
        "result": {"points": points},
    }
    return graded_response_record(**{**values, **overrides})
