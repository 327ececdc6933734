"""Factories of graded responses for tests and benchmarks. Each builds the keyword
arguments of `graded_response_record` and records the row through it, as every app
records its answers: validated, idempotent on `attempt_ref`, and announced by the
`response_graded` signal after commit."""

import factory

from certifications.models import Domain
from grading.engine import ChoiceResult, Result, StatusCounts
from grading.items import ItemRef, ItemType
from grading.models import GradedResponse
from grading.services import graded_response_record


def coding_result(*, points=1.0, max_points=4.0, policy="practice") -> Result:
    """An engine result of a coding answer: 3 lines exact and 1 partial."""
    return Result(
        policy=policy,
        points=points,
        max_points=max_points,
        percentage=round(100 * points / max_points, 2) if max_points else 0.0,
        lines=(),
        counts=StatusCounts(exact=3, partial=1),
        metrics={},
    )


class GradedResponseFactory(factory.Factory):
    """A practice case coded for `points` of 4 (`learner` is required); any other
    argument of `graded_response_record` can be given."""

    class Meta:
        model = GradedResponse

    class Params:
        points = 1.0
        max_points = 4.0
        item_type = ItemType.CASE_STUDY
        item_id = "42"

    source = GradedResponse.Source.PRACTICE_CASE
    item = factory.LazyAttribute(
        lambda row: ItemRef.from_ledger(row.item_type, row.item_id)
    )
    item_title = "Knee injection with an E/M visit"
    attempt_ref = "attempt-1"
    graded = factory.LazyAttribute(
        lambda row: coding_result(points=row.points, max_points=row.max_points)
    )
    response = factory.Dict({"diagnoses": [{"code": "M17.11"}]})
    domains = factory.LazyFunction(
        lambda: Domain.objects.filter(slug="cpc-surgery-20000")
    )
    difficulty = "intermediate"
    time_spent = 300
    key_revision = "r1"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return graded_response_record(**kwargs)


class ExamItemResponseFactory(GradedResponseFactory):
    """A choice question of a mock exam answered for `points` of 1, as readiness
    reads the ledger; `item_type` and `item_id` name another item."""

    class Params:
        max_points = 1.0
        item_type = ItemType.EXAM_QUESTION
        item_id = "1"

    source = GradedResponse.Source.EXAM_ITEM
    item_title = factory.LazyAttribute(lambda row: str(row.item))
    graded = factory.LazyAttribute(
        lambda row: ChoiceResult(
            points=row.points,
            max_points=row.max_points,
            correct=row.points >= row.max_points,
            policy="practice",
        )
    )
    response = factory.Dict({})
    time_spent = None
    key_revision = ""
