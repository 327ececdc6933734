"""Scoring policies: the weights and penalties of a grading, as plain data.

Instructors define their own with `policy_from_dict`; `POLICIES` holds the two
shipped ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from grading.engine.schema import (
    MUST_BE_BOOLEAN,
    MUST_BE_OBJECT,
    MUST_BE_STRING,
    MUST_NOT_BE_EMPTY,
    REQUIRED,
    UNKNOWN_FIELD,
    SchemaError,
)

MUST_BE_NUMBER = "must be a number"
MUST_BE_FRACTION = "must be between 0 and 1"
MUST_BE_POSITIVE = "must be greater than 0"
MUST_NOT_BE_NEGATIVE = "must not be negative"
CLOSER_EARNS_MORE = (
    "must not be more than {closer} (a closer match earns at least as much)"
)


@dataclass(frozen=True)
class ScoringPolicy:
    """How many points a coding answer earns.

    Fractions are shares of a line's points. Partial credit: `icd10cm_*` for a
    diagnosis in the right subcategory or only the right category, `pcs_*` for a
    procedure with the right section, body system and root operation but one or
    several later axes wrong. Deductions come off a service line with the right
    code for wrong modifiers, units or pointers, and off the principal (or
    first-listed) line when it is not first. `extra_line_penalty` is in points, per
    extra or invalid line. With `all_or_nothing` an item earns full marks only when
    every line is exact and nothing is extra or invalid; the fractions still decide
    matching and feedback.
    """

    name: str
    description: str = ""
    points_per_line: float = 1.0
    points_per_choice_item: float = 1.0
    icd10cm_same_subcategory: float = 0.5
    icd10cm_same_category: float = 0.25
    pcs_one_axis_wrong: float = 0.5
    pcs_several_axes_wrong: float = 0.25
    modifier_deduction: float = 0.25
    units_deduction: float = 0.25
    pointer_deduction: float = 0.25
    sequence_deduction: float = 0.25
    extra_line_penalty: float = 0.5
    floor_at_zero: bool = True
    all_or_nothing: bool = False

    def __post_init__(self) -> None:
        problems = policy_problems(self)
        if problems:
            raise SchemaError(problems)


_POSITIVE = ("points_per_line", "points_per_choice_item")
_NON_NEGATIVE = ("extra_line_penalty",)
_FRACTIONS = (
    "icd10cm_same_subcategory",
    "icd10cm_same_category",
    "pcs_one_axis_wrong",
    "pcs_several_axes_wrong",
    "modifier_deduction",
    "units_deduction",
    "pointer_deduction",
    "sequence_deduction",
)
_FLAGS = ("floor_at_zero", "all_or_nothing")
_TEXTS = ("name", "description")
_CLOSER_FIRST = (
    ("icd10cm_same_subcategory", "icd10cm_same_category"),
    ("pcs_one_axis_wrong", "pcs_several_axes_wrong"),
)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def policy_problems(policy: ScoringPolicy) -> list[tuple[str, str]]:
    """Every (field, message) that makes `policy` unusable; empty when it is fine."""
    problems = []
    for name in _TEXTS:
        if not isinstance(getattr(policy, name), str):
            problems.append((name, MUST_BE_STRING))
    if isinstance(policy.name, str) and not policy.name.strip():
        problems.append(("name", MUST_NOT_BE_EMPTY))
    for name in _FLAGS:
        if not isinstance(getattr(policy, name), bool):
            problems.append((name, MUST_BE_BOOLEAN))
    for names, accepts, message in (
        (_POSITIVE, lambda value: value > 0, MUST_BE_POSITIVE),
        (_NON_NEGATIVE, lambda value: value >= 0, MUST_NOT_BE_NEGATIVE),
        (_FRACTIONS, lambda value: 0 <= value <= 1, MUST_BE_FRACTION),
    ):
        for name in names:
            value = getattr(policy, name)
            if not _is_number(value):
                problems.append((name, MUST_BE_NUMBER))
            elif not accepts(value):
                problems.append((name, message))
    if not problems:
        for closer, farther in _CLOSER_FIRST:
            if getattr(policy, farther) > getattr(policy, closer):
                problems.append((farther, CLOSER_EARNS_MORE.format(closer=closer)))
    return problems


def policy_from_dict(data: Any) -> ScoringPolicy:
    """Build a policy from decoded JSON; fields left out take the practice values.

    Raises `SchemaError` naming every bad field.
    """
    if not isinstance(data, Mapping):
        raise SchemaError([("policy", MUST_BE_OBJECT)])
    known = {field.name for field in fields(ScoringPolicy)}
    problems = [(str(name), UNKNOWN_FIELD) for name in data if name not in known]
    if "name" not in data:
        problems.append(("name", REQUIRED))
    if problems:
        raise SchemaError(problems)
    return ScoringPolicy(**data)


def policy_to_dict(policy: ScoringPolicy) -> dict[str, Any]:
    """The JSON form of a policy; `policy_from_dict` reads it back."""
    return asdict(policy)


PRACTICE = ScoringPolicy(
    name="practice",
    description=(
        "Partial credit for near misses; extra or invalid codes cost half a line; "
        "the total never goes below zero."
    ),
)
EXAM = ScoringPolicy(
    name="exam",
    description=(
        "All or nothing, as certification exams score: full marks only when every "
        "required line is exact and nothing extra or invalid is listed."
    ),
    extra_line_penalty=0.0,
    all_or_nothing=True,
)
POLICIES: Mapping[str, ScoringPolicy] = {
    policy.name: policy for policy in (PRACTICE, EXAM)
}
