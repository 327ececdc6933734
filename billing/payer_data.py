"""The demo payers' files: who the payers are, what they pay and what their codes
mean. Plain Python: the files are read once and cached.

- `data/payers.json`: each payer's plan types, filing limit, fee factor, the codes
  it authorises in advance and its coverage policies.
- `data/fee_schedule.csv`: one unit's allowed amount per code, with professional
  (26) and technical (TC) rows where a code splits; demo dollars.
- `data/carc.csv`, `data/rarc.csv`: the adjustment reason and remark codes the
  demo payer uses and the teaching set, in CoderAcademy's own words.

Each CSV opens with one line saying what it is, then its header.
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from functools import cache
from pathlib import Path

from billing.engine.reference import CoveragePolicy, Payer

DATA = Path(__file__).resolve().parent / "data"
PAYERS_FILE = DATA / "payers.json"
FEE_SCHEDULE_FILE = DATA / "fee_schedule.csv"
CARC_FILE = DATA / "carc.csv"
RARC_FILE = DATA / "rarc.csv"
# Modifiers that select a component row: 26 professional, TC technical.
COMPONENT_MODIFIERS = ("26", "TC")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        handle.readline()  # the file's description line
        return list(csv.DictReader(handle))


def _policy(entry: dict) -> CoveragePolicy:
    return CoveragePolicy(
        id=entry["id"],
        title=entry["title"],
        codes=frozenset(entry["codes"]),
        diagnosis_prefixes=tuple(entry["diagnosis_prefixes"]),
        published=entry["published"],
        records_review=entry["records_review"],
    )


def _optional_decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


@cache
def payers() -> dict[str, Payer]:
    """Every demo payer by id."""
    entries = json.loads(PAYERS_FILE.read_text(encoding="utf-8"))["payers"]
    return {
        entry["id"]: Payer(
            id=entry["id"],
            name=entry["name"],
            plan_types=tuple(entry["plan_types"]),
            filing_limit_days=entry["filing_limit_days"],
            fee_factor=Decimal(entry["fee_factor"]),
            authorization_codes=frozenset(entry["authorization_codes"]),
            policies=tuple(_policy(p) for p in entry["policies"]),
            inpatient_percent_of_charges=_optional_decimal(
                entry.get("inpatient_percent_of_charges")
            ),
        )
        for entry in entries
    }


def payer(payer_id: str) -> Payer | None:
    """The demo payer with this id (as typed, case and spaces forgiven), or None."""
    return payers().get(payer_id.strip().upper())


@cache
def fee_schedule() -> dict[tuple[str, str], Decimal]:
    """(code, modifier) to one unit's allowed amount; modifier "" is the global
    fee, 26 and TC the professional and technical components."""
    return {
        (row["code"], row["modifier"]): Decimal(row["allowed"])
        for row in _rows(FEE_SCHEDULE_FILE)
    }


def fee(code: str, modifiers: tuple[str, ...] = ()) -> Decimal | None:
    """One unit's allowed amount before the payer's factor: the 26 or TC row when
    the line carries that modifier, else the global row. None when the schedule
    has no such row (a component modifier on a code that does not split is
    unpriced, not paid at the global rate)."""
    code = code.strip().upper()
    carried = {m.strip().upper() for m in modifiers}
    component = next((m for m in COMPONENT_MODIFIERS if m in carried), "")
    return fee_schedule().get((code, component))


@cache
def _texts(path: Path) -> dict[str, str]:
    return {row["code"]: row["description"] for row in _rows(path)}


def carc_text(code: str) -> str | None:
    """Our wording of a Claim Adjustment Reason Code, None when not in the list."""
    return _texts(CARC_FILE).get(code.strip().upper())


def rarc_text(code: str) -> str | None:
    """Our wording of a Remittance Advice Remark Code, None when not in the list."""
    return _texts(RARC_FILE).get(code.strip().upper())
