"""What the billing engine needs to know of the world, as plain data.

The Django side (`billing.reference`) answers from the code sets and the demo
payer files; tests may answer from dictionaries. Nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True)
class CodeCheck:
    """Whether a code may be billed on a date of service, and if not, why."""

    valid: bool
    message: str = ""


@dataclass(frozen=True)
class CodeEdit:
    """An edit over the claim's codes from the code sets: Excludes1, NCCI PTP,
    MUE, sex or age (`kind`), as `codesets.edits.EditFinding` reports it."""

    kind: str
    codes: tuple[str, ...]
    message: str
    blocking: bool = True


@dataclass(frozen=True)
class CoveragePolicy:
    """An LCD-like list: `codes` are covered only for these diagnoses
    (`diagnosis_prefixes` match a code and everything under it)."""

    id: str
    title: str
    codes: frozenset[str]
    diagnosis_prefixes: tuple[str, ...]
    published: bool = True
    records_review: bool = False

    def covers(self, diagnosis: str) -> bool:
        compact = diagnosis.replace(".", "").upper()
        return any(
            compact.startswith(p.replace(".", "")) for p in self.diagnosis_prefixes
        )


@dataclass(frozen=True)
class Payer:
    """A demo payer: its fee schedule factor, filing limit and policies."""

    id: str
    name: str
    plan_types: tuple[str, ...]
    filing_limit_days: int
    fee_factor: Decimal
    authorization_codes: frozenset[str] = frozenset()
    policies: tuple[CoveragePolicy, ...] = ()
    # What the demo contract pays for an inpatient stay (type of bill 011x), in
    # percent of the billed charges; None when the payer has no inpatient rate.
    inpatient_percent_of_charges: Decimal | None = None


@dataclass(frozen=True)
class Coverage:
    """What the payer has on file for the member: the truth registration
    recorded, against which the claim's insurance boxes are checked."""

    member_id: str
    last_name: str
    first_name: str
    birth_date: date
    effective: date
    terminated: date | None = None
    deductible_remaining: Decimal = Decimal("0")
    coinsurance_percent: int = 20
    copay: Decimal = Decimal("0")
    authorizations: dict[str, str] = field(default_factory=dict)


class Reference(Protocol):
    """Look-ups the scrubber and the payer make."""

    def code_check(self, system: str, code: str, on: date) -> CodeCheck:
        """`system` is "icd10cm", "icd10pcs", "cpt" or "hcpcs"."""

    def code_edits(
        self,
        *,
        on: date,
        diagnoses: list[str],
        lines: list[tuple[str, tuple[str, ...], int]],
        pcs_procedures: list[str],
        sex: str | None,
        age: int | None,
    ) -> list[CodeEdit]:
        """Excludes1, NCCI PTP, MUE and sex/age edits; lines are (code,
        modifiers, units)."""

    def addon_primaries(self, code: str) -> frozenset[str] | None:
        """The primary codes an add-on code is reported with; None when the
        code is not an add-on code."""

    def payer(self, payer_id: str) -> Payer | None: ...

    def fee(self, code: str, modifiers: tuple[str, ...]) -> Decimal | None:
        """The demo fee schedule's allowed amount for one unit, before the
        payer's factor; None when the schedule has no fee for it."""
