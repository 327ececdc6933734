"""How close one given line comes to one key line, section by section.

Each `compare_*` returns None when the two lines are unrelated, else the share of
the line's points earned, the differences to tell the learner about and the
charges (scoring-table rows) that took the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from codeformats import PCS_AXES, CodeSystem, display_form, is_em
from grading.engine.poa import poa_exempt
from grading.engine.result import Difference, DifferenceKind
from grading.engine.schema import GivenLine, KeyLine, Poa, Section

CATEGORY_LENGTH = 3
PCS_BUCKET_LENGTH = 2
PCS_ROOT_OPERATION = 2
PCS_BODY_PART = 3
PCS_LENGTH = len(PCS_AXES)
PCS_AXIS_ROWS = {
    2: "pcs_root_operation",
    3: "pcs_body_part",
    4: "pcs_approach",
    5: "pcs_device",
    6: "pcs_qualifier",
}
SUBCATEGORY_LENGTH = 4
SERVICE_FAMILY_LENGTH = 4
ICD10CM_SEVENTH = 7
EXACT_CLOSENESS = 8
MOST_EM_LEVELS = 3
TENFOLD = 10
PAYMENT_MODIFIERS = frozenset(
    {"25", "59", "XE", "XP", "XS", "XU", "50", "26", "TC", "LT", "RT"}
    | {"24", "57", "58", "76", "77", "78", "79", "91"}
)
# Combination categories and the category of the part a learner codes instead:
# hypertension with heart disease, chronic kidney disease or both presumes the
# causal link (ICD-10-CM Official Guidelines I.C.9.a), so I10 for I11-I13 is one
# root cause, not a missing and an extra line.
COMBINATION_PARTS = {"I11": "I10", "I12": "I10", "I13": "I10"}
_SIDE_WORDS = re.compile(r"\b(bilateral|right|left|unilateral)\b", re.IGNORECASE)

Costs = Mapping[str, float]
Describe = Callable[[str], str]


@dataclass(frozen=True)
class Charge:
    """A share of a line's points taken off, the table row, and why."""

    rule: str
    share: float
    reason: str


@dataclass(frozen=True)
class Comparison:
    """`credit` is the share (0 to 1) of the line's points before the sequence
    check, 1 less the charges; `closeness` breaks ties between equally credited
    pairings; `matched_code` is the key code (main or alternative) the line was
    held against."""

    credit: float
    closeness: int
    matched_code: str
    differences: tuple[Difference, ...] = ()
    charges: tuple[Charge, ...] = ()


@dataclass(frozen=True)
class PointerContext:
    """What service-line pointers are compared through: the diagnosis codes of both
    documents (display form), which key diagnosis each given one was matched
    with, and which key diagnoses nothing matched."""

    key_diagnoses: tuple[str, ...]
    given_diagnoses: tuple[str, ...]
    key_index_of_given: Mapping[int, int]
    unmatched_key: frozenset[int] = frozenset()
    link_share_cap: Mapping[int, float] = field(default_factory=dict)


def candidate_bucket(section: Section, code: str) -> str:
    """Codes in different buckets can never be compared with any credit, so only
    pairs in the same bucket are examined."""
    if section is Section.SERVICE_LINES:
        return code[:SERVICE_FAMILY_LENGTH]
    if section is Section.PROCEDURES:
        return code[:PCS_BUCKET_LENGTH]
    category = code[:CATEGORY_LENGTH]
    return COMBINATION_PARTS.get(category, category)


def capped(charges: list[Charge], most: float = 1.0) -> tuple[Charge, ...]:
    """The charges, the later ones trimmed so that together they take at most
    `most` of the line: a matched line never earns less than nothing."""
    kept, left = [], most
    for charge in charges:
        share = min(charge.share, max(0.0, left))
        left -= share
        if charge.share == 0 or share > 0:
            kept.append(Charge(charge.rule, share, charge.reason))
    return tuple(kept)


def credit_after(charges: tuple[Charge, ...]) -> float:
    return max(0.0, 1.0 - sum(charge.share for charge in charges))


def _shared_prefix_length(first: str, second: str) -> int:
    length = 0
    for left, right in zip(first, second, strict=False):
        if left != right:
            break
        length += 1
    return length


def _cm(code: str) -> str:
    return display_form(CodeSystem.ICD10CM, code)


def side_of(description: str) -> str:
    """ "right", "left" or "bilateral" when a description names one side only."""
    found = {word.lower() for word in _SIDE_WORDS.findall(description)}
    found.discard("unilateral")
    return found.pop() if len(found) == 1 else ""


def _without_side(description: str) -> str:
    return _SIDE_WORDS.sub("", description.lower()).strip()


def is_other_side(expected: str, given: str, describe: Describe) -> bool:
    """Two codes that say the same but for the side (M17.11 and M17.12)."""
    first, second = describe(expected), describe(given)
    sides = side_of(first), side_of(second)
    return (
        all(sides)
        and sides[0] != sides[1]
        and _without_side(first) == _without_side(second)
    )


def _specificity(
    expected: str, given: str, shared: int, describe: Describe
) -> tuple[Difference, str]:
    """The difference to show and the table row to charge."""
    if len(expected) == len(given) == ICD10CM_SEVENTH and shared == ICD10CM_SEVENTH - 1:
        return (
            Difference(
                DifferenceKind.SEVENTH_CHARACTER,
                f"The 7th character is wrong: the key has {_cm(expected)} "
                f"(7th character {expected[-1]}), you gave {given[-1]}.",
                expected[-1],
                given[-1],
            ),
            "icd10cm_seventh_character",
        )
    if is_other_side(expected, given, describe):
        return (
            Difference(
                DifferenceKind.LATERALITY,
                f"{_cm(given)} is the {side_of(describe(given))} side; the record "
                f"and the key have the {side_of(describe(expected))} "
                f"({_cm(expected)}).",
                _cm(expected),
                _cm(given),
            ),
            "icd10cm_laterality",
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
    row = (
        "icd10cm_same_subcategory"
        if shared >= SUBCATEGORY_LENGTH
        else "icd10cm_same_category"
    )
    difference = Difference(
        DifferenceKind.SPECIFICITY, message, _cm(expected), _cm(given)
    )
    return difference, row


def _poa_check(
    line: KeyLine, given: GivenLine, code: str, costs: Costs
) -> tuple[list[Difference], list[Charge]]:
    """Present-on-admission indicators, graded only where the key gives one."""
    if not line.poa or not (costs["poa_wrong"] or costs["poa_missing"]):
        return [], []
    exempt = line.poa == Poa.EXEMPT or poa_exempt(code)
    if exempt:
        if given.poa in ("", Poa.EXEMPT):
            return [], []
        message = (
            f"{_cm(code)} is exempt from POA reporting: leave the indicator blank "
            f"(or 1), not {given.poa}."
        )
        return [Difference(DifferenceKind.POA, message, "", given.poa)], []
    if not given.poa:
        message = (
            f"POA indicator missing: the key has {line.poa} for {_cm(code)}; a blank "
            f"indicator is returned and paid as N."
        )
        difference = Difference(DifferenceKind.POA, message, line.poa, "")
        return [difference], [Charge("poa_missing", costs["poa_missing"], message)]
    if given.poa == line.poa:
        return [], []
    message = f"POA indicator: the key has {line.poa}, you gave {given.poa}."
    difference = Difference(DifferenceKind.POA, message, line.poa, given.poa)
    return [difference], [Charge("poa_wrong", costs["poa_wrong"], message)]


def compare_diagnosis(
    line: KeyLine, given: GivenLine, code: str, costs: Costs, describe: Describe
) -> Comparison | None:
    """Right code, or right subcategory, or right category (ICD-10-CM), then the
    POA indicator."""
    if code in line.codes:
        differences, charges = _poa_check(line, given, code, costs)
        found = capped(charges)
        return Comparison(
            credit_after(found), EXACT_CLOSENESS, code, tuple(differences), found
        )
    shared, expected = max(
        (_shared_prefix_length(code, candidate), candidate) for candidate in line.codes
    )
    if shared < CATEGORY_LENGTH:
        return _combination(line, given, code, costs)
    difference, row = _specificity(expected, code, shared, describe)
    differences, charges = _poa_check(line, given, expected, costs)
    found = capped([Charge(row, costs[row], difference.message), *charges])
    return Comparison(
        credit_after(found), shared, expected, (difference, *differences), found
    )


def _combination_message(expected: str, code: str) -> str:
    first, second = expected[:CATEGORY_LENGTH], code[:CATEGORY_LENGTH]
    if COMBINATION_PARTS.get(first) == second:
        return (
            f"{_cm(code)} is part of the combination {_cm(expected)}: the record "
            f"links the conditions, so one combination code says both (ICD-10-CM "
            f"Official Guidelines I.B.9, I.C.9.a)."
        )
    if COMBINATION_PARTS.get(second) == first:
        return (
            f"{_cm(code)} is a combination code, but the key has only "
            f"{_cm(expected)}: the record does not support the combination."
        )
    return ""


def _combination(
    line: KeyLine, given: GivenLine, code: str, costs: Costs
) -> Comparison | None:
    """A combination code coded as its part, or the part as the combination, against
    the line's code or any of its alternatives."""
    for expected in line.codes:
        message = _combination_message(expected, code)
        if message:
            break
    else:
        return None
    difference = Difference(
        DifferenceKind.COMBINATION, message, _cm(expected), _cm(code)
    )
    differences, charges = _poa_check(line, given, expected, costs)
    found = capped(
        [Charge("icd10cm_combination", costs["icd10cm_combination"], message), *charges]
    )
    return Comparison(
        credit_after(found), 1, expected, (difference, *differences), found
    )


def compare_procedure(line: KeyLine, code: str, costs: Costs) -> Comparison | None:
    """Right code, or a near miss (ICD-10-PCS): the same section and body system
    and either the same root operation or the same body part, each wrong axis
    charged by its row."""
    if code in line.codes:
        return Comparison(1.0, EXACT_CLOSENESS, code)
    best: tuple[float, str] | None = None
    for candidate in line.codes:
        if candidate[:PCS_BUCKET_LENGTH] != code[:PCS_BUCKET_LENGTH]:
            continue
        if (
            candidate[PCS_ROOT_OPERATION] != code[PCS_ROOT_OPERATION]
            and candidate[PCS_BODY_PART] != code[PCS_BODY_PART]
        ):
            continue
        cost = sum(
            costs[row]
            for position, row in PCS_AXIS_ROWS.items()
            if candidate[position] != code[position]
        )
        if best is None or cost < best[0]:
            best = (cost, candidate)
    if best is None:
        return None
    _, expected = best
    differences, charges = [], []
    for position, row in PCS_AXIS_ROWS.items():
        if expected[position] == code[position]:
            continue
        kind = (
            DifferenceKind.ROOT_OPERATION
            if position == PCS_ROOT_OPERATION
            else DifferenceKind.AXIS
        )
        message = (
            f"Character {position + 1} ({PCS_AXES[position]}): "
            f"expected {expected[position]}, given {code[position]}."
        )
        differences.append(
            Difference(kind, message, expected[position], code[position])
        )
        charges.append(Charge(row, costs[row], message))
    found = capped(charges, 1.0 - costs["pcs_least_credit"])
    wrong_axes = len(differences)
    return Comparison(
        credit_after(found),
        PCS_LENGTH - wrong_axes,
        expected,
        tuple(differences),
        found,
    )


def _nearest_key_code(line: KeyLine, code: str) -> str | None:
    """The key's code or alternative in the given code's family, the nearest E/M
    level first; None when the family is not the key's."""
    same_family = [
        expected
        for expected in line.codes
        if code[:SERVICE_FAMILY_LENGTH] == expected[:SERVICE_FAMILY_LENGTH]
    ]
    if not same_family:
        return None
    return min(same_family, key=lambda expected: _em_levels_apart(code, expected))


def _em_levels_apart(code: str, expected: str) -> int:
    if is_em(code) and is_em(expected):
        return min(MOST_EM_LEVELS, abs(int(code[-1]) - int(expected[-1])))
    return MOST_EM_LEVELS


def _code_charges(line: KeyLine, code: str, costs: Costs) -> list[Charge] | None:
    """How far the service code is from the key's: None when unrelated."""
    if code in line.codes:
        return []
    expected = _nearest_key_code(line, code)
    if expected is None:
        return None
    if is_em(code) and is_em(expected):
        levels = _em_levels_apart(code, expected)
        direction = "low" if code < expected else "high"
        message = (
            f"E/M level: {code} is {levels} {'level' if levels == 1 else 'levels'} "
            f"{direction}; the key has {expected}."
        )
        return [Charge("em_level", costs["em_level"] * levels, message)]
    message = f"{code} is in the right code family but the key has {expected}."
    return [Charge("cpt_same_family", costs["cpt_same_family"], message)]


def _code_difference(line: KeyLine, code: str) -> list[Difference]:
    if code in line.codes:
        return []
    expected = _nearest_key_code(line, code) or line.code
    if is_em(code) and is_em(expected):
        kind = DifferenceKind.EM_LEVEL
        message = f"E/M level: the key has {expected}, you gave {code}."
    else:
        kind = DifferenceKind.CODE_FAMILY
        message = f"Same code family: the key has {expected}, you gave {code}."
    return [Difference(kind, message, expected, code)]


def _modifier_differences(
    expected: tuple[str, ...], given: GivenLine
) -> list[Difference]:
    differences = [
        Difference(
            DifferenceKind.MODIFIER, f"Modifier {modifier} is missing.", modifier
        )
        for modifier in expected
        if modifier not in given.modifiers
    ]
    differences += [
        Difference(
            DifferenceKind.MODIFIER,
            f"Modifier {modifier} does not belong on this line.",
            given=modifier,
        )
        for modifier in dict.fromkeys(given.modifiers)
        if modifier not in expected
    ]
    return differences


def _nearest_modifier_set(
    line: KeyLine, given: GivenLine, costs: Costs
) -> tuple[list[Difference], list[Charge]]:
    """The modifier differences and charges against the accepted set (the key's
    or an alternative) that costs the answer least, so that an accepted set is
    exact and a near miss of one is charged once; ties go to the key's own."""
    best = None
    for expected in line.modifier_sets:
        differences = _modifier_differences(expected, given)
        charges = _modifier_charges(differences, costs)
        cost = (sum(charge.share for charge in charges), len(differences))
        if best is None or cost < best[0]:
            best = (cost, differences, charges)
    return best[1], best[2]


def _modifier_charges(differences: list[Difference], costs: Costs) -> list[Charge]:
    """One charge per class of modifier: a payment modifier wrong decides whether
    the line is paid; informational ones do not."""
    payment = [
        item.message
        for item in differences
        if (item.expected or item.given) in PAYMENT_MODIFIERS
    ]
    informational = [
        item.message
        for item in differences
        if (item.expected or item.given) not in PAYMENT_MODIFIERS
    ]
    charges = []
    if payment:
        reason = " ".join(payment) + " This modifier decides payment."
        charges.append(Charge("modifier_payment", costs["modifier_payment"], reason))
    if informational:
        charges.append(
            Charge(
                "modifier_informational",
                costs["modifier_informational"],
                " ".join(informational),
            )
        )
    return charges


def units_charge(expected: int, given: int, mue: int, costs: Costs) -> Charge | None:
    """Units charged by how far off they are, and all the line when they pass the
    code's MUE (which the key's units do not)."""
    if given == expected:
        return None
    if mue and given > mue >= expected:
        return Charge(
            "units_over_mue",
            costs["units_over_mue"],
            f"Units: {given} is over the MUE of {mue} for this code, so the whole "
            f"line is denied; the key has {expected}.",
        )
    ratio = max(given, expected) / min(given, expected)
    if ratio >= TENFOLD:
        row, size = "units_tenfold", "tenfold or more"
    elif abs(given - expected) / expected > 0.5:
        row, size = "units_large", "by more than half"
    else:
        row, size = "units_small", "by at most half"
    message = f"Units: the key has {expected}, you gave {given} (off {size})."
    return Charge(row, costs[row], message)


def _pointer_check(
    line: KeyLine, given: GivenLine, context: PointerContext, costs: Costs
) -> tuple[list[Difference], list[Charge]]:
    """Pointers compared by the diagnoses they reach. A pointer that differs only
    because a diagnosis is missing or extra follows from a mistake charged on
    that diagnosis, and is not charged again; pointing to fewer of the key's
    diagnoses, the first among them, is a valid claim."""
    expected = {pointer - 1 for pointer in line.pointers}
    pointed = {
        pointer: context.key_index_of_given.get(pointer - 1)
        for pointer in given.pointers
    }
    reached = {index for index in pointed.values() if index is not None}
    differences, charged, charged_indices = [], [], []
    for index in sorted(expected - reached):
        code = context.key_diagnoses[index]
        if index in context.unmatched_key:
            message = (
                f"This line should also point to {code}, charged once as a "
                f"missing diagnosis."
            )
        else:
            message = f"This line should also point to {code}."
            charged.append(message)
            charged_indices.append(index)
        differences.append(Difference(DifferenceKind.POINTER, message, expected=code))
    wrong = []
    for pointer, key_index in pointed.items():
        if key_index in expected:
            continue
        given_code = context.given_diagnoses[pointer - 1]
        if key_index is None:
            message = (
                f"Pointer {pointer} points to {given_code}, which is not a diagnosis "
                f"in the key (charged on that diagnosis)."
            )
        else:
            message = (
                f"Pointer {pointer} points to {given_code}, which the key does not "
                f"link to this service."
            )
            wrong.append(message)
        differences.append(
            Difference(DifferenceKind.POINTER, message, given=given_code)
        )
    if wrong:
        return differences, [Charge("pointer", costs["pointer"], " ".join(wrong))]
    first = line.pointers[0] - 1
    if not charged:
        return differences, []
    if first in reached:
        row = "pointer_valid_subset"
        reason = (
            "Pointing to fewer of the key's diagnoses, the first among them, is a "
            "valid claim."
        )
    else:
        row, reason = "pointer", " ".join(charged)
    return differences, [
        _link_charge(Charge(row, costs[row], reason), charged_indices, context)
    ]


def _link_charge(charge: Charge, missing: list[int], context: PointerContext) -> Charge:
    if any(index not in context.link_share_cap for index in missing):
        return charge
    cap = sum(context.link_share_cap[index] for index in missing)
    if charge.share <= cap:
        return charge
    return replace(
        charge,
        share=cap,
        reason=f"{charge.reason} Charged at most the credit earned for coding "
        "that diagnosis, so coding it never scores below leaving it out.",
    )


def compare_service_line(
    line: KeyLine,
    given: GivenLine,
    code: str,
    costs: Costs,
    context: PointerContext,
    mue: Callable[[str], int],
) -> Comparison | None:
    """Right CPT/HCPCS code (or its E/M level or family), then modifiers (in any
    order), units and pointers.

    Pointers are compared by the diagnoses they reach, and only when the key
    line lists some.
    """
    charges = _code_charges(line, code, costs)
    if charges is None:
        return None
    differences = _code_difference(line, code)
    modifier_differences, modifier_charges = _nearest_modifier_set(line, given, costs)
    differences += modifier_differences
    charges += modifier_charges
    units = units_charge(line.units, given.units, mue(code), costs)
    if units is not None:
        differences.append(
            Difference(
                DifferenceKind.UNITS,
                f"Units: the key has {line.units}, you gave {given.units}.",
                str(line.units),
                str(given.units),
            )
        )
        charges.append(units)
    if line.pointers:
        pointer_differences, pointer_charges = _pointer_check(
            line, given, context, costs
        )
        differences += pointer_differences
        charges += pointer_charges
    found = capped(charges)
    closeness = EXACT_CLOSENESS - len(differences)
    return Comparison(
        credit_after(found), max(0, closeness), code, tuple(differences), found
    )
