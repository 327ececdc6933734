"""What a grading returns: per-line results, totals and code-level measures."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from grading.engine.schema import Section


class LineStatus(StrEnum):
    EXACT = "exact"
    PARTIAL = "partial"
    MISSING = "missing"
    OMITTED = "omitted"
    EXTRA = "extra"
    INVALID = "invalid"


class DifferenceKind(StrEnum):
    SPECIFICITY = "specificity"
    SEVENTH_CHARACTER = "seventh_character"
    AXIS = "axis"
    MODIFIER = "modifier"
    UNITS = "units"
    POINTER = "pointer"
    SEQUENCE = "sequence"
    INVALID = "invalid"
    DUPLICATE = "duplicate"
    LATERALITY = "laterality"
    ROOT_OPERATION = "root_operation"
    EM_LEVEL = "em_level"
    CODE_FAMILY = "code_family"
    BILATERAL = "bilateral"
    COMBINATION = "combination"
    POA = "poa"


@dataclass(frozen=True)
class Difference:
    """One way a given line differs from the key line it was matched with."""

    kind: DifferenceKind
    message: str
    expected: str = ""
    given: str = ""


@dataclass(frozen=True)
class Deduction:
    """Points taken off a line, the scoring-table row that set them, and why.

    A line's points are its maximum less its deductions; an extra line's maximum
    is 0, so its points are negative."""

    rule: str
    points: float
    reason: str


@dataclass(frozen=True)
class LineResult:
    """The outcome of one key line, or of one given line that matched none.

    Indices are 0-based positions in the key's or the response's section; codes
    are in display form (the given code as typed when it is not a valid code).
    """

    section: Section
    status: LineStatus
    points: float
    max_points: float
    message: str
    expected_index: int | None = None
    expected_code: str = ""
    given_index: int | None = None
    given_code: str = ""
    differences: tuple[Difference, ...] = ()
    validator_message: str = ""
    common_error: str = ""
    rationale: str = ""
    reference: str = ""
    deductions: tuple[Deduction, ...] = ()
    explanations: tuple[str, ...] = ()
    cc_mcc: str = ""


@dataclass(frozen=True)
class StatusCounts:
    exact: int = 0
    partial: int = 0
    missing: int = 0
    omitted: int = 0
    extra: int = 0
    invalid: int = 0


@dataclass(frozen=True)
class CodeMetrics:
    """Code-level agreement with the key, counting only exact codes (an alternative
    counts as the key's code). With nothing listed precision is 1, with nothing to
    find recall is 1: neither side made a mistake."""

    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        listed = self.true_positives + self.false_positives
        return self.true_positives / listed if listed else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def __add__(self, other: CodeMetrics) -> CodeMetrics:
        return CodeMetrics(
            self.true_positives + other.true_positives,
            self.false_positives + other.false_positives,
            self.false_negatives + other.false_negatives,
        )


@dataclass(frozen=True)
class Result:
    """A graded coding answer. `metrics` is keyed by code system (`icd10cm`,
    `icd10pcs`, `cpt_hcpcs`, for the sections either side used) and `overall`."""

    policy: str
    points: float
    max_points: float
    percentage: float
    lines: tuple[LineResult, ...]
    counts: StatusCounts
    metrics: dict[str, CodeMetrics]
    key_warnings: tuple[str, ...] = ()
    adjustments: tuple[Deduction, ...] = ()
    summary: str = ""


def _rounded(value: float) -> float:
    return round(value, 4)


def metrics_to_dict(metrics: CodeMetrics) -> dict[str, Any]:
    """Counts and rounded rates, JSON-ready."""
    return {
        "true_positives": metrics.true_positives,
        "false_positives": metrics.false_positives,
        "false_negatives": metrics.false_negatives,
        "precision": _rounded(metrics.precision),
        "recall": _rounded(metrics.recall),
        "f1": _rounded(metrics.f1),
    }


def line_to_dict(line: LineResult) -> dict[str, Any]:
    """One line result, JSON-ready."""
    return {
        "section": line.section.value,
        "status": line.status.value,
        "points": line.points,
        "max_points": line.max_points,
        "message": line.message,
        "expected_index": line.expected_index,
        "expected_code": line.expected_code,
        "given_index": line.given_index,
        "given_code": line.given_code,
        "differences": [
            {
                "kind": difference.kind.value,
                "message": difference.message,
                "expected": difference.expected,
                "given": difference.given,
            }
            for difference in line.differences
        ],
        "validator_message": line.validator_message,
        "common_error": line.common_error,
        "rationale": line.rationale,
        "reference": line.reference,
        "deductions": [deduction_to_dict(item) for item in line.deductions],
        "explanations": list(line.explanations),
        "cc_mcc": line.cc_mcc,
    }


def deduction_to_dict(deduction: Deduction) -> dict[str, Any]:
    return {
        "rule": deduction.rule,
        "points": deduction.points,
        "reason": deduction.reason,
    }


def result_to_dict(result: Result) -> dict[str, Any]:
    """A JSON-ready dict of `result` (see docs/grading.md for the shape)."""
    return {
        "policy": result.policy,
        "points": result.points,
        "max_points": result.max_points,
        "percentage": result.percentage,
        "counts": {
            status.value: getattr(result.counts, status.value) for status in LineStatus
        },
        "metrics": {
            system: metrics_to_dict(metrics)
            for system, metrics in result.metrics.items()
        },
        "key_warnings": list(result.key_warnings),
        "lines": [line_to_dict(line) for line in result.lines],
        "adjustments": [deduction_to_dict(item) for item in result.adjustments],
        "summary": result.summary,
    }
