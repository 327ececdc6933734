"""How close one given line comes to one key line, section by section.

Each `compare_*` returns None when the two lines are unrelated, else the share of
the line's points earned and the differences to tell the learner about.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from codesets.formats import PCS_AXES, CodeSystem, display_form
from grading.engine.policy import ScoringPolicy
from grading.engine.result import Difference, DifferenceKind
from grading.engine.schema import GivenLine, KeyLine, Section

CATEGORY_LENGTH = 3
PCS_FIXED_AXES = 3
PCS_LENGTH = len(PCS_AXES)
SUBCATEGORY_LENGTH = 4
ICD10CM_SEVENTH = 7
EXACT_CLOSENESS = 8


@dataclass(frozen=True)
class Comparison:
    """`credit` is the share (0 to 1) of the line's points before the sequence
    check; `closeness` breaks ties between equally credited pairings;
    `matched_code` is the key code (main or alternative) the line was held
    against."""

    credit: float
    closeness: int
    matched_code: str
    differences: tuple[Difference, ...] = ()


@dataclass(frozen=True)
class PointerContext:
    """What service-line pointers are compared through: the diagnosis codes of both
    documents (display form) and which key diagnosis each given one was matched
    with."""

    key_diagnoses: tuple[str, ...]
    given_diagnoses: tuple[str, ...]
    key_index_of_given: Mapping[int, int]


def candidate_bucket(section: Section, code: str) -> str:
    """Codes in different buckets can never be compared with any credit, so only
    pairs in the same bucket are examined."""
    if section is Section.SERVICE_LINES:
        return code
    return code[:CATEGORY_LENGTH]


def _shared_prefix_length(first: str, second: str) -> int:
    length = 0
    for left, right in zip(first, second, strict=False):
        if left != right:
            break
        length += 1
    return length


def _cm(code: str) -> str:
    return display_form(CodeSystem.ICD10CM, code)


def _specificity_difference(expected: str, given: str, shared: int) -> Difference:
    if len(expected) == len(given) == ICD10CM_SEVENTH and shared == ICD10CM_SEVENTH - 1:
        return Difference(
            DifferenceKind.SEVENTH_CHARACTER,
            f"The 7th character is wrong: the key has {_cm(expected)} "
            f"(7th character {expected[-1]}), you gave {given[-1]}.",
            expected[-1],
            given[-1],
        )
    if expected.startswith(given):
        message = f"{_cm(given)} is not specific enough: the key has {_cm(expected)}."
    elif given.startswith(expected):
        message = f"{_cm(given)} is more specific than the key's {_cm(expected)}."
    else:
        level = "subcategory" if shared >= SUBCATEGORY_LENGTH else "category"
        message = (
            f"{_cm(given)} is in the right {level} ({_cm(expected[:shared])}) but is "
            f"not the right code: the key has {_cm(expected)}."
        )
    return Difference(DifferenceKind.SPECIFICITY, message, _cm(expected), _cm(given))


def compare_diagnosis(
    line: KeyLine, code: str, policy: ScoringPolicy
) -> Comparison | None:
    """Right code, or right subcategory, or right category (ICD-10-CM)."""
    if code in line.codes:
        return Comparison(1.0, EXACT_CLOSENESS, code)
    shared, expected = max(
        (_shared_prefix_length(code, candidate), candidate) for candidate in line.codes
    )
    if shared < CATEGORY_LENGTH:
        return None
    credit = (
        policy.icd10cm_same_subcategory
        if shared >= SUBCATEGORY_LENGTH
        else policy.icd10cm_same_category
    )
    difference = _specificity_difference(expected, code, shared)
    return Comparison(credit, shared, expected, (difference,))


def compare_procedure(
    line: KeyLine, code: str, policy: ScoringPolicy
) -> Comparison | None:
    """Right code, or right section, body system and root operation (ICD-10-PCS)."""
    if code in line.codes:
        return Comparison(1.0, EXACT_CLOSENESS, code)
    best: tuple[int, str] | None = None
    for candidate in line.codes:
        if candidate[:PCS_FIXED_AXES] != code[:PCS_FIXED_AXES]:
            continue
        wrong_axes = sum(
            1
            for position in range(PCS_FIXED_AXES, PCS_LENGTH)
            if candidate[position] != code[position]
        )
        if best is None or wrong_axes < best[0]:
            best = (wrong_axes, candidate)
    if best is None:
        return None
    wrong_axes, expected = best
    differences = tuple(
        Difference(
            DifferenceKind.AXIS,
            f"Character {position + 1} ({PCS_AXES[position]}): "
            f"expected {expected[position]}, given {code[position]}.",
            expected[position],
            code[position],
        )
        for position in range(PCS_FIXED_AXES, PCS_LENGTH)
        if expected[position] != code[position]
    )
    credit = (
        policy.pcs_one_axis_wrong if wrong_axes == 1 else policy.pcs_several_axes_wrong
    )
    return Comparison(credit, PCS_LENGTH - wrong_axes, expected, differences)


def _modifier_differences(line: KeyLine, given: GivenLine) -> list[Difference]:
    differences = [
        Difference(
            DifferenceKind.MODIFIER, f"Modifier {modifier} is missing.", modifier
        )
        for modifier in line.modifiers
        if modifier not in given.modifiers
    ]
    differences += [
        Difference(
            DifferenceKind.MODIFIER,
            f"Modifier {modifier} does not belong on this line.",
            given=modifier,
        )
        for modifier in dict.fromkeys(given.modifiers)
        if modifier not in line.modifiers
    ]
    return differences


def _pointer_differences(
    line: KeyLine, given: GivenLine, context: PointerContext
) -> list[Difference]:
    expected = {pointer - 1 for pointer in line.pointers}
    pointed = {
        pointer: context.key_index_of_given.get(pointer - 1)
        for pointer in given.pointers
    }
    differences = [
        Difference(
            DifferenceKind.POINTER,
            f"This line should also point to {context.key_diagnoses[index]}.",
            expected=context.key_diagnoses[index],
        )
        for index in sorted(expected - set(pointed.values()))
    ]
    for pointer, key_index in pointed.items():
        if key_index in expected:
            continue
        given_code = context.given_diagnoses[pointer - 1]
        reason = (
            "which is not a diagnosis in the key"
            if key_index is None
            else "which the key does not link to this service"
        )
        differences.append(
            Difference(
                DifferenceKind.POINTER,
                f"Pointer {pointer} points to {given_code}, {reason}.",
                given=given_code,
            )
        )
    return differences


def compare_service_line(
    line: KeyLine,
    given: GivenLine,
    code: str,
    policy: ScoringPolicy,
    context: PointerContext,
) -> Comparison | None:
    """Right CPT/HCPCS code, then modifiers (in any order), units and pointers.

    Pointers are compared by the diagnoses they reach, and only when the key
    line lists some.
    """
    if code not in line.codes:
        return None
    checks = (
        (_modifier_differences(line, given), policy.modifier_deduction),
        (
            [
                Difference(
                    DifferenceKind.UNITS,
                    f"Units: the key has {line.units}, you gave {given.units}.",
                    str(line.units),
                    str(given.units),
                )
            ]
            if given.units != line.units
            else [],
            policy.units_deduction,
        ),
        (
            _pointer_differences(line, given, context) if line.pointers else [],
            policy.pointer_deduction,
        ),
    )
    credit = 1.0 - sum(deduction for differences, deduction in checks if differences)
    differences = tuple(difference for found, _ in checks for difference in found)
    closeness = sum(1 for found, _ in checks if not found)
    return Comparison(max(0.0, credit), closeness, code, differences)
