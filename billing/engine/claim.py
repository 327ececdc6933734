"""A claim as a learner fills it in: the CMS-1500 (02/12) professional claim or the
UB-04 (CMS-1450) facility claim, one model for both.

Every leaf is the text typed into the form's box, "" when the box is empty: a
learner's claim may be incomplete or wrong, and saying so is the scrubber's and
the grader's job, not the parser's. `field paths` ("patient.last_name",
"lines.0.code", "diagnoses.2") name a box for feedback, scrubber edits and keys.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

MAX_DIAGNOSES_1500 = 12
MAX_DIAGNOSES_UB04 = 25
MAX_MODIFIERS = 4
MAX_POINTERS = 4
POINTER_LETTERS = "ABCDEFGHIJKL"
# The 837's amount fields hold 18 characters; no line or claim comes near this.
MAX_AMOUNT = Decimal("10000000000")


class ClaimForm(StrEnum):
    CMS1500 = "cms1500"
    UB04 = "ub04"


class Frequency(StrEnum):
    """CLM05-3 / box 22 / FL 4's last digit."""

    ORIGINAL = "1"
    REPLACEMENT = "7"
    VOID = "8"


class _Box(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Address(_Box):
    line1: str = ""
    city: str = ""
    state: str = ""
    zip: str = ""


class Person(_Box):
    """Patient or insured: boxes 2/3/5 and 4/7/11a on the CMS-1500."""

    last_name: str = ""
    first_name: str = ""
    birth_date: str = Field("", description="YYYY-MM-DD")
    sex: str = Field("", description="F, M or U")
    address: Address = Address()


class Insurance(_Box):
    """Box 1, 1a, 4, 6, 7, 11 (CMS-1500); FL 50-62 (UB-04)."""

    payer_id: str = Field("", description="The demo payer's id, e.g. DEMOPPO")
    plan_type: str = Field(
        "", description="SBR09 claim filing indicator: MB, MC, CI, BL, HM, 12 ..."
    )
    member_id: str = ""
    group_number: str = ""
    relationship: str = Field(
        "",
        description="Patient's relationship to insured (SBR02/PAT01): 18 self, "
        "01 spouse, 19 child, G8 other",
    )
    insured: Person = Person()


class Provider(_Box):
    """Billing provider (box 33), rendering (24J), attending (FL 76)..."""

    npi: str = ""
    name: str = Field("", description="Organisation, or 'LAST, FIRST' for a person")
    tax_id: str = Field("", description="EIN, 9 digits (box 25)")
    taxonomy: str = ""
    address: Address = Address()


class ServiceLine(_Box):
    """Box 24 on the CMS-1500; FL 42-47 on the UB-04."""

    service_date: str = Field("", description="YYYY-MM-DD (24A / FL 45)")
    place_of_service: str = Field("", description="24B, 2 digits; CMS-1500 only")
    revenue_code: str = Field("", description="FL 42, 4 digits; UB-04 only")
    code: str = Field("", description="CPT or HCPCS (24D / FL 44)")
    modifiers: tuple[str, ...] = Field((), max_length=MAX_MODIFIERS)
    pointers: tuple[str, ...] = Field(
        (), max_length=MAX_POINTERS, description="24E letters A-L; CMS-1500 only"
    )
    charge: str = Field("", description="24F / FL 47, dollars: 125.00")
    units: str = Field("", description="24G / FL 46")
    rendering_npi: str = Field("", description="24J; CMS-1500 only")


class FacilityDiagnosis(_Box):
    """FL 67 A-Q with its present-on-admission indicator."""

    code: str = ""
    poa: str = ""


class Procedure(_Box):
    """FL 74: an ICD-10-PCS procedure and its date."""

    code: str = ""
    date: str = ""


class Occurrence(_Box):
    """FL 31-34: an occurrence code and its date."""

    code: str = ""
    date: str = ""


class Institutional(_Box):
    """What only the UB-04 carries."""

    type_of_bill: str = Field("", description="FL 4, e.g. 0111 inpatient, 0131")
    statement_from: str = ""
    statement_to: str = ""
    admission_date: str = ""
    admission_type: str = Field("", description="FL 14: 1 emergency, 2 urgent, 3 ...")
    admission_source: str = Field("", description="FL 15: 1 non-health care ...")
    discharge_status: str = Field("", description="FL 17: 01 home, 03 SNF, 20 ...")
    condition_codes: tuple[str, ...] = ()
    occurrence_codes: tuple[Occurrence, ...] = ()
    principal_diagnosis: FacilityDiagnosis = FacilityDiagnosis()
    other_diagnoses: tuple[FacilityDiagnosis, ...] = ()
    admitting_diagnosis: str = ""
    procedures: tuple[Procedure, ...] = Field(
        (), description="FL 74; the first is the principal procedure"
    )
    attending: Provider = Provider()


class Claim(_Box):
    """One claim for one patient and one payer."""

    form: ClaimForm = ClaimForm.CMS1500
    patient_control_number: str = Field("", description="Box 26 / FL 3a (CLM01)")
    frequency: str = Field(Frequency.ORIGINAL.value, description="Box 22 / FL 4")
    original_reference: str = Field(
        "", description="The payer's claim control number a 7 or 8 replaces"
    )
    patient: Person = Person()
    insurance: Insurance = Insurance()
    prior_authorization: str = Field("", description="Box 23 / FL 63")
    diagnoses: tuple[str, ...] = Field(
        (), max_length=MAX_DIAGNOSES_1500, description="Box 21 A-L, ICD indicator 0"
    )
    lines: tuple[ServiceLine, ...] = ()
    billing_provider: Provider = Provider()
    rendering_provider: Provider = Provider()
    institutional: Institutional | None = None

    def pointer_target(self, letter: str) -> str | None:
        """The diagnosis a 24E pointer letter names, None when it names none."""
        index = POINTER_LETTERS.find(letter.strip().upper()[:1] or "?")
        if index < 0 or index >= len(self.diagnoses) or not self.diagnoses[index]:
            return None
        return self.diagnoses[index]

    def all_diagnoses(self) -> list[str]:
        """Box 21, or the UB-04's principal then other diagnoses, non-empty only."""
        if self.form == ClaimForm.UB04 and self.institutional is not None:
            facility = self.institutional
            codes = [facility.principal_diagnosis.code]
            codes += [d.code for d in facility.other_diagnoses]
        else:
            codes = list(self.diagnoses)
        return [c for c in codes if c]


def parse_date(text: str) -> date | None:
    """A box's YYYY-MM-DD date, None when empty or not a date."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def parse_money(text: str) -> Decimal | None:
    """A box's dollar amount ("1,250.00", "$80"), None when not an amount."""
    cleaned = text.replace(",", "").replace("$", "").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value >= MAX_AMOUNT:
        return None
    return value.quantize(Decimal("0.01"))


def parse_units(text: str) -> int | None:
    """A box's unit count, None when not a whole number of at least 1."""
    cleaned = text.strip()
    if not (cleaned.isascii() and cleaned.isdigit()) or int(cleaned) < 1:
        return None
    return int(cleaned)


def age_on(birth_date: date, day: date) -> int:
    """Whole years of age on `day`."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday
