"""The JSON shapes of the grading API, documented in /api/openapi.json."""

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from grading.models import GradedResponse
from grading.visibility import shown, withheld_reason


class TryIn(Schema):
    key: Any = Field(None, description="An answer key (see docs/grading.md)")
    response: Any = Field(None, description="A learner's answer to grade")
    policy: str = Field("practice", description="practice, exam, or a defined one")


class DifferenceOut(Schema):
    kind: str
    message: str
    expected: str
    given: str


class DeductionOut(Schema):
    rule: str = Field(description="The scoring-table row (docs/grading.md)")
    points: float = Field(description="Points taken off; negative adds back")
    reason: str


class LineOut(Schema):
    section: str
    status: str
    points: float
    max_points: float
    message: str
    expected_index: int | None
    expected_code: str
    given_index: int | None
    given_code: str
    differences: list[DifferenceOut]
    validator_message: str
    common_error: str
    rationale: str
    reference: str
    deductions: list[DeductionOut] = []
    explanations: list[str] = []
    cc_mcc: str = ""


class MetricsOut(Schema):
    true_positives: int
    false_positives: int
    false_negatives: int
    precision: float
    recall: float
    f1: float


class ResultOut(Schema):
    policy: str
    points: float
    max_points: float
    percentage: float
    counts: dict[str, int]
    metrics: dict[str, MetricsOut]
    key_warnings: list[str]
    lines: list[LineOut]
    adjustments: list[DeductionOut] = []
    summary: str = ""


class FieldErrorOut(Schema):
    field: str
    message: str


class InputErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut]


class MessageOut(Schema):
    detail: str


class PolicyOut(Schema):
    name: str
    description: str
    built_in: bool
    points_per_line: float
    points_per_choice_item: float
    icd10cm_same_subcategory: float
    icd10cm_same_category: float
    pcs_one_axis_wrong: float
    pcs_several_axes_wrong: float
    modifier_deduction: float
    units_deduction: float
    pointer_deduction: float
    sequence_deduction: float
    extra_line_penalty: float
    floor_at_zero: bool
    all_or_nothing: bool


class GradedResponseOut(Schema):
    """A ledger row as its learner may see it: while the source's rule withholds
    the feedback (an exam's review policy, an exam in progress that tests the
    item), `feedback_shown` is false, `withheld_reason` says why, and the points,
    counts and result are null."""

    id: int
    source: GradedResponse.Source
    item_type: str
    item_id: str
    item_title: str
    domains: list[str] = Field(description="Exam domain slugs")
    difficulty: str
    feedback_shown: bool
    withheld_reason: str
    points: float | None
    max_points: float | None
    percentage: float | None
    status_counts: dict[str, int] | None
    policy: str
    time_spent: int | None = Field(description="Seconds")
    graded_at: datetime
    regraded_count: int
    key_revision: str

    @staticmethod
    def resolve_domains(row: GradedResponse) -> list[str]:
        return [domain.slug for domain in row.domains.all()]

    @staticmethod
    def resolve_feedback_shown(row: GradedResponse) -> bool:
        return not withheld_reason(row)

    @staticmethod
    def resolve_withheld_reason(row: GradedResponse) -> str:
        return withheld_reason(row)

    @staticmethod
    def resolve_points(row: GradedResponse) -> float | None:
        return shown(row, "points")

    @staticmethod
    def resolve_max_points(row: GradedResponse) -> float | None:
        return shown(row, "max_points")

    @staticmethod
    def resolve_percentage(row: GradedResponse) -> float | None:
        return shown(row, "percentage")

    @staticmethod
    def resolve_status_counts(row: GradedResponse) -> dict | None:
        return shown(row, "status_counts")


class GradedResponseDetailOut(GradedResponseOut):
    response: dict[str, Any] = Field(description="The answer as the learner gave it")
    result: dict[str, Any] | None

    @staticmethod
    def resolve_result(row: GradedResponse) -> dict | None:
        return shown(row, "result")
