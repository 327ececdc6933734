"""The learner's claim as the ASC X12 5010 transaction a clearinghouse receives,
and the demo payer's answer as an 835.

x12sdk builds and reads the transactions (typed models, so the SE01 count and
field types are checked as they are built); pyx12 validates the text against the
5010 implementation guides (TR3) and is the gate every export goes through. See
docs/billing-x12-research.md for why these two. x12sdk is imported only here:
its import loads a `.env` (python-dotenv), which must not leak into the rest of
the platform, and keeping it behind this one module lets it be swapped out.

Loop and segment references are to the 5010 TR3s: 837P 005010X222A1, 837I
005010X223A2, 835 005010X221A1.
"""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import pyx12.params
import pyx12.x12n_document
from pydantic import ValidationError
from x12sdk.denials import iter_adjustments
from x12sdk.io import X12ModelReader
from x12sdk.support import count_segments
from x12sdk.v5010.segments import GeSegment, GsSegment, IeaSegment, IsaSegment
from x12sdk.v5010.x12_835_005010X221A1.transaction_set import HealthCareClaimPayment
from x12sdk.v5010.x12_837_005010X222A2.transaction_set import (
    HealthCareClaimProfessional,
)
from x12sdk.v5010.x12_837_005010X223A3.transaction_set import (
    HealthCareClaimInstitutional,
)

from billing.engine.claim import (
    POINTER_LETTERS,
    Address,
    Claim,
    ClaimForm,
    Frequency,
    Person,
    Provider,
    parse_date,
    parse_money,
    parse_units,
)
from billing.engine.npi import npi_is_valid
from billing.engine.payer import is_inpatient
from billing.engine.remittance import Remittance
from codeformats import SYSTEM_LABELS, CodeSystem, check_format, procedure_system

# HIPAA adopted these guide versions (45 CFR 162.1102 claims, 162.1602
# remittance); pyx12 has maps for them.
# x12sdk's packages are named after later errata (X222A2, X223A3) but accept these
# in ST03, and its own envelope writer would put the package name in GS08.
GUIDE_837P = "005010X222A1"
GUIDE_837I = "005010X223A2"
GUIDE_835 = "005010X221A1"

SUBMITTER_NAME = "CODERACADEMY TRAINING CLEARINGHOUSE"
SUBMITTER_ID = "CATRAINCH"
SUBMITTER_CONTACT = "CLAIMS DESK"
SUBMITTER_PHONE = "5555550100"
RECEIVER_NAME = "CODERACADEMY DEMO PAYER GATEWAY"
RECEIVER_ID = "CADEMOPAY"
PAYER_CONTACT_PHONE = "5555550199"
PAYER_TRACE_COMPANY = "1999999999"
PAYER_ADDRESS = Address(
    line1="1 TRAINING PLAZA", city="SPRINGFIELD", state="IL", zip="627010001"
)

# ICD-10-CM/PCS replaced ICD-9 for dates of service from 2015-10-01 (45 CFR
# 162.1002(c)); before it the qualifiers would be BK/BF, which this exercise
# does not teach.
ICD10_START = date(2015, 10, 1)

PROBLEM_EMPTY = "{box} is empty: the {transaction} needs it in {where}."
PROBLEM_MALFORMED = (
    "{box} ({value!r}) is not {expected}: the {transaction} needs it in {where}."
)
PROBLEM_NO_LINES = (
    "{box} has no service lines: the {transaction} needs at least one in loop 2400."
)
PROBLEM_POINTER = (
    "Box 24E on line {line} ({value!r}) points to no diagnosis in box 21: SV107 "
    "of loop 2400 must point to an entry of the HI segment."
)
PROBLEM_ICD9_ERA = (
    "Line {line}'s date of service {value} is before 2015-10-01: the claim would "
    "need ICD-9 codes (HI qualifier BK), which this exercise does not export."
)
PROBLEM_TWO_RENDERING = (
    "Box 24J on line {line} ({value!r}) differs from the claim's rendering provider "
    "({other!r}): this exercise's 837P carries one rendering provider per claim "
    "(loop 2310B)."
)
PROBLEM_LIBRARY = "The 837 could not be assembled ({detail}); tell your instructor."

PARSE_NOT_835 = "The text holds no 835 transaction."

# X12's character set is printable ASCII (5010 extended set), less the
# element, segment, component and repetition separators our interchanges use.
_X12_TEXT = re.compile(r"^[ -)+-9;-\]_-}]*$")
X12_TEXT_HINT = "plain letters, digits and punctuation without * ~ : ^"
_ZIP = re.compile(r"^[0-9]{5}([0-9]{4})?$")
_ZIP9 = re.compile(r"^[0-9]{9}$")
_STATE = re.compile(r"^[A-Z]{2}$")
_EIN = re.compile(r"^[0-9]{9}$")
_POS = re.compile(r"^[0-9]{2}$")
_REVENUE = re.compile(r"^[0-9]{4}$")
_TYPE_OF_BILL = re.compile(r"^0?[1-8][1-9][0-9A-Z]$")
_SEX = {"F", "M", "U"}
_POA = {"Y", "N", "U", "W"}
# "1" (exempt from POA reporting) is a 4010-era and paper value; in the 5010
# 837I an exempt diagnosis leaves HI0x-9 empty (CMS POA indicator reporting,
# CR 5679; the TR3 2300 HI code list has Y, N, U, W only).
_POA_EXEMPT = "1"


@dataclass(frozen=True)
class X12Build:
    """An 837's text, or None with the reasons (in the learner's words) it
    could not be built."""

    text: str | None
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class X12Error:
    """One problem pyx12 found: where (segment position, 1-based, counting from
    ISA) and what."""

    segment_index: int | None
    segment_id: str
    message: str


@dataclass(frozen=True)
class AnnotatedSegment:
    """One segment's text and what it carries, in claim-form terms."""

    text: str
    segment_id: str
    explanation: str


@dataclass(frozen=True)
class ParsedAdjustment:
    group: str
    reason: str
    amount: Decimal


@dataclass(frozen=True)
class ParsedLine:
    code: str
    modifiers: tuple[str, ...]
    charge: Decimal
    paid: Decimal
    units: Decimal | None
    adjustments: tuple[ParsedAdjustment, ...]
    remarks: tuple[str, ...]


@dataclass(frozen=True)
class ParsedClaim:
    patient_control_number: str
    status: str
    charge: Decimal
    paid: Decimal
    patient_responsibility: Decimal
    payer_claim_number: str
    adjustments: tuple[ParsedAdjustment, ...]
    remarks: tuple[str, ...]
    lines: tuple[ParsedLine, ...]


@dataclass(frozen=True)
class ParsedRemittance:
    """What x12sdk reads from an 835: the remittance advice page is drawn from it."""

    payer_name: str
    payee_name: str
    claims: tuple[ParsedClaim, ...]


# --- 837 -----------------------------------------------------------------


class _Problems:
    """Collects why a claim cannot become an 837, in the learner's words."""

    def __init__(self, transaction: str) -> None:
        self.transaction = transaction
        self.found: list[str] = []

    def empty(self, box: str, where: str) -> None:
        self.found.append(
            PROBLEM_EMPTY.format(box=box, transaction=self.transaction, where=where)
        )

    def malformed(self, box: str, value: str, expected: str, where: str) -> None:
        self.found.append(
            PROBLEM_MALFORMED.format(
                box=box,
                value=value,
                expected=expected,
                transaction=self.transaction,
                where=where,
            )
        )

    def optional(self, box: str, value: str, where: str) -> str:
        """A box's text as typed; X12's separators inside it would split it."""
        if not _X12_TEXT.match(value):
            self.malformed(box, value, X12_TEXT_HINT, where)
        return value

    def required(self, box: str, value: str, where: str) -> str:
        if not value:
            self.empty(box, where)
        return self.optional(box, value, where)

    def text(self, box: str, value: str, where: str) -> str:
        return self.required(box, value, where).upper()

    def matching(
        self, box: str, value: str, pattern: re.Pattern, expected: str, where: str
    ) -> str:
        cleaned = value.replace("-", "").replace(" ", "").upper()
        if not cleaned:
            self.empty(box, where)
        elif not pattern.match(cleaned):
            self.malformed(box, value, expected, where)
        return cleaned

    def npi(self, box: str, value: str, where: str) -> str:
        if not value:
            self.empty(box, where)
        elif not npi_is_valid(value):
            self.malformed(
                box, value, "an NPI (10 digits with a valid check digit)", where
            )
        return value

    def day(self, box: str, value: str, where: str) -> date | None:
        if not value:
            self.empty(box, where)
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.malformed(box, value, "a date (YYYY-MM-DD)", where)
        return parsed

    def money(self, box: str, value: str, where: str) -> Decimal:
        if not value:
            self.empty(box, where)
            return Decimal("0")
        parsed = parse_money(value)
        if parsed is None:
            self.malformed(box, value, "a dollar amount", where)
        return parsed or Decimal("0")

    def units(self, box: str, value: str, where: str) -> int:
        if not value:
            self.empty(box, where)
            return 1
        # parse_units takes "²" for a digit (str.isdigit) and then fails in int().
        parsed = parse_units(value) if value.isascii() else None
        if parsed is None:
            self.malformed(box, value, "a whole number of units", where)
        return parsed or 1

    def code(self, box: str, system: CodeSystem, value: str, where: str) -> str:
        if not value:
            self.empty(box, where)
            return ""
        check = check_format(system, value)
        if not check.ok:
            self.malformed(box, value, f"a valid {SYSTEM_LABELS[system]} code", where)
        return check.code

    def choice(self, box: str, value: str, allowed: Iterable[str], where: str) -> str:
        cleaned = value.strip().upper()
        if not cleaned:
            self.empty(box, where)
        elif cleaned not in allowed:
            self.malformed(box, value, "one of " + ", ".join(sorted(allowed)), where)
        return cleaned


@dataclass(frozen=True)
class _Labels:
    """Box names on one form, for the problems the learner reads."""

    form: str
    transaction: str
    guide: str
    pcn: str
    member_id: str
    insured_name: str
    payer: str
    plan_type: str
    prior_authorization: str
    patient_name: str
    birth_date: str
    sex: str
    address: str
    billing_name: str
    billing_npi: str
    billing_address: str
    tax_id: str
    frequency: str
    original_reference: str


_LABELS = {
    ClaimForm.CMS1500: _Labels(
        form="The CMS-1500",
        transaction="837P",
        guide=GUIDE_837P,
        pcn="Box 26 (patient's account no.)",
        member_id="Box 1a (insured's ID number)",
        insured_name="Box 4 (insured's name)",
        payer="The payer (top of the form)",
        plan_type="Box 1 (type of health insurance)",
        prior_authorization="Box 23 (prior authorization number)",
        patient_name="Box 2 (patient's name)",
        birth_date="Box 3 (patient's birth date)",
        sex="Box 3 (patient's sex)",
        address="Box 5 (patient's address)",
        billing_name="Box 33 (billing provider's name)",
        billing_npi="Box 33a (billing provider NPI)",
        billing_address="Box 33 (billing provider's address)",
        tax_id="Box 25 (federal tax ID number)",
        frequency="Box 22 (resubmission code)",
        original_reference="Box 22 (original ref. no.)",
    ),
    ClaimForm.UB04: _Labels(
        form="The UB-04",
        transaction="837I",
        guide=GUIDE_837I,
        pcn="FL 3a (patient control no.)",
        member_id="FL 60 (insured's unique ID)",
        insured_name="FL 58 (insured's name)",
        payer="FL 50 (payer name)",
        plan_type="FL 50 (the payer's plan type)",
        prior_authorization="FL 63 (treatment authorization code)",
        patient_name="FL 8 (patient name)",
        birth_date="FL 10 (birthdate)",
        sex="FL 11 (sex)",
        address="FL 9 (patient address)",
        billing_name="FL 1 (billing provider's name)",
        billing_npi="FL 56 (NPI)",
        billing_address="FL 1 (billing provider's address)",
        tax_id="FL 5 (federal tax no.)",
        frequency="FL 4 (type of bill, last digit)",
        original_reference="FL 64 (document control number)",
    ),
}


def _split_name(name: str) -> tuple[str, str]:
    """'LAST, FIRST' into (last, first); an organisation's name is all last."""
    last, _, first = name.partition(",")
    return last.strip().upper(), first.strip().upper()


def _address_segments(
    problems: _Problems, box: str, address: Address, where: str, *, zip9: bool
) -> dict:
    zip_pattern, zip_hint = (
        (_ZIP9, "a 9-digit ZIP+4") if zip9 else (_ZIP, "a 5- or 9-digit ZIP code")
    )
    return {
        "n3_segment": {
            "address_information_1": problems.text(
                box, address.line1, f"N301 of {where}"
            )
        },
        "n4_segment": {
            "city_name": problems.text(box, address.city, f"N401 of {where}"),
            "state_province_code": problems.matching(
                box, address.state, _STATE, "a 2-letter state", f"N402 of {where}"
            ),
            "postal_code": problems.matching(
                box, address.zip, zip_pattern, zip_hint, f"N403 of {where}"
            ),
        },
    }


def _demographics(problems: _Problems, labels: _Labels, person: Person, where: str):
    birth = problems.day(labels.birth_date, person.birth_date, f"DMG02 of {where}")
    return {
        "date_time_period_format_qualifier": "D8",
        "date_time_period": birth.strftime("%Y%m%d") if birth else "19000101",
        "gender_code": problems.choice(
            labels.sex, person.sex, _SEX, f"DMG03 of {where}"
        ),
    }


def _person_name(problems: _Problems, box: str, person: Person, where: str) -> dict:
    return {
        "entity_type_qualifier": "1",
        "name_last_or_organization_name": problems.text(
            box, person.last_name, f"NM103 of {where}"
        ),
        "name_first": problems.optional(
            box, person.first_name, f"NM104 of {where}"
        ).upper()
        or None,
    }


def _subscriber_and_patient(
    problems: _Problems, labels: _Labels, claim: Claim, payer_name: str
):
    """Loops 2000B/2010BA/2010BB and, when the patient is not the insured,
    2000C/2010CA (TR3 2000C: used only when the patient is not the subscriber)."""
    relationship = claim.insurance.relationship or "18"
    patient_is_insured = relationship == "18"
    insured = claim.insurance.insured
    if patient_is_insured and not insured.last_name:
        insured = claim.patient
    subscriber = {
        "nm1_segment": {
            "entity_identifier_code": "IL",
            **_person_name(problems, labels.insured_name, insured, "loop 2010BA"),
            "identification_code_qualifier": "MI",
            "identification_code": problems.text(
                labels.member_id, claim.insurance.member_id, "NM109 of loop 2010BA"
            ),
        },
    }
    if patient_is_insured:
        # The same person: boxes 3 and 5 (the patient's) carry what 2010BA needs,
        # whether or not boxes 7 and 11a repeat them.
        subscriber |= _address_segments(
            problems, labels.address, claim.patient.address, "loop 2010BA", zip9=False
        )
        subscriber["dmg_segment"] = _demographics(
            problems, labels, claim.patient, "loop 2010BA"
        )
    payer_id = problems.text(labels.payer, claim.insurance.payer_id, "NM109 of 2010BB")
    hierarchy = {
        "hl_segment": {
            "hierarchical_id_number": "2",
            "hierarchical_parent_id_number": "1",
            "hierarchical_level_code": "22",
            "hierarchical_child_code": "0" if patient_is_insured else "1",
        },
        "sbr_segment": {
            "payer_responsibility_code": "P",
            "individual_relationship_code": "18" if patient_is_insured else None,
            "group_policy_number": problems.optional(
                "Box 11 (insured's group number)",
                claim.insurance.group_number,
                "SBR03 of loop 2000B",
            ).upper()
            or None,
            "claim_filing_indicator_code": problems.text(
                labels.plan_type, claim.insurance.plan_type, "SBR09 of loop 2000B"
            ),
        },
        "loop_2010ba": subscriber,
        "loop_2010bb": {
            "nm1_segment": {
                "entity_identifier_code": "PR",
                "entity_type_qualifier": "2",
                "name_last_or_organization_name": problems.optional(
                    labels.payer, payer_name, "NM103 of loop 2010BB"
                ).upper()
                or payer_id,
                "identification_code_qualifier": "PI",
                "identification_code": payer_id,
            }
        },
    }
    if patient_is_insured:
        return hierarchy, None
    patient = {
        "hl_segment": {
            "hierarchical_id_number": "3",
            "hierarchical_parent_id_number": "2",
            "hierarchical_level_code": "23",
            "hierarchical_child_code": "0",
        },
        "pat_segment": {"individual_relationship_code": relationship},
        "loop_2010ca": {
            "nm1_segment": {
                "entity_identifier_code": "QC",
                **_person_name(
                    problems, labels.patient_name, claim.patient, "loop 2010CA"
                ),
            },
            **_address_segments(
                problems,
                labels.address,
                claim.patient.address,
                "loop 2010CA",
                zip9=False,
            ),
            "dmg_segment": _demographics(
                problems, labels, claim.patient, "loop 2010CA"
            ),
        },
    }
    return hierarchy, patient


def _billing_provider(problems: _Problems, labels: _Labels, provider: Provider):
    """Loop 2010AA: the billing provider, whose address needs ZIP+4 (TR3 N403)."""
    tax_id = problems.matching(
        labels.tax_id, provider.tax_id, _EIN, "a 9-digit EIN", "REF02 of loop 2010AA"
    )
    loop = {
        "nm1_segment": {
            "entity_identifier_code": "85",
            "entity_type_qualifier": "2",
            "name_last_or_organization_name": problems.text(
                labels.billing_name, provider.name, "NM103 of loop 2010AA"
            ),
            "identification_code_qualifier": "XX",
            "identification_code": problems.npi(
                labels.billing_npi, provider.npi, "NM109 of loop 2010AA"
            ),
        },
        **_address_segments(
            problems, labels.billing_address, provider.address, "loop 2010AA", zip9=True
        ),
    }
    reference = {
        "reference_identification_qualifier": "EI",
        "reference_identification": tax_id,
    }
    loop["ref_segment"] = [reference] if labels.transaction == "837P" else reference
    return loop


def _frequency_reference(
    problems: _Problems, labels: _Labels, claim: Claim, frequency: str
) -> list[dict]:
    """REF*F8 (loop 2300): the payer's control number of the claim a
    replacement (7) or void (8) corrects (TR3 2300 REF, payer claim control
    number)."""
    if frequency not in (Frequency.REPLACEMENT, Frequency.VOID):
        return []
    number = problems.text(
        labels.original_reference, claim.original_reference, "REF02 (F8) of loop 2300"
    )
    return [
        {"reference_identification_qualifier": "F8", "reference_identification": number}
    ]


def _references(problems: _Problems, labels: _Labels, claim: Claim, frequency: str):
    refs = _frequency_reference(problems, labels, claim, frequency)
    if claim.prior_authorization:
        refs.append(
            {
                "reference_identification_qualifier": "G1",
                "reference_identification": problems.optional(
                    labels.prior_authorization,
                    claim.prior_authorization,
                    "REF02 (G1) of loop 2300",
                ).upper(),
            }
        )
    return refs or None


def _procedure_composite(problems: _Problems, box: str, code: str, modifiers, where):
    """HC:code:modifier... (SV101/SV202, C003): CPT or HCPCS and up to 4 modifiers."""
    compact_code = code.replace(" ", "").upper()
    if not compact_code:
        problems.empty(box, where)
    elif procedure_system(compact_code) is None:
        problems.malformed(box, code, "a CPT or HCPCS code", where)
    parts = [compact_code]
    for modifier in modifiers:
        if modifier:
            parts.append(problems.code(box, CodeSystem.MODIFIER, modifier, where))
    return ":".join(["HC", *parts])


def _dates_of_service(problems: _Problems, claim: Claim, box: str) -> list[date | None]:
    days = []
    for number, line in enumerate(claim.lines, start=1):
        day = problems.day(
            box.format(line=number), line.service_date, "DTP03 (472) of loop 2400"
        )
        if day is not None and day < ICD10_START:
            problems.found.append(
                PROBLEM_ICD9_ERA.format(line=number, value=line.service_date)
            )
        days.append(day)
    return days


def _rendering_provider(problems: _Problems, claim: Claim):
    """Loop 2310B from box 24J (with box 31's name): one rendering provider."""
    npis = [line.rendering_npi for line in claim.lines if line.rendering_npi]
    npi = claim.rendering_provider.npi or (npis[0] if npis else "")
    if not npi:
        return None
    for number, line in enumerate(claim.lines, start=1):
        if line.rendering_npi and line.rendering_npi != npi:
            problems.found.append(
                PROBLEM_TWO_RENDERING.format(
                    line=number, value=line.rendering_npi, other=npi
                )
            )
    last, first = _split_name(
        problems.optional(
            "Box 31 (rendering physician's name)",
            claim.rendering_provider.name,
            "NM1 of loop 2310B",
        )
    )
    return {
        "nm1_segment": {
            "entity_identifier_code": "82",
            "entity_type_qualifier": "1",
            "name_last_or_organization_name": problems.text(
                "Box 31 (rendering physician's name)", last, "NM103 of loop 2310B"
            ),
            "name_first": first or None,
            "identification_code_qualifier": "XX",
            "identification_code": problems.npi(
                "Box 24J (rendering provider NPI)", npi, "NM109 of loop 2310B"
            ),
        }
    }


def _professional_claim(problems: _Problems, labels: _Labels, claim: Claim) -> dict:
    """Loop 2300/2400 of the 837P from the CMS-1500's boxes 21-24 and 26-28."""
    frequency = problems.choice(
        labels.frequency, claim.frequency, {f.value for f in Frequency}, "CLM05-3"
    )
    # HI lists the filled boxes only, so a pointer's number is its box's
    # position among them, not its letter's place in the alphabet.
    filled = [
        (letter, code)
        for letter, code in zip(POINTER_LETTERS, claim.diagnoses, strict=False)
        if code
    ]
    diagnoses = [
        problems.code(f"Box 21 {letter}", CodeSystem.ICD10CM, code, "HI of loop 2300")
        for letter, code in filled
    ]
    hi_position = {letter: str(i) for i, (letter, _) in enumerate(filled, start=1)}
    if not diagnoses:
        problems.empty("Box 21 (diagnosis A)", "HI01 (ABK) of loop 2300")
    days = _dates_of_service(problems, claim, "Box 24A (date of service, line {line})")
    lines = []
    for number, (line, day) in enumerate(zip(claim.lines, days, strict=True), start=1):
        where = f"SV1 of loop 2400 (line {number})"
        pointers = []
        for letter in filter(None, line.pointers):
            if claim.pointer_target(letter) is None:
                problems.found.append(PROBLEM_POINTER.format(line=number, value=letter))
            else:
                pointers.append(hi_position[letter.strip().upper()[:1]])
        if not any(line.pointers):
            problems.empty(
                f"Box 24E (diagnosis pointer, line {number})", f"SV107 of {where}"
            )
        lines.append(
            {
                "lx_segment": {"assigned_number": str(number)},
                "sv1_segment": {
                    "product_service_id_qualifier": _procedure_composite(
                        problems,
                        f"Box 24D (line {number})",
                        line.code,
                        line.modifiers,
                        where,
                    ),
                    "line_item_charge_amount": problems.money(
                        f"Box 24F (charges, line {number})",
                        line.charge,
                        f"SV102 of {where}",
                    ),
                    "unit_basis_measurement_code": "UN",
                    "service_unit_count": Decimal(
                        problems.units(
                            f"Box 24G (units, line {number})",
                            line.units,
                            f"SV104 of {where}",
                        )
                    ),
                    "place_of_service_code": problems.matching(
                        f"Box 24B (place of service, line {number})",
                        line.place_of_service,
                        _POS,
                        "a 2-digit place of service code",
                        f"SV105 of {where}",
                    ),
                    "composite_diagnosis_code_pointer": ":".join(pointers) or "1",
                },
                "dtp_segment": [
                    {
                        "date_time_qualifier": "472",
                        "date_time_period_format_qualifier": "D8",
                        "date_time_period": day.strftime("%Y%m%d")
                        if day
                        else "20000101",
                    }
                ],
            }
        )
    if not claim.lines:
        problems.found.append(
            PROBLEM_NO_LINES.format(box="Box 24", transaction=labels.transaction)
        )
    place = lines[0]["sv1_segment"]["place_of_service_code"] if lines else "11"
    qualifiers = ["ABK"] + ["ABF"] * (len(diagnoses) - 1)
    return {
        "clm_segment": {
            "patient_control_number": problems.required(
                labels.pcn, claim.patient_control_number, "CLM01"
            ),
            "total_claim_charge_amount": sum(
                (ln["sv1_segment"]["line_item_charge_amount"] for ln in lines),
                Decimal("0"),
            ),
            "health_care_service_location_information": f"{place}:B:{frequency}",
            "provider_or_supplier_signature_indicator": "Y",
            "provider_accept_assignment_code": "A",
            "benefit_assignment_certification_indicator": "Y",
            "release_of_information_code": "Y",
        },
        "ref_segment": _references(problems, labels, claim, frequency),
        "hi_segment": [
            {
                f"health_care_code_{i}": [qualifier, code]
                for i, (qualifier, code) in enumerate(
                    zip(qualifiers, diagnoses, strict=True), start=1
                )
            }
        ]
        if diagnoses
        else None,
        "loop_2310b": _rendering_provider(problems, claim),
        "loop_2400": lines,
    }


def _hi(qualifier: str, entries: list[list[str]]) -> list[dict]:
    """HI segments of one qualifier, at most 12 composites each (TR3 2300 HI)."""
    segments = []
    for start in range(0, len(entries), 12):
        chunk = entries[start : start + 12]
        segments.append(
            {
                f"health_care_code_{i}": [qualifier, *entry]
                for i, entry in enumerate(chunk, 1)
            }
        )
    return segments


def _with_poa(problems: _Problems, box: str, code: str, poa: str) -> list[str]:
    """C022 with the present-on-admission indicator in its ninth component."""
    if not poa or poa.strip() == _POA_EXEMPT:
        return [code]
    indicator = problems.choice(f"{box} POA", poa, _POA, "HI0x-9 of loop 2300")
    return [code, "", "", "", "", "", "", indicator]


def _institutional_claim(problems: _Problems, labels: _Labels, claim: Claim) -> dict:
    """Loop 2300/2400 of the 837I from the UB-04's form locators."""
    facility = claim.institutional
    type_of_bill = (
        problems.matching(
            "FL 4 (type of bill)",
            facility.type_of_bill,
            _TYPE_OF_BILL,
            "a type of bill such as 0111 or 0131",
            "CLM05 of loop 2300",
        )
        .lstrip("0")
        .rjust(3, "0")
    )
    facility_code, frequency = type_of_bill[:2], type_of_bill[2]
    start = problems.day(
        "FL 6 (statement covers period, from)", facility.statement_from, "DTP*434"
    )
    end = problems.day(
        "FL 6 (statement covers period, through)", facility.statement_to, "DTP*434"
    )
    dates = [
        {
            "date_time_qualifier": "434",
            "date_time_period_format_qualifier": "RD8",
            "date_time_period": f"{start:%Y%m%d}-{end:%Y%m%d}"
            if start and end
            else "20000101-20000101",
        }
    ]
    inpatient = is_inpatient(claim)
    # TR3 2300 DTP*435: required on inpatient claims, sent on others when known.
    if inpatient or facility.admission_date:
        admitted = problems.day(
            "FL 12 (admission date)", facility.admission_date, "DTP*435"
        )
        if admitted:
            dates.append(
                {
                    "date_time_qualifier": "435",
                    "date_time_period_format_qualifier": "D8",
                    "date_time_period": f"{admitted:%Y%m%d}",
                }
            )
    principal_box = "FL 67 (principal diagnosis)"
    principal = problems.code(
        principal_box, CodeSystem.ICD10CM, facility.principal_diagnosis.code, "HI*ABK"
    )
    diagnoses = _hi(
        "ABK",
        [
            _with_poa(
                problems, principal_box, principal, facility.principal_diagnosis.poa
            )
        ],
    )
    if facility.admitting_diagnosis:
        admitting = problems.code(
            "FL 69 (admitting diagnosis)",
            CodeSystem.ICD10CM,
            facility.admitting_diagnosis,
            "HI*ABJ",
        )
        diagnoses += _hi("ABJ", [[admitting]])
    others = [
        _with_poa(
            problems,
            f"FL 67 {letter}",
            problems.code(f"FL 67 {letter}", CodeSystem.ICD10CM, d.code, "HI*ABF"),
            d.poa,
        )
        for letter, d in zip(
            "ABCDEFGHIJKLMNOPQ", facility.other_diagnoses, strict=False
        )
        if d.code
    ]
    diagnoses += _hi("ABF", others)
    procedures = []
    for number, procedure in enumerate(facility.procedures, start=1):
        box = f"FL 74 (procedure {number})"
        code = problems.code(box, CodeSystem.ICD10PCS, procedure.code, "HI*BBR/BBQ")
        day = problems.day(f"{box} date", procedure.date, "HI*BBR/BBQ")
        procedures.append([code, "D8", f"{day:%Y%m%d}" if day else "20000101"])
    if procedures:
        diagnoses += _hi("BBR", procedures[:1]) + _hi("BBQ", procedures[1:])
    occurrences = []
    for occurrence in facility.occurrence_codes:
        day = problems.day("FL 31-34 (occurrence date)", occurrence.date, "HI*BH")
        occurrences.append(
            [
                problems.required(
                    "FL 31-34 (occurrence code)", occurrence.code, "HI*BH"
                ).upper(),
                "D8",
                f"{day:%Y%m%d}" if day else "20000101",
            ]
        )
    diagnoses += _hi("BH", occurrences)
    conditions = [
        [problems.optional("FL 18-28 (condition codes)", code, "HI*BG").upper()]
        for code in facility.condition_codes
        if code
    ]
    diagnoses += _hi("BG", conditions)

    # TR3 2400 DTP*472 is for outpatient claims only: an inpatient stay's lines
    # are dated by the statement period (DTP*434), and a date typed into FL 45
    # is not sent (X12 RFI 1435).
    if inpatient:
        days = [None] * len(claim.lines)
    else:
        days = _dates_of_service(problems, claim, "FL 45 (service date, line {line})")
    lines = []
    for number, (line, day) in enumerate(zip(claim.lines, days, strict=True), start=1):
        where = f"SV2 of loop 2400 (line {number})"
        service = {
            "service_line_revenue_code": problems.matching(
                f"FL 42 (revenue code, line {number})",
                line.revenue_code,
                _REVENUE,
                "a 4-digit revenue code",
                f"SV201 of {where}",
            ),
            "line_item_charge_amount": problems.money(
                f"FL 47 (total charges, line {number})",
                line.charge,
                f"SV203 of {where}",
            ),
            "measurement_code": "UN",
            "service_unit_count": Decimal(
                problems.units(
                    f"FL 46 (units, line {number})", line.units, f"SV205 of {where}"
                )
            ),
        }
        if line.code:
            service["composite_medical_procedure_identifier"] = _procedure_composite(
                problems,
                f"FL 44 (HCPCS, line {number})",
                line.code,
                line.modifiers,
                where,
            )
        loop = {"lx_segment": {"assigned_number": str(number)}, "sv2_segment": service}
        if day:
            loop["dtp_segment"] = {
                "date_time_qualifier": "472",
                "date_time_period_format_qualifier": "D8",
                "date_time_period": f"{day:%Y%m%d}",
            }
        lines.append(loop)
    if not claim.lines:
        problems.found.append(
            PROBLEM_NO_LINES.format(box="FL 42-47", transaction=labels.transaction)
        )
    attending = facility.attending
    last, first = _split_name(
        problems.optional(
            "FL 76 (attending physician's name)", attending.name, "NM1 of loop 2310A"
        )
    )
    return {
        "clm_segment": {
            "patient_control_number": problems.required(
                labels.pcn, claim.patient_control_number, "CLM01"
            ),
            "total_claim_charge_amount": sum(
                (ln["sv2_segment"]["line_item_charge_amount"] for ln in lines),
                Decimal("0"),
            ),
            "health_care_service_location_information": (
                f"{facility_code}:A:{frequency}"
            ),
            "provider_accept_assignment_code": "A",
            "benefit_assignment_certification_indicator": "Y",
            "release_of_information_code": "Y",
        },
        "dtp_segment": dates,
        "cl1_segment": {
            "admission_type_code": problems.text(
                "FL 14 (priority of admission)", facility.admission_type, "CL101"
            ),
            "admission_source_code": problems.optional(
                "FL 15 (point of origin)", facility.admission_source, "CL102"
            ).upper()
            or None,
            "patient_status_code": problems.text(
                "FL 17 (patient discharge status)", facility.discharge_status, "CL103"
            ),
        },
        "ref_segment": _references(problems, labels, claim, frequency),
        "hi_segment": diagnoses,
        "loop_2310a": {
            "nm1_segment": {
                "entity_identifier_code": "71",
                "entity_type_qualifier": "1",
                "name_last_or_organization_name": problems.text(
                    "FL 76 (attending physician's name)", last, "NM103 of loop 2310A"
                ),
                "name_first": first or None,
                "identification_code_qualifier": "XX",
                "identification_code": problems.npi(
                    "FL 76 (attending NPI)", attending.npi, "NM109 of loop 2310A"
                ),
            }
        },
        "loop_2400": lines,
    }


def _envelope(
    transaction_text: str,
    *,
    functional_code: str,
    guide: str,
    receiver: str,
    control_number: int,
    created: datetime,
) -> str:
    """ISA/GS ... GE/IEA written here so that GS08 carries the adopted guide
    version (x12sdk's writer would put its package's errata id there)."""
    interchange = f"{control_number:09d}"
    group = str(control_number)
    return "\n".join(
        [
            IsaSegment(
                authorization_information_qualifier="00",
                authorization_information=" " * 10,
                security_information_qualifier="00",
                security_information=" " * 10,
                interchange_sender_qualifier="ZZ",
                interchange_sender_id=SUBMITTER_ID.ljust(15),
                interchange_receiver_qualifier="ZZ",
                interchange_receiver_id=receiver.ljust(15),
                interchange_date=created.strftime("%y%m%d"),
                interchange_time=created.strftime("%H%M"),
                repetition_separator="^",
                interchange_control_version_number="00501",
                interchange_control_number=interchange,
                acknowledgment_requested="0",
                interchange_usage_indicator="T",
                component_element_separator=":",
            ).x12(),
            GsSegment(
                functional_identifier_code=functional_code,
                application_sender_code=SUBMITTER_ID,
                application_receiver_code=receiver,
                functional_group_creation_date=created.strftime("%Y%m%d"),
                functional_group_creation_time=created.strftime("%H%M"),
                group_control_number=group,
                responsible_agency_code="X",
                version_identifier_code=guide,
            ).x12(),
            transaction_text,
            GeSegment(
                number_of_transaction_sets_included=1, group_control_number=group
            ).x12(),
            IeaSegment(
                number_of_included_functional_groups=1,
                interchange_control_number=interchange,
            ).x12(),
        ]
    )


def _with_footer(body: dict, control: str) -> dict:
    """SE01 counts ST..SE: count with a stand-in footer, then attach the real one."""
    stand_in = dict(
        body,
        footer={
            "se_segment": {
                "transaction_segment_count": 1,
                "transaction_set_control_number": control,
            }
        },
    )
    body["footer"] = {
        "se_segment": {
            "transaction_segment_count": count_segments(stand_in),
            "transaction_set_control_number": control,
        }
    }
    return body


def build_837(
    claim: Claim, *, control_number: int, created: datetime, payer_name: str
) -> X12Build:
    """The claim as an 837P (CMS-1500) or 837I (UB-04), or the reasons it
    cannot be one.

    Never raises: a box that is empty or malformed where the TR3 requires a
    value yields `text=None` and a problem naming the box as the form labels it.
    Code validity on the date of service is the scrubber's job, not this one's:
    only the codes' shapes are checked here.
    """
    labels = _LABELS[claim.form]
    problems = _Problems(labels.transaction)
    if claim.form == ClaimForm.UB04 and claim.institutional is None:
        problems.empty("FL 4 (type of bill)", "CLM05 of loop 2300")
        return X12Build(None, tuple(problems.found))
    control = f"{control_number:04d}"
    billing = _billing_provider(problems, labels, claim.billing_provider)
    subscriber, patient = _subscriber_and_patient(problems, labels, claim, payer_name)
    if claim.form == ClaimForm.UB04:
        claim_loop = _institutional_claim(problems, labels, claim)
        model = HealthCareClaimInstitutional
    else:
        claim_loop = _professional_claim(problems, labels, claim)
        model = HealthCareClaimProfessional
    if patient is None:
        subscriber["loop_2300"] = [claim_loop]
    else:
        patient["loop_2300"] = [claim_loop]
        subscriber["loop_2000c"] = [patient]
    if problems.found:
        return X12Build(None, tuple(dict.fromkeys(problems.found)))
    body = {
        "header": {
            "st_segment": {
                "transaction_set_identifier_code": "837",
                "transaction_set_control_number": control,
                "implementation_convention_reference": labels.guide,
            },
            "bht_segment": {
                "hierarchical_structure_code": "0019",
                "transaction_set_purpose_code": "00",
                "submitter_transactional_identifier": claim.patient_control_number[:50],
                "transaction_set_creation_date": created.strftime("%Y%m%d"),
                "transaction_set_creation_time": created.strftime("%H%M"),
                "transaction_type_code": "CH",
            },
        },
        "loop_1000a": {
            "nm1_segment": {
                "entity_identifier_code": "41",
                "entity_type_qualifier": "2",
                "name_last_or_organization_name": SUBMITTER_NAME,
                "identification_code_qualifier": "46",
                "identification_code": SUBMITTER_ID,
            },
            "per_segment": [
                {
                    "contact_function_code": "IC",
                    "name": SUBMITTER_CONTACT,
                    "communication_number_qualifier_1": "TE",
                    "communication_number_1": SUBMITTER_PHONE,
                }
            ],
        },
        "loop_1000b": {
            "nm1_segment": {
                "entity_identifier_code": "40",
                "entity_type_qualifier": "2",
                "name_last_or_organization_name": RECEIVER_NAME,
                "identification_code_qualifier": "46",
                "identification_code": RECEIVER_ID,
            }
        },
        "loop_2000a": [
            {
                "hl_segment": {
                    "hierarchical_id_number": "1",
                    "hierarchical_level_code": "20",
                    "hierarchical_child_code": "1",
                },
                "loop_2010aa": billing,
                "loop_2000b": [subscriber],
            }
        ],
    }
    try:
        transaction = model(**_with_footer(body, control))
    except ValidationError as error:
        detail = "; ".join(
            ".".join(str(p) for p in e["loc"][-2:]) + ": " + e["msg"]
            for e in error.errors()[:3]
        )
        return X12Build(None, (PROBLEM_LIBRARY.format(detail=detail),))
    text = _envelope(
        transaction.x12(),
        functional_code="HC",
        guide=labels.guide,
        receiver=RECEIVER_ID,
        control_number=control_number,
        created=created,
    )
    return X12Build(text, ())


# --- 835 -----------------------------------------------------------------

# CLP06 has its own list (835 TR3 2100 CLP06): SBR09 codes that also appear
# there pass through, the others are reported as mutually defined.
_CLP06_CODES = frozenset(
    {"12", "13", "14", "15", "16", "17", "AM", "CH", "DS", "HM", "LM", "MA", "MB"}
    | {"MC", "OF", "TV", "VA", "WC"}
)
_CLP06_OTHER = "ZZ"
# MOA carries at most five claim-level remark codes (MOA03-MOA07).
MAX_CLAIM_REMARKS = 5


def _cas(adjustments) -> list[dict] | None:
    """One CAS per adjustment (group, reason, amount): easier to read beside
    the remittance advice than up to six pairs per segment."""
    segments = [
        {
            "adjustment_group_code": str(adjustment.group),
            "adjustment_reason_code_1": adjustment.reason,
            "monetary_amount_1": adjustment.amount,
        }
        for adjustment in adjustments
    ]
    return segments or None


def _service_payment(line) -> dict:
    """Loop 2110: SVC, its date, line CAS, allowed amount and RARCs (LQ*HE)."""
    if line.code:
        procedure = ":".join(["HC", line.code, *line.modifiers])
        # SVC04: the revenue code adjudicated beside the HCPCS (UB-04 lines).
        revenue_code = line.revenue_code or None
    else:
        # An inpatient line without HCPCS is paid by its revenue code:
        # SVC01-1 NU (National Uniform Billing Committee revenue code).
        procedure, revenue_code = f"NU:{line.revenue_code}", None
    loop = {
        "svc_segment": {
            "composite_medical_procedure_identifier_1": procedure,
            "line_item_charge_amount": line.charge,
            "line_item_provider_payment_amount": line.paid,
            "revenue_code": revenue_code,
            "units_of_service_paid_count": Decimal(line.units),
        },
        "cas_segment": _cas(line.adjustments),
        "amt_segment": [
            {"amount_qualifier_code": "B6", "monetary_amount": line.allowed}
        ],
        "lq_segment": [
            {"code_list_qualifier_code": "HE", "form_identifier": remark}
            for remark in line.remarks
        ]
        or None,
    }
    day = parse_date(line.service_date)
    if day is not None:
        loop["dtm_segment"] = [{"date_time_qualifier": "472", "production_date": day}]
    return loop


def _claim_payment(remittance: Remittance) -> dict:
    """Loop 2100: CLP, claim CAS, the patient (NM1*QC) and claim RARCs (MOA)."""
    patient = {
        "entity_identifier_code": "QC",
        "entity_type_qualifier": "1",
        "name_last_or_organization_name": remittance.patient_last_name.upper(),
        "name_first": remittance.patient_first_name.upper() or None,
    }
    if remittance.member_id:
        patient |= {
            "identification_code_qualifier": "MI",
            "identification_code": remittance.member_id,
        }
    plan = remittance.plan_type.upper()
    loop = {
        "clp_segment": {
            "patient_control_number": remittance.patient_control_number,
            "claim_status_code": str(remittance.status),
            "total_claim_charge_amount": remittance.charge,
            "claim_payment_amount": remittance.paid,
            "patient_responsibility_amount": remittance.patient_responsibility,
            "claim_filing_indicator_code": plan
            if plan in _CLP06_CODES
            else _CLP06_OTHER,
            "payer_claim_control_number": remittance.payer_claim_number,
        },
        "cas_segment": _cas(remittance.claim_adjustments),
        "nm1_segment": [patient],
        "loop_2110": [_service_payment(line) for line in remittance.lines] or None,
    }
    statement = [
        {"date_time_qualifier": qualifier, "production_date": day}
        for qualifier, text in (
            ("232", remittance.statement_from),
            ("233", remittance.statement_to),
        )
        if (day := parse_date(text)) is not None
    ]
    if statement:
        # 835 TR3 2100 DTM*232/233: the statement period stands for the dates
        # of lines that carry none (X12 RFI 2055).
        loop["dtm_segment"] = statement
    if remittance.claim_remarks:
        # Outpatient (professional) adjudication: MOA03-07 hold claim RARCs.
        loop["moa_segment"] = {
            f"claim_payment_remark_code_{i}": code
            for i, code in enumerate(remittance.claim_remarks[:MAX_CLAIM_REMARKS], 1)
        }
    return loop


def build_835(
    remittance: Remittance, *, control_number: int, created: datetime, payee: Provider
) -> str:
    """The demo payer's answer to one claim as an 835 (005010X221A1).

    The remittance comes from the demo payer, not the learner, so a model that
    x12sdk refuses (an unbalanced claim, say) is a bug and raises.
    """
    control = f"{control_number:04d}"
    paid_on = parse_date(remittance.paid_on) or created.date()
    paying = remittance.paid > 0
    body = {
        "header": {
            "st_segment": {
                "transaction_set_identifier_code": "835",
                # ST03 is "not used" in pyx12's 835 map: GS08 names the guide.
                "transaction_set_control_number": control,
            },
            # BPR: a check when money moves, a notification (H/NON) when the
            # claim pays nothing (835 TR3 BPR01/BPR04); BPR16 is the issue date.
            "bpr_segment": {
                "transaction_handling_code": "I" if paying else "H",
                "total_actual_provider_payment_amount": remittance.paid,
                "credit_debit_flag_code": "C",
                "payment_method_code": "CHK" if paying else "NON",
                "eft_effective_date": paid_on,
            },
            "trn_segment": {
                "trace_type_code": "1",
                "reference_identification_1": (
                    f"{remittance.payer_claim_number}-{control}"
                ),
                "originating_company_identifier": PAYER_TRACE_COMPANY,
            },
            "dtm_segment": {
                "date_time_qualifier": "405",
                "production_date": created.date(),
            },
        },
        "loop_1000a": {
            "n1_segment": {
                "entity_identifier_code": "PR",
                "name": remittance.payer_name.upper(),
            },
            "n3_segment": {"address_information_1": PAYER_ADDRESS.line1},
            "n4_segment": {
                "city_name": PAYER_ADDRESS.city,
                "state_province_code": PAYER_ADDRESS.state,
                "postal_code": PAYER_ADDRESS.zip,
            },
            "ref_segment": [
                {
                    "reference_identification_qualifier": "2U",
                    "reference_identification": remittance.payer_id,
                }
            ],
            "per_segment": [
                {
                    "contact_function_code": "BL",
                    "name": "EDI SUPPORT",
                    "communication_number_qualifier_1": "TE",
                    "communication_number_1": PAYER_CONTACT_PHONE,
                }
            ],
        },
        "loop_1000b": {
            "n1_segment": {
                "entity_identifier_code": "PE",
                "name": payee.name.upper(),
                "identification_code_qualifier": "XX",
                "identification_code": payee.npi,
            },
        },
        "loop_2000": [
            {
                "lx_segment": {"assigned_number": "1"},
                "loop_2100": [_claim_payment(remittance)],
            }
        ],
    }
    if payee.tax_id:
        body["loop_1000b"]["ref_segment"] = [
            {
                "reference_identification_qualifier": "TJ",
                "reference_identification": payee.tax_id,
            }
        ]
    transaction = HealthCareClaimPayment(**_with_footer(body, control))
    return _envelope(
        transaction.x12(),
        functional_code="HP",
        guide=GUIDE_835,
        receiver=RECEIVER_ID,
        control_number=control_number,
        created=created,
    )


def _parsed_adjustment(record) -> ParsedAdjustment:
    return ParsedAdjustment(
        group=str(record.group_code),
        reason=str(record.reason_code),
        amount=record.amount,
    )


def _line_remarks(loop_2110) -> tuple[str, ...]:
    return tuple(
        segment.form_identifier
        for segment in loop_2110.lq_segment or []
        if segment.code_list_qualifier_code == "HE"
    )


def parse_835(text: str) -> ParsedRemittance:
    """What x12sdk reads from an 835: claims, their lines, CAS and remarks.

    CAS are flattened by `x12sdk.denials.iter_adjustments`, which yields a
    claim's adjustments first, then each line's in order: each line takes as
    many records as it has reason codes. Raises ValueError(PARSE_NOT_835) when
    the interchange holds no 835.
    """
    with X12ModelReader(text) as reader:
        transactions = [
            t for t in reader.models() if isinstance(t, HealthCareClaimPayment)
        ]
    if not transactions:
        raise ValueError(PARSE_NOT_835)
    transaction = transactions[0]
    records = iter(iter_adjustments(transaction))
    claims = []
    payer_name = payee_name = ""
    for paid in transaction.claims():
        payer_name, payee_name = paid.payer_name or "", paid.payee_name or ""
        claim_adjustments = tuple(
            _parsed_adjustment(next(records))
            for _ in _reason_positions(paid.adjustments)
        )
        lines = []
        for loop_2110 in paid.service_lines:
            svc = loop_2110.svc_segment
            _, code, *modifiers = svc.composite_medical_procedure_identifier_1.split(
                ":"
            )
            lines.append(
                ParsedLine(
                    code=code,
                    modifiers=tuple(modifiers),
                    charge=svc.line_item_charge_amount,
                    paid=svc.line_item_provider_payment_amount,
                    units=svc.units_of_service_paid_count,
                    adjustments=tuple(
                        _parsed_adjustment(next(records))
                        for _ in _reason_positions(loop_2110.cas_segment or [])
                    ),
                    remarks=_line_remarks(loop_2110),
                )
            )
        clp = paid.claim.clp_segment
        moa = paid.claim.moa_segment
        claims.append(
            ParsedClaim(
                patient_control_number=clp.patient_control_number,
                status=str(clp.claim_status_code),
                charge=clp.total_claim_charge_amount,
                paid=clp.claim_payment_amount,
                patient_responsibility=clp.patient_responsibility_amount
                or Decimal("0"),
                payer_claim_number=clp.payer_claim_control_number or "",
                adjustments=claim_adjustments,
                remarks=tuple(
                    getattr(moa, f"claim_payment_remark_code_{i}")
                    for i in range(1, MAX_CLAIM_REMARKS + 1)
                    if moa is not None
                    and getattr(moa, f"claim_payment_remark_code_{i}")
                ),
                lines=tuple(lines),
            )
        )
    return ParsedRemittance(payer_name, payee_name, tuple(claims))


def _reason_positions(cas_segments) -> list[int]:
    """The CAS reason positions in use (CAS02/05/08/11/14/17), one per record
    `iter_adjustments` yields for these segments."""
    return [
        position
        for cas in cas_segments
        for position in range(1, 7)
        if getattr(cas, f"adjustment_reason_code_{position}") is not None
        or getattr(cas, f"monetary_amount_{position}") is not None
    ]


# --- validation ----------------------------------------------------------

VALIDATION_UNREADABLE = "pyx12 could not read the text as an X12 interchange."
_LOGGED_ERROR = re.compile(
    r"^Line:(?P<line>[0-9]+) (?P<where>[A-Z]+:[0-9]+) - (?P<message>.*)$"
)


class _ErrorLog(logging.Handler):
    """pyx12's logged errors: the JSON report leaves out element errors of the
    ISA, GS and ST segments (its visitor does not walk them)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _logged_errors(messages: list[str], segment_ids: list[str]) -> list[X12Error]:
    errors = []
    for message in messages:
        match = _LOGGED_ERROR.match(message)
        if match:
            index = int(match["line"])
            known = 0 < index <= len(segment_ids)
            segment_id = segment_ids[index - 1] if known else match["where"]
            errors.append(X12Error(index, segment_id, match["message"]))
    return errors


def _json_errors(node: dict, segment_id: str, line: int | None) -> list[X12Error]:
    """pyx12's JSON error tree flattened, each error with its nearest segment."""
    found = [
        X12Error(line, segment_id, f"{e['err_str']} (error {e['err_cde']})")
        for e in node.get("errors", [])
    ]
    for element in node.get("elements", []):
        found += [
            X12Error(
                line,
                segment_id,
                f"{segment_id}{element['ele_pos']:02d}: {e['err_str']}",
            )
            for e in element["errors"]
        ]
    for key, child_id in (
        ("interchanges", "ISA"),
        ("groups", "GS"),
        ("transactions", "ST"),
        ("segments", None),
    ):
        for child in node.get(key, []):
            found += _json_errors(
                child, child_id or child.get("seg_id", "?"), child.get("cur_line")
            )
    return found


def validate(text: str) -> tuple[X12Error, ...]:
    """pyx12's verdict on an 837P, 837I or 835 against its 5010 TR3 map; empty
    when valid. Code lists outside the map (CPT, ICD-10, NPI check digit) are
    not checked here."""
    report = io.StringIO()
    log = _ErrorLog()
    logger = logging.getLogger("pyx12")
    logger.addHandler(log)
    # fd_997=None: pyx12 4.0.0's 999 writer fails on 835s (a KeyError from
    # error_999), while the validation itself is sound.
    valid = pyx12.x12n_document.x12n_document(
        param=pyx12.params.params(),
        src_file=io.StringIO(text),
        fd_997=None,
        fd_html=None,
        fd_json=report,
    )
    logger.removeHandler(log)
    errors = _json_errors(json.loads(report.getvalue() or "{}"), "ISA", None)
    if not valid and not errors:
        errors = _logged_errors(
            log.messages, [segment.split("*", 1)[0] for segment in _segments(text)]
        )
    if not valid and not errors:
        errors = [X12Error(None, "ISA", VALIDATION_UNREADABLE)]
    return tuple(errors)


# --- annotation ----------------------------------------------------------

# What each segment carries, in claim-form terms. Keys are the segment id, or
# the id and its first element (the qualifier) where that decides the meaning.
_ENVELOPE_NOTES = {
    "ISA": (
        "Interchange envelope: sender, receiver, date, control number, test (T) or "
        "production (P)."
    ),
    "GS": (
        "Functional group: the kind of transaction (HC claim, HP payment) and the "
        "guide version it follows."
    ),
    "ST": "Start of the transaction set; its control number matches SE02.",
    "SE": (
        "End of the transaction: how many segments from ST to SE, a check the "
        "receiver makes."
    ),
    "GE": "End of the functional group: how many transactions it held.",
    "IEA": "End of the interchange.",
}

_837_NOTES = {
    "BHT": (
        "Beginning of the claim batch: its purpose (00 original) and when it was "
        "created."
    ),
    "NM1*41": "Submitter: who sends the file (here the training clearinghouse).",
    "PER*IC": "Submitter's contact person and phone.",
    "NM1*40": "Receiver: the clearinghouse or payer that takes the file.",
    "HL": (
        "Hierarchy level: 20 billing provider, 22 subscriber, 23 patient (when not "
        "the insured)."
    ),
    "NM1*85": (
        "Billing provider: CMS-1500 box 33 name and 33a NPI; UB-04 FL 1 and FL 56."
    ),
    "N3": "Street address of the party named just above (box 33, 5 or 7; FL 1 or 9).",
    "N4": (
        "City, state and ZIP of the party named just above; the billing provider "
        "needs ZIP+4."
    ),
    "REF*EI": "Billing provider's federal tax ID (box 25; FL 5).",
    "SBR": (
        "Subscriber: primary payer (P), relationship 18 when the patient is the "
        "insured (box 6), group number (box 11), plan type (box 1)."
    ),
    "PAT": (
        "Patient's relationship to the insured (box 6), when the patient is not the "
        "insured."
    ),
    "NM1*IL": "Insured: name (box 4; FL 58) and member ID (box 1a; FL 60).",
    "NM1*QC": "Patient, when not the insured: name (box 2; FL 8).",
    "DMG": "Birth date and sex (box 3; FL 10-11).",
    "NM1*PR": "Payer: its name and payer ID (top of the CMS-1500; FL 50).",
    "REF*F8": (
        "Original claim's payer control number, which a replacement (7) or void (8) "
        "corrects (box 22; FL 64)."
    ),
    "REF*G1": "Prior authorization number (box 23; FL 63).",
    "DTP*472": "Date of service (box 24A; FL 45).",
    "LX": "Service line number.",
}

_837P_NOTES = _837_NOTES | {
    "CLM": (
        "Claim: box 26 patient account no., box 28 total charge, place of service, "
        "frequency code (box 22), assignment and signatures (boxes 12, 13, 27, 31)."
    ),
    "HI*ABK": (
        "Box 21 diagnoses without dots: ABK = ICD-10-CM principal (A), ABF = the "
        "others (B-L); ICD indicator 0."
    ),
    "NM1*82": "Rendering provider: box 24J NPI with the name of box 31.",
    "SV1": (
        "Box 24D code and modifiers, 24F charge, 24G units, 24B place of service, 24E"
        " pointers (1 = A)."
    ),
}

_837I_NOTES = _837_NOTES | {
    "CLM": (
        "Claim: FL 3a patient control no., FL 47 total charge, type of bill (FL 4) as"
        " facility code and frequency, assignment and release (FL 52-53)."
    ),
    "DTP*434": "Statement covers period, from and through (FL 6).",
    "DTP*435": "Admission date (FL 12).",
    "CL1": (
        "Admission type (FL 14), admission source (FL 15), discharge status (FL 17)."
    ),
    "HI*ABK": (
        "Principal diagnosis (FL 67) without dots, with its present-on-admission "
        "indicator last."
    ),
    "HI*ABJ": "Admitting diagnosis (FL 69).",
    "HI*ABF": "Other diagnoses (FL 67 A-Q) with their present-on-admission indicators.",
    "HI*BBR": "Principal ICD-10-PCS procedure and its date (FL 74).",
    "HI*BBQ": "Other ICD-10-PCS procedures and their dates (FL 74 a-e).",
    "HI*BH": "Occurrence codes and dates (FL 31-34).",
    "HI*BG": "Condition codes (FL 18-28).",
    "NM1*71": "Attending provider: name and NPI (FL 76).",
    "SV2": (
        "Revenue code (FL 42), HCPCS and modifiers (FL 44), charge (FL 47), units (FL"
        " 46)."
    ),
}

_835_NOTES = {
    "BPR": "Payment: total paid, check (CHK) or no payment (NON), and the issue date.",
    "TRN": "Trace number that ties this remittance to the check or transfer.",
    "DTM*405": "When the payer produced the remittance.",
    "N1*PR": "Payer: who paid.",
    "N1*PE": "Payee: the provider paid (NPI).",
    "N3": "Address of the party named just above.",
    "N4": "City, state and ZIP of the party named just above.",
    "REF*2U": "Payer's identification number.",
    "REF*TJ": "Payee's federal tax ID.",
    "PER*BL": "Payer's technical contact for the electronic remittance.",
    "LX": "Header number grouping the claims that follow.",
    "CLP": (
        "Claim: your patient account no., status (1 processed as primary, 4 denied, "
        "22 reversal), charge, paid, patient responsibility, plan type, the payer's "
        "claim number."
    ),
    "CAS": (
        "Adjustment: group (CO contractual, PR patient responsibility, OA other, PI "
        "payer initiated), reason code (CARC) and amount."
    ),
    "NM1*QC": "Patient: name and member ID as the payer has them.",
    "MOA": "Claim-level remark codes (RARC) for an outpatient or professional claim.",
    "DTM*232": "Statement period start (FL 6), for lines that carry no date.",
    "DTM*233": "Statement period end (FL 6), for lines that carry no date.",
    "SVC": (
        "Service line: the code (HC) or, for an inpatient line, the revenue code "
        "(NU), with modifiers, charge, paid, revenue code, units."
    ),
    "DTM*472": "Date of service of the line.",
    "AMT*B6": "Allowed amount for the line: what the fee schedule allows.",
    "LQ*HE": "Remark code (RARC) explaining the line's adjustment.",
}


def _segments(text: str) -> list[str]:
    """The segments of an interchange, with the ISA's own terminator."""
    stripped = text.strip()
    terminator = stripped[105] if len(stripped) > 105 else "~"
    return [s.strip() for s in stripped.split(terminator) if s.strip()]


def _notes_for(segments: list[str]) -> dict[str, str]:
    for segment in segments:
        if segment.startswith("GS*"):
            guide = segment.split("*")[-1]
            if "X221" in guide:
                return _ENVELOPE_NOTES | _835_NOTES
            if "X223" in guide:
                return _ENVELOPE_NOTES | _837I_NOTES
            return _ENVELOPE_NOTES | _837P_NOTES
    return _ENVELOPE_NOTES


def annotated_segments(text: str) -> list[AnnotatedSegment]:
    """Each segment of an 837P, 837I or 835 with what it carries, for showing
    the transaction beside the claim form or the remittance advice."""
    segments = _segments(text)
    notes = _notes_for(segments)
    annotated = []
    for segment in segments:
        elements = segment.split("*")
        qualifier = elements[1].split(":")[0] if len(elements) > 1 else ""
        segment_id = elements[0]
        explanation = notes.get(f"{segment_id}*{qualifier}") or notes.get(
            segment_id, ""
        )
        annotated.append(AnnotatedSegment(segment, segment_id, explanation))
    return annotated
