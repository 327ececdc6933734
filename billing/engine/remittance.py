"""What the demo payer answers: one claim's adjudication, as an 835 carries it."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Group(StrEnum):
    """CAS01 claim adjustment group codes."""

    CONTRACTUAL = "CO"
    PATIENT = "PR"
    OTHER = "OA"
    PAYER_INITIATED = "PI"


class ClaimStatus(StrEnum):
    """CLP02 claim status codes the demo payer uses."""

    PROCESSED_PRIMARY = "1"
    DENIED = "4"
    REVERSAL = "22"


class DenialCategory(StrEnum):
    """How a biller files a denial on the worklist."""

    CODING = "coding"
    ELIGIBILITY = "eligibility"
    AUTHORIZATION = "authorization"
    MEDICAL_NECESSITY = "medical_necessity"
    TIMELY_FILING = "timely_filing"
    DUPLICATE = "duplicate"


class DenialAction(StrEnum):
    """What a biller does about a denial."""

    CORRECTED_CLAIM = "corrected_claim"
    APPEAL = "appeal"
    WRITE_OFF = "write_off"
    BILL_PATIENT = "bill_patient"
    NO_ACTION = "no_action"  # the original claim stands: nothing to resend or write off


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Adjustment(_Part):
    """One CAS group/reason/amount."""

    group: Group
    reason: str
    amount: Decimal


class Denial(_Part):
    """Why the payer refused a line or the claim, in the biller's terms: the
    worklist's answer key, set by the payer rule that fired."""

    rule: str
    category: DenialCategory
    action: DenialAction
    explanation: str


class LineRemittance(_Part):
    """SVC and its CAS, LQ and AMT for one service line."""

    line_number: int
    code: str
    modifiers: tuple[str, ...] = ()
    service_date: str = ""
    # FL 42: an inpatient line without HCPCS is reported by it (SVC01 NU).
    revenue_code: str = ""
    charge: Decimal
    allowed: Decimal
    paid: Decimal
    units: int = 1
    adjustments: tuple[Adjustment, ...] = ()
    remarks: tuple[str, ...] = ()
    denial: Denial | None = None


class Remittance(_Part):
    """CLP and its lines: one claim's payment or denial."""

    payer_id: str
    payer_name: str
    patient_control_number: str
    payer_claim_number: str
    status: ClaimStatus
    paid_on: str
    charge: Decimal
    paid: Decimal
    patient_responsibility: Decimal
    plan_type: str = ""
    patient_last_name: str = ""
    patient_first_name: str = ""
    member_id: str = ""
    # FL 6, for a claim whose lines carry no dates (835 loop 2100 DTM*232/233).
    statement_from: str = ""
    statement_to: str = ""
    claim_adjustments: tuple[Adjustment, ...] = ()
    claim_remarks: tuple[str, ...] = ()
    claim_denial: Denial | None = None
    lines: tuple[LineRemittance, ...] = ()

    def denials(self) -> list[tuple[int | None, Denial]]:
        """Every denial on the remittance: (line number, or None for the claim)."""
        found: list[tuple[int | None, Denial]] = []
        if self.claim_denial is not None:
            found.append((None, self.claim_denial))
        found += [(ln.line_number, ln.denial) for ln in self.lines if ln.denial]
        return found
