"""Scoring policies: the weights and penalties of a grading, as plain data.

`SCORING_TABLE` says what each kind of difference costs in each setting and why;
a policy may change any row (`costs`), and a key may too (its `weights`).
Instructors define their own policies with `policy_from_dict`; `POLICIES` holds
the shipped ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from typing import Any

from grading.engine.schema import (
    MUST_BE_BOOLEAN,
    MUST_BE_OBJECT,
    MUST_BE_STRING,
    MUST_NOT_BE_EMPTY,
    REQUIRED,
    UNKNOWN_FIELD,
    SchemaError,
    Setting,
)

MUST_BE_NUMBER = "must be a number"
MUST_BE_FRACTION = "must be between 0 and 1"
MUST_BE_POSITIVE = "must be greater than 0"
MUST_NOT_BE_NEGATIVE = "must not be negative"
CLOSER_EARNS_MORE = (
    "must not be more than {closer} (a closer match earns at least as much)"
)
UNKNOWN_ROW = "is not a row of the scoring table"


class Unit(StrEnum):
    """How a row's value is read: a multiple of `points_per_line` for a key line
    (weight), a share of the line's points (share), or points off the total."""

    WEIGHT = "weight"
    SHARE = "share"
    POINTS = "points"


@dataclass(frozen=True)
class Row:
    """One kind of difference: its value per setting (None where it does not
    apply), why it costs that on a claim, and the rule it follows. `legacy` names
    the older policy field that also sets it, and whether that field held the
    credit kept (1 - cost) rather than the cost."""

    name: str
    values: Mapping[Setting, float | None]
    why: str
    reference: str
    unit: Unit = Unit.SHARE
    legacy: tuple[str, bool] | None = None


def _everywhere(value: float) -> dict[Setting, float]:
    return dict.fromkeys(Setting, value)


def _inpatient(
    inpatient: float, elsewhere: float | None
) -> dict[Setting, float | None]:
    return {
        Setting.INPATIENT: inpatient,
        Setting.OUTPATIENT: elsewhere,
        Setting.PROFESSIONAL: elsewhere,
    }


_ROWS = (
    Row(
        "weight_principal_diagnosis",
        _inpatient(3.0, 1.0),
        "Inpatient, the principal diagnosis picks the MDC and the MS-DRG; "
        "elsewhere the first-listed diagnosis is one reason for the visit.",
        "ICD-10-CM Official Guidelines Section II; Section IV.G",
        Unit.WEIGHT,
    ),
    Row(
        "weight_cc_mcc_diagnosis",
        _inpatient(2.0, 1.0),
        "A secondary diagnosis on the CMS CC or MCC list moves the case to a "
        "higher-weighted MS-DRG.",
        "ICD-10-CM Official Guidelines Section III; CMS MS-DRG CC/MCC lists",
        Unit.WEIGHT,
    ),
    Row(
        "weight_principal_procedure",
        _inpatient(3.0, 1.0),
        "The principal procedure turns a medical MS-DRG into a surgical one.",
        "UHDDS principal procedure; ICD-10-PCS Official Guidelines B3",
        Unit.WEIGHT,
    ),
    Row(
        "weight_service_line",
        _inpatient(1.0, 2.0),
        "Each CPT or HCPCS line is paid on its own on the CMS-1500 or under OPPS; "
        "inpatient facility payment comes from the MS-DRG instead.",
        "CMS Claims Processing Manual ch. 4 and ch. 12",
        Unit.WEIGHT,
    ),
    Row(
        "principal_out_of_place",
        _inpatient(2 / 3, 0.25),
        "Inpatient, a secondary condition sequenced as principal regroups the "
        "case to another MS-DRG; elsewhere the order shows the main reason for "
        "the visit.",
        "ICD-10-CM Official Guidelines Section II; Section IV.G",
        legacy=("sequence_deduction", False),
    ),
    Row(
        "principal_procedure_out_of_place",
        _inpatient(0.5, None),
        "A minor procedure listed as principal misstates the surgical MS-DRG.",
        "UHDDS principal procedure; ICD-10-PCS Official Guidelines B3",
    ),
    Row(
        "icd10cm_same_subcategory",
        _everywhere(0.5),
        "Right condition, wrong detail: risk adjustment and quality data are "
        "wrong, and some payers deny.",
        "ICD-10-CM Official Guidelines I.B.2",
        legacy=("icd10cm_same_subcategory", True),
    ),
    Row(
        "icd10cm_same_category",
        _everywhere(0.75),
        "Only the category is right: an unspecified or other manifestation that "
        "payers deny for medical necessity.",
        "ICD-10-CM Official Guidelines I.B.2, I.A.3",
        legacy=("icd10cm_same_category", True),
    ),
    Row(
        "icd10cm_seventh_character",
        _everywhere(0.5),
        "The 7th character tells active treatment from aftercare or sequela; a "
        "wrong one misstates the episode.",
        "ICD-10-CM Official Guidelines I.C.19.a",
    ),
    Row(
        "icd10cm_laterality",
        _everywhere(0.5),
        "The wrong side contradicts the record and the procedure's RT/LT "
        "modifier: denied or flagged as a wrong-site service.",
        "ICD-10-CM Official Guidelines I.B.13",
    ),
    Row(
        "icd10cm_combination",
        _everywhere(0.5),
        "A combination code coded as its part (I10 for I11.0), or the reverse: the "
        "link between the conditions is lost or invented, and the severity with it.",
        "ICD-10-CM Official Guidelines I.B.9, I.C.9.a",
    ),
    Row(
        "bilateral_split",
        _everywhere(0.25),
        "Right and left codes (or RT and LT lines) where one bilateral code (or "
        "modifier 50) exists: the same facts billed the less correct way.",
        "ICD-10-CM Official Guidelines I.B.13; CMS Claims Processing Manual "
        "ch. 12 §40.7",
    ),
    Row(
        "pcs_root_operation",
        _everywhere(0.6),
        "Another root operation on the same body part misstates the objective of "
        "the procedure and can change the surgical MS-DRG.",
        "ICD-10-PCS Official Guidelines B3.1a, B3.8",
    ),
    Row(
        "pcs_body_part",
        _everywhere(0.5),
        "The wrong body part names another site, which can change the MS-DRG.",
        "ICD-10-PCS Official Guidelines B4",
    ),
    Row(
        "pcs_approach",
        _everywhere(0.25),
        "Open versus endoscopic: the right operation, rarely another MS-DRG.",
        "ICD-10-PCS Official Guidelines B5",
        legacy=("pcs_one_axis_wrong", True),
    ),
    Row(
        "pcs_device",
        _everywhere(0.25),
        "A wrong device misses device-dependent MS-DRGs and device tracking.",
        "ICD-10-PCS Official Guidelines B6",
        legacy=("pcs_one_axis_wrong", True),
    ),
    Row(
        "pcs_qualifier",
        _everywhere(0.25),
        "The qualifier adds detail that seldom changes payment.",
        "ICD-10-PCS Official Guidelines B3 (the section tables)",
        legacy=("pcs_one_axis_wrong", True),
    ),
    Row(
        "pcs_least_credit",
        _everywhere(0.1),
        "A floor, not a cost: a PCS near miss keeps at least this share, so a "
        "wrong axis never scores below leaving the procedure out.",
        "CoderAcademy grading invariant",
        legacy=("pcs_several_axes_wrong", False),
    ),
    Row(
        "cpt_same_family",
        _everywhere(0.6),
        "A code of the same family for another extent or size is paid at the "
        "wrong rate.",
        "AMA CPT section guidelines; NCCI Policy Manual ch. I",
    ),
    Row(
        "em_level",
        _everywhere(0.25),
        "Each E/M level is a payment tier (cost per level, at most 3 levels): one "
        "level off is a small under- or overpayment.",
        "AMA CPT E/M guidelines (medical decision making, 2021 and 2023)",
    ),
    Row(
        "modifier_payment",
        _everywhere(0.75),
        "25, 59, X{EPSU}, 50, 26, TC, LT, RT and the global-period modifiers "
        "decide whether the line is paid: without 25 the E/M is denied.",
        "NCCI Policy Manual ch. I (modifiers 25, 59, X{EPSU}); CMS Claims "
        "Processing Manual ch. 12 §30.6.6, §40.7",
    ),
    Row(
        "modifier_informational",
        _everywhere(0.1),
        "Other modifiers are informational: the line is paid the same.",
        "AMA CPT Appendix A",
        legacy=("modifier_deduction", False),
    ),
    Row(
        "units_small",
        _everywhere(0.25),
        "Units off by at most half: a small under- or overpayment.",
        "CMS MUE program; HCPCS descriptor units",
        legacy=("units_deduction", False),
    ),
    Row(
        "units_large",
        _everywhere(0.5),
        "Units off by more than half, up to tenfold: a wrong payment the payer "
        "recovers.",
        "CMS MUE program",
    ),
    Row(
        "units_tenfold",
        _everywhere(0.75),
        "Units off tenfold or more (80 for 8): a units-of-measure error and a "
        "large overpayment.",
        "CMS MUE program",
    ),
    Row(
        "units_over_mue",
        _everywhere(1.0),
        "Units above the code's medically unlikely edit: the whole line is denied.",
        "CMS MUE program (NCCI MUE tables)",
    ),
    Row(
        "pointer",
        _everywhere(0.25),
        "The service points to a diagnosis that does not support it: denied for "
        "medical necessity.",
        "NUCC CMS-1500 instructions, item 24E",
        legacy=("pointer_deduction", False),
    ),
    Row(
        "pointer_valid_subset",
        _everywhere(0.0),
        "Pointing only to the primary diagnosis is a valid claim: only the first "
        "pointer is required.",
        "NUCC CMS-1500 instructions, item 24E",
    ),
    Row(
        "poa_wrong",
        _inpatient(0.25, None),
        "A wrong present-on-admission indicator makes a condition hospital-"
        "acquired (losing its CC/MCC payment) or hides one.",
        "ICD-10-CM Official Guidelines Appendix I; CMS HAC-POA program",
    ),
    Row(
        "poa_missing",
        _inpatient(0.25, None),
        "A blank indicator on a non-exempt code is returned to the provider and "
        "paid as N.",
        "ICD-10-CM Official Guidelines Appendix I",
    ),
    Row(
        "extra_line",
        _everywhere(0.5),
        "A code the record does not support is over-coding: a denial or a "
        "compliance finding.",
        "ICD-10-CM Official Guidelines I.B.5, Section III; OIG compliance guidance",
        Unit.POINTS,
        legacy=("extra_line_penalty", False),
    ),
    Row(
        "extra_cc_mcc",
        _inpatient(1.0, None),
        "An unsupported CC or MCC raises the MS-DRG: the over-coding auditors look "
        "for first.",
        "ICD-10-CM Official Guidelines Section III; CMS MS-DRG CC/MCC lists",
        Unit.POINTS,
    ),
)
SCORING_TABLE: Mapping[str, Row] = {row.name: row for row in _ROWS}


@dataclass(frozen=True)
class ScoringPolicy:
    """How many points a coding answer earns.

    The fields set the rows whose `legacy` names them, when they differ from
    their defaults: `icd10cm_*` the credit kept by a diagnosis in the right
    subcategory or only the right category, `pcs_one_axis_wrong` the credit kept
    for one wrong approach, device or qualifier, `pcs_several_axes_wrong` the
    least credit of a PCS near miss, `modifier_deduction` the cost of an
    informational modifier, `units_deduction` of units off by at most half,
    `pointer_deduction` of a wrong pointer, `sequence_deduction` of a first-listed
    diagnosis out of place outside the inpatient setting, `extra_line_penalty`
    the points an extra or invalid line costs. With `all_or_nothing` an item
    earns full marks only when every line is exact and nothing is extra or
    invalid; the costs still decide matching and feedback. `CostedPolicy` also
    changes any row by name.
    """

    @property
    def row_costs(self) -> Mapping[str, float]:
        """Rows of `SCORING_TABLE` this policy sets by name, in every setting."""
        return {}

    def table(
        self, setting: Setting, overrides: Mapping[str, float] | None = None
    ) -> dict[str, float]:
        """Every row's value in `setting` (0 where it does not apply), after this
        policy's changes and then `overrides` (a key's `weights`)."""
        values = {}
        defaults = _FIELD_DEFAULTS
        for row in _ROWS:
            value = row.values[setting]
            if row.legacy is not None:
                name, is_credit = row.legacy
                chosen = getattr(self, name)
                if chosen != defaults[name] and value is not None:
                    value = 1 - chosen if is_credit else chosen
            if row.name in self.row_costs:
                value = self.row_costs[row.name]
            if overrides and row.name in overrides:
                value = overrides[row.name]
            values[row.name] = value or 0.0
        return values

    name: str
    description: str = ""
    points_per_line: float = 1.0
    points_per_choice_item: float = 1.0
    icd10cm_same_subcategory: float = 0.5
    icd10cm_same_category: float = 0.25
    pcs_one_axis_wrong: float = 0.75
    pcs_several_axes_wrong: float = 0.1
    modifier_deduction: float = 0.1
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


@dataclass(frozen=True)
class CostedPolicy(ScoringPolicy):
    """A policy that also sets rows of `SCORING_TABLE` by name (`costs`).

    A subclass, so that `fields(ScoringPolicy)` stays the set of fields an
    instructor edits in the admin (`grading.ScoringPolicyDefinition`)."""

    costs: Mapping[str, float] = field(default_factory=dict)

    @property
    def row_costs(self) -> Mapping[str, float]:
        return self.costs


_FIELD_DEFAULTS = {item.name: item.default for item in fields(ScoringPolicy)}
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
    if isinstance(policy, CostedPolicy):
        problems += row_value_problems(policy.costs, "costs")
    return problems


def row_value_problems(values: Any, path: str) -> list[tuple[str, str]]:
    """Every (field, message) wrong in a mapping of table rows to values: rows
    must exist, weights be above 0, shares between 0 and 1, points not
    negative."""
    if not isinstance(values, Mapping):
        return [(path, MUST_BE_OBJECT)]
    problems = []
    for name, value in values.items():
        where = f"{path}.{name}"
        row = SCORING_TABLE.get(name)
        if row is None:
            problems.append((where, UNKNOWN_ROW))
        elif not _is_number(value):
            problems.append((where, MUST_BE_NUMBER))
        elif row.unit is Unit.WEIGHT and value <= 0:
            problems.append((where, MUST_BE_POSITIVE))
        elif row.unit is Unit.SHARE and not 0 <= value <= 1:
            problems.append((where, MUST_BE_FRACTION))
        elif value < 0:
            problems.append((where, MUST_NOT_BE_NEGATIVE))
    return problems


def policy_from_dict(data: Any) -> ScoringPolicy:
    """Build a policy from decoded JSON; fields left out take the practice values.

    Raises `SchemaError` naming every bad field.
    """
    if not isinstance(data, Mapping):
        raise SchemaError([("policy", MUST_BE_OBJECT)])
    known = {field.name for field in fields(CostedPolicy)}
    problems = [(str(name), UNKNOWN_FIELD) for name in data if name not in known]
    if "name" not in data:
        problems.append(("name", REQUIRED))
    if problems:
        raise SchemaError(problems)
    if data.get("costs"):
        return CostedPolicy(**data)
    return ScoringPolicy(
        **{name: value for name, value in data.items() if name != "costs"}
    )


def policy_to_dict(policy: ScoringPolicy) -> dict[str, Any]:
    """The JSON form of a policy; `policy_from_dict` reads it back."""
    data = asdict(policy)
    data["costs"] = dict(policy.row_costs)
    return data


PRACTICE = ScoringPolicy(
    name="practice",
    description=(
        "Partial credit for near misses; extra or invalid codes cost half a line; "
        "the total never goes below zero."
    ),
)
EXAM = CostedPolicy(
    name="exam",
    description=(
        "All or nothing, as certification exams score: full marks only when every "
        "required line is exact and nothing extra or invalid is listed."
    ),
    extra_line_penalty=0.0,
    all_or_nothing=True,
    costs={"extra_cc_mcc": 0.0},
)
STRICT = CostedPolicy(
    name="strict",
    description=(
        "Near misses earn less, an extra or invalid code costs a whole line, and "
        "even a valid but incomplete set of pointers costs a little."
    ),
    icd10cm_same_subcategory=0.25,
    icd10cm_same_category=0.1,
    pcs_one_axis_wrong=0.5,
    modifier_deduction=0.25,
    extra_line_penalty=1.0,
    costs={"pointer_valid_subset": 0.1, "extra_cc_mcc": 1.5},
)
POLICIES: Mapping[str, ScoringPolicy] = {
    policy.name: policy for policy in (PRACTICE, EXAM, STRICT)
}
