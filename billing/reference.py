"""The billing engine's `Reference`, answered from the code sets and the demo
payer data.

Code validity and the code edits come from `codesets` exactly as the grading
engine sees them (`codesets.validation`, `codesets.edits`); the add-on codes from
`billing/data/addon_codes.csv`; payers and fees from `billing.payer_data`.
"""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from billing.engine.reference import CodeCheck, CodeEdit, Payer
from codesets.edits import ServiceLine, check_edits
from codesets.validation import validate_codes_on

ADDON_CODES_FILE = Path(__file__).resolve().parent / "data" / "addon_codes.csv"


@cache
def addon_codes() -> dict[str, frozenset[str]]:
    """Each add-on code with the primary codes it is reported with."""
    with ADDON_CODES_FILE.open(encoding="utf-8", newline="") as handle:
        return {
            row["addon"]: frozenset(row["primaries"].split())
            for row in csv.DictReader(handle)
        }


class DatabaseReference:
    """Answers the scrubber's and the payer's look-ups from the database."""

    def code_check(self, system: str, code: str, on: date) -> CodeCheck:
        """Whether `code` may be reported on `on`, by the release in force then.

        A CPT code outside the demo list counts as valid when no licensed AMA
        release is loaded: only its format can be checked, as `codesets` does.
        """
        validation = validate_codes_on(system, [code], on)[code]
        return CodeCheck(validation.valid, validation.message)

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
        """Excludes1, NCCI PTP, MUE, sex and age edits from `codesets.edits`."""
        findings = check_edits(
            date_of_service=on,
            diagnoses=diagnoses,
            procedures=[ServiceLine(*line) for line in lines],
            pcs_procedures=pcs_procedures,
            sex=sex,
            age=age,
        )
        return [
            CodeEdit(finding.kind, finding.codes, finding.message, finding.blocking)
            for finding in findings
        ]

    def addon_primaries(self, code: str) -> frozenset[str] | None:
        """The primaries of an add-on code, None when `code` is not one."""
        return addon_codes().get(code)

    def payer(self, payer_id: str) -> Payer | None:
        """The demo payer with this id, None when there is none."""
        from billing.payer_data import payer

        return payer(payer_id)

    def fee(self, code: str, modifiers: tuple[str, ...]) -> Decimal | None:
        """The demo fee schedule's amount for one unit of `code`."""
        from billing.payer_data import fee

        return fee(code, modifiers)
