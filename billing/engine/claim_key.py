"""A claim key: the claim an instructor expects, with a note per box.

Field paths are `Claim`'s (`insurance.member_id`, `diagnoses.0`,
`lines.1.modifiers`, `institutional.type_of_bill`). A note gives the rationale
and its citation, and `accept` lists other values that are equally right: a
modifier set "XS" beside the key's "59", an equally right code. For a list box
(modifiers, condition codes) one accepted value is the whole list, comma
separated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from billing.engine.claim import Claim, ClaimForm

MUST_NAME_A_DIAGNOSIS = "pointer {letter} names no diagnosis in box 21"
NO_RATIONALE = "has no rationale: explain why the key codes it so"
NO_DIAGNOSES = "the key lists no diagnosis"
NO_LINES = "the key has no service line"
NO_POINTERS = "the line points to no diagnosis (24E)"
UNKNOWN_PATH = "is not a box of the claim"
UNKNOWN_WEIGHT = "is not a row of the claim scoring table"
UB04_NEEDS_INSTITUTIONAL = "a UB-04 key needs its institutional boxes"
KEY_PROBLEMS = "the claim key has problems: {problems}"

# Boxes whose value a key's rationale must explain: the coding choices.
CODE_FIELDS = ("code", "modifiers", "pointers")


@dataclass(frozen=True)
class Row:
    """One row of the claim scoring table: its value, why, and the rule.

    Weight rows are the points a box is worth; `share` rows are the part of a
    box's points an error costs; `points` rows are points off the claim; the
    `claim_share` rows make a box worth that part of the whole claim."""

    value: float
    kind: str
    why: str
    reference: str


_WEIGHT, _SHARE, _POINTS, _CLAIM_SHARE = "weight", "share", "points", "claim_share"
CODE_SHARE = 4.0

CLAIM_TABLE: Mapping[str, Row] = {
    "member_id": Row(
        0.25,
        _CLAIM_SHARE,
        "The payer cannot find the member: the whole claim is denied for "
        "eligibility until it is corrected.",
        "CARC 31; NUCC 1500 item 1a; 837P loop 2010BA NM109",
    ),
    "payer_id": Row(
        0.15,
        _CLAIM_SHARE,
        "The claim goes to a payer that does not cover the patient: rejected or "
        "denied, to be sent to the right payer.",
        "CARC 109; 837P loop 2010BB NM109",
    ),
    "patient_name": Row(
        1.0,
        _WEIGHT,
        "A name that does not match the payer's record fails the eligibility match.",
        "CARC 140; NUCC 1500 item 2; 837P loop 2010CA/2010BA NM1",
    ),
    "birth_date": Row(
        2.0,
        _WEIGHT,
        "The birth date is one of the keys the payer matches the member on, and "
        "drives age edits.",
        "NUCC 1500 item 3; 837P DMG02",
    ),
    "sex": Row(
        1.0,
        _WEIGHT,
        "Sex drives the sex-specific procedure and diagnosis edits.",
        "NUCC 1500 item 3; 837P DMG03",
    ),
    "insured_name": Row(
        1.0,
        _WEIGHT,
        "The subscriber's name is matched like the patient's.",
        "NUCC 1500 item 4; 837P loop 2010BA NM1",
    ),
    "insured_birth_date": Row(
        1.0,
        _WEIGHT,
        "The subscriber's birth date is matched like the patient's.",
        "NUCC 1500 item 11a; 837P loop 2010BA DMG02",
    ),
    "relationship": Row(
        1.0,
        _WEIGHT,
        "The relationship tells the payer whose coverage pays; a wrong one "
        "fails eligibility or coordination of benefits.",
        "NUCC 1500 item 6; 837P SBR02/PAT01",
    ),
    "plan_type": Row(
        1.0,
        _WEIGHT,
        "The claim filing indicator routes the claim to the plan.",
        "NUCC 1500 item 1; 837P SBR09",
    ),
    "group_number": Row(
        0.5,
        _WEIGHT,
        "The group number helps the payer find the plan.",
        "NUCC 1500 item 11; 837P SBR03",
    ),
    "address_line": Row(
        1.0,
        _WEIGHT,
        "The street address is where the patient's statement goes.",
        "NUCC 1500 item 5; 837P loop 2010CA N3",
    ),
    "address_part": Row(
        0.25,
        _WEIGHT,
        "City, state and ZIP complete the mailing address.",
        "NUCC 1500 item 5; 837P loop 2010CA N4",
    ),
    "prior_authorization": Row(
        3.0,
        _WEIGHT,
        "Without the authorisation number the service is denied as not pre-certified.",
        "CARC 197, CARC 15; NUCC 1500 item 23; 837P REF*G1",
    ),
    "frequency": Row(
        1.0,
        _WEIGHT,
        "The frequency code says whether the claim is new, a replacement or a "
        "void; a replacement sent as new is denied as a duplicate.",
        "CARC 18; NUCC 1500 item 22; 837P CLM05-3",
    ),
    "original_reference": Row(
        1.0,
        _WEIGHT,
        "A replacement or void must name the claim it corrects.",
        "NUCC 1500 item 22; 837P REF*F8",
    ),
    "billing_npi": Row(
        3.0,
        _WEIGHT,
        "An invalid billing NPI is rejected by the clearinghouse before the "
        "payer sees the claim.",
        "NUCC 1500 item 33a; 837P loop 2010AA NM109",
    ),
    "tax_id": Row(
        2.0,
        _WEIGHT,
        "Payment and the 1099 go to the tax ID on the claim.",
        "NUCC 1500 item 25; 837P loop 2010AA REF*EI",
    ),
    "provider_name": Row(
        0.5,
        _WEIGHT,
        "The billing provider's name as enrolled with the payer.",
        "NUCC 1500 item 33; 837P loop 2010AA NM103",
    ),
    "rendering_npi": Row(
        1.0,
        _WEIGHT,
        "The rendering provider must be enrolled; a wrong or missing NPI is denied.",
        "RARC N290; NUCC 1500 item 24J; 837P loop 2310B NM109",
    ),
    "diagnosis_first": Row(
        3.0,
        _WEIGHT,
        "The first-listed diagnosis is the main reason for the encounter.",
        "ICD-10-CM Official Guidelines IV.G; NUCC 1500 item 21",
    ),
    "diagnosis_other": Row(
        1.5,
        _WEIGHT,
        "Each coexisting condition that supports a service; their order does "
        "not matter.",
        "ICD-10-CM Official Guidelines IV.J; NUCC 1500 item 21",
    ),
    "first_out_of_place": Row(
        2 / 3,
        _SHARE,
        "The code is listed, but not first: the reason for the encounter (the "
        "principal diagnosis or procedure on the UB-04) is misstated.",
        "ICD-10-CM Official Guidelines Section II, IV.G; UHDDS",
    ),
    "extra_code": Row(
        1.0,
        _POINTS,
        "A code the record does not support is over-coding: a denial or a "
        "compliance finding.",
        "ICD-10-CM Official Guidelines I.B.5, Section III; OIG compliance guidance",
    ),
    "line_code": Row(
        CODE_SHARE,
        _WEIGHT,
        "The service billed: what the line is paid for.",
        "NUCC 1500 item 24D; UB-04 FL 44; 837P SV101",
    ),
    "modifier_informational": Row(
        1.0,
        _WEIGHT,
        "An informational modifier: the line is paid the same without it. A "
        "line whose key has a payment modifier makes its modifiers worth the "
        "line's code share instead.",
        "AMA CPT Appendix A; NUCC 1500 item 24D",
    ),
    "modifier_payment": Row(
        1.0,
        _SHARE,
        "25, 59, X{EPSU}, 50, 26, TC, LT, RT and the global-period modifiers decide "
        "whether the line is paid: without 25 the E/M is bundled into the "
        "same-day procedure and denied.",
        "CARC 97; NCCI Policy Manual ch. I §D-E; CMS Claims Processing Manual "
        "ch. 12 §30.6.6, §40.7",
    ),
    "modifier_extra_payment": Row(
        2.0,
        _POINTS,
        "A payment modifier the record does not support (59 on a bundled pair) "
        "is unbundling, what NCCI audits look for.",
        "NCCI Policy Manual ch. I §E",
    ),
    "modifier_extra_informational": Row(
        0.25,
        _POINTS,
        "An informational modifier the record does not support.",
        "AMA CPT Appendix A",
    ),
    "modifier_sequence": Row(
        0.5,
        _POINTS,
        "Pricing modifiers (26, TC, 50, 52, 53, 62, 80, AS, AA, QK...) go before "
        "informational ones; the set is right and most payers price it.",
        "MAC billing guidance (e.g. Palmetto GBA, anesthesia pricing modifiers "
        "in the first position); NUCC 1500 item 24D",
    ),
    "line_pointers": Row(
        2.0,
        _WEIGHT,
        "The pointers link the service to the diagnoses that make it necessary.",
        "NUCC 1500 item 24E; 837P SV107",
    ),
    "pointer_primary": Row(
        1.0,
        _SHARE,
        "The first pointer names a diagnosis that does not support the service: "
        "denied for medical necessity.",
        "CARC 11; NUCC 1500 item 24E",
    ),
    "pointer_order": Row(
        0.5,
        _SHARE,
        "The first pointer names a supporting diagnosis that is not the "
        "service's main reason: some payers deny for medical necessity.",
        "NUCC 1500 item 24E (the first pointer is the primary diagnosis)",
    ),
    "pointer_unsupported": Row(
        0.25,
        _SHARE,
        "A further pointer names a diagnosis that does not support the service.",
        "NUCC 1500 item 24E",
    ),
    "pointer_to_nothing": Row(
        1.0,
        _SHARE,
        "A pointer letter with no diagnosis behind it is rejected at the front end.",
        "NUCC 1500 item 24E; 837P SV107 must name an HI diagnosis",
    ),
    "pointer_valid_subset": Row(
        0.0,
        _SHARE,
        "Pointing to fewer diagnoses than the key, first pointer right, is a "
        "valid claim: only the first pointer is required.",
        "NUCC 1500 item 24E",
    ),
    "line_charge": Row(
        2.0,
        _WEIGHT,
        "The practice bills its fee schedule amount to every payer; another "
        "amount under-bills or invites an audit.",
        "NUCC 1500 item 24F; UB-04 FL 47; 837P SV102",
    ),
    "line_units": Row(
        2.0,
        _WEIGHT,
        "Units multiply the payment; wrong units are an under- or overpayment.",
        "NUCC 1500 item 24G; CMS MUE program",
    ),
    "line_date": Row(
        1.0,
        _WEIGHT,
        "The date of service decides coverage and code validity.",
        "NUCC 1500 item 24A; UB-04 FL 45; 837P DTP*472",
    ),
    "line_place": Row(
        1.0,
        _WEIGHT,
        "The place of service chooses the facility or non-facility rate.",
        "NUCC 1500 item 24B; CMS Claims Processing Manual ch. 26 §10.5",
    ),
    "line_revenue_code": Row(
        2.0,
        _WEIGHT,
        "The revenue code files the charge under a cost centre and decides its "
        "payment under OPPS.",
        "UB-04 FL 42; CMS Claims Processing Manual ch. 25 §75.4",
    ),
    "extra_line": Row(
        CODE_SHARE,
        _POINTS,
        "A service the record does not support is over-billing: a False Claims "
        "Act exposure.",
        "31 U.S.C. §3729; OIG compliance guidance for physician practices",
    ),
    "near_miss": Row(
        0.25,
        _SHARE,
        "A typo of at most two characters in free text: the claim still pays.",
        "NUCC 1500 instructions (text boxes); CoderAcademy grading policy",
    ),
    "type_of_bill": Row(
        4.0,
        _WEIGHT,
        "The type of bill says what kind of facility claim this is; a wrong one "
        "is returned to the provider or paid as another kind of bill.",
        "UB-04 FL 4; CMS Claims Processing Manual ch. 25 §75.1",
    ),
    "statement_date": Row(
        1.0,
        _WEIGHT,
        "The statement period the claim covers.",
        "UB-04 FL 6; 837I DTP*434",
    ),
    "admission_date": Row(
        1.0,
        _WEIGHT,
        "The admission date starts the inpatient stay.",
        "UB-04 FL 12; 837I DTP*435",
    ),
    "admission_type": Row(
        1.0,
        _WEIGHT,
        "Emergency, urgent or elective: payers review by it.",
        "UB-04 FL 14; 837I CL101",
    ),
    "admission_source": Row(
        1.0,
        _WEIGHT,
        "Where the patient came from (transfers are paid apart).",
        "UB-04 FL 15; 837I CL102",
    ),
    "discharge_status": Row(
        2.0,
        _WEIGHT,
        "A transfer to post-acute care instead of home cuts the MS-DRG payment "
        "under the transfer policy.",
        "UB-04 FL 17; CMS Claims Processing Manual ch. 3 §40.2.4",
    ),
    "principal_diagnosis": Row(
        6.0,
        _WEIGHT,
        "The principal diagnosis selects the MDC and the MS-DRG.",
        "ICD-10-CM Official Guidelines Section II; UB-04 FL 67",
    ),
    "poa": Row(
        1.0,
        _WEIGHT,
        "A wrong present-on-admission indicator makes a condition hospital-"
        "acquired (losing its CC/MCC payment) or hides one.",
        "ICD-10-CM Official Guidelines Appendix I; UB-04 FL 67",
    ),
    "admitting_diagnosis": Row(
        0.5,
        _WEIGHT,
        "Why the patient was admitted, as known at admission.",
        "UB-04 FL 69",
    ),
    "principal_procedure": Row(
        4.0,
        _WEIGHT,
        "The principal procedure turns a medical MS-DRG into a surgical one.",
        "UHDDS principal procedure; UB-04 FL 74",
    ),
    "other_procedure": Row(
        1.5,
        _WEIGHT,
        "Another procedure performed during the stay.",
        "UB-04 FL 74a-e",
    ),
    "procedure_date": Row(
        0.25,
        _SHARE,
        "The procedure is right but its date is not.",
        "UB-04 FL 74",
    ),
    "condition_code": Row(
        0.5,
        _WEIGHT,
        "A condition code changes how the claim is processed.",
        "UB-04 FL 18-28; NUBC condition codes",
    ),
    "occurrence_code": Row(
        0.5,
        _WEIGHT,
        "An occurrence code dates an event that affects payment.",
        "UB-04 FL 31-34; NUBC occurrence codes",
    ),
    "attending_npi": Row(
        1.0,
        _WEIGHT,
        "The attending provider must be named on an inpatient claim.",
        "UB-04 FL 76; 837I loop 2310A",
    ),
}
SHARE_ROWS = tuple(
    name for name, row in CLAIM_TABLE.items() if row.kind == _CLAIM_SHARE
)


class FieldNote(BaseModel):
    """Why the key has this value, where that is written, and what else is
    equally right."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    rationale: str = ""
    reference: str = ""
    accept: tuple[str, ...] = ()


class ClaimKey(BaseModel):
    """The expected claim and how to grade it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    claim: Claim
    fields: dict[str, FieldNote] = Field(default_factory=dict)
    ignore: tuple[str, ...] = Field(
        (), description="Paths not graded, and everything under them"
    )
    weights: dict[str, float] = Field(
        default_factory=dict,
        description="Rows of CLAIM_TABLE changed",
    )

    def note(self, path: str) -> FieldNote:
        """The note for `path`, an empty one when the key has none."""
        return self.fields.get(path, FieldNote())

    def ignores(self, path: str) -> bool:
        """Whether `path` (or a box it belongs to) is left ungraded."""
        return any(path == item or path.startswith(f"{item}.") for item in self.ignore)


class ClaimKeyError(ValueError):
    """Every problem of a claim key, each as "path: message"."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(KEY_PROBLEMS.format(problems="; ".join(problems)))


def parse_claim_key(data: dict) -> ClaimKey:
    """Validate a claim key as authored (JSON), naming every problem by path."""
    try:
        key = ClaimKey.model_validate(data)
    except ValidationError as error:
        raise ClaimKeyError([_plain(item) for item in error.errors()]) from None
    problems = _path_problems(key)
    if problems:
        raise ClaimKeyError(problems)
    return key


def key_problems(key: ClaimKey) -> list[str]:
    """What the content linter reports on a valid key: pointers to nothing,
    coding boxes without a rationale, a key with nothing to grade."""
    claim = key.claim
    problems = []
    if not claim.all_diagnoses():
        problems.append(NO_DIAGNOSES)
    if not claim.lines:
        problems.append(NO_LINES)
    for index, line in enumerate(claim.lines):
        prefix = f"lines.{index}"
        if claim.form == ClaimForm.CMS1500 and not line.pointers:
            problems.append(f"{prefix}.pointers: {NO_POINTERS}")
        for letter in line.pointers:
            if claim.pointer_target(letter) is None:
                message = MUST_NAME_A_DIAGNOSIS.format(letter=letter)
                problems.append(f"{prefix}.pointers: {message}")
        for name in CODE_FIELDS:
            path = f"{prefix}.{name}"
            has_value = bool(getattr(line, name))
            if has_value and not key.ignores(path) and not key.note(path).rationale:
                problems.append(f"{path}: {NO_RATIONALE}")
    return problems


def known_paths(claim: Claim) -> set[str]:
    """Every field path of `claim`, leaves and the boxes that hold them."""
    return set(_paths(claim.model_dump(mode="json"), ""))


def _paths(value: object, prefix: str) -> Iterable[str]:
    if prefix:
        yield prefix
    if isinstance(value, dict):
        for name, item in value.items():
            yield from _paths(item, f"{prefix}.{name}" if prefix else name)
    elif isinstance(value, list) and value and isinstance(value[0], dict):
        for index, item in enumerate(value):
            yield from _paths(item, f"{prefix}.{index}")
    elif isinstance(value, list):
        yield from (f"{prefix}.{index}" for index in range(len(value)))


def _path_problems(key: ClaimKey) -> list[str]:
    paths = known_paths(key.claim)
    problems = [
        f"fields.{path}: {UNKNOWN_PATH}" for path in key.fields if path not in paths
    ]
    problems += [
        f"ignore.{path}: {UNKNOWN_PATH}" for path in key.ignore if path not in paths
    ]
    problems += [
        f"weights.{name}: {UNKNOWN_WEIGHT}"
        for name in key.weights
        if name not in CLAIM_TABLE
    ]
    if key.claim.form == ClaimForm.UB04 and key.claim.institutional is None:
        problems.append(f"claim.institutional: {UB04_NEEDS_INSTITUTIONAL}")
    return problems


def _plain(error: dict) -> str:
    path = ".".join(str(part) for part in error["loc"]) or "key"
    return f"{path}: {error['msg']}"
