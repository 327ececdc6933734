"""Posting a remittance: the learner reads the 835 and enters, line by line, what
was paid, what the provider writes off and what the patient owes.

Each amount is worth a point and must be right to the cent. The key is the
remittance itself: paid is SVC03, the write-off is the sum of the CO, OA and PI
adjustments, and the patient's share is the sum of the PR adjustments (CMS
Medicare Claims Processing Manual ch. 22 §60: only group PR may be billed to the
patient).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal

from billing.engine.claim import parse_money
from billing.engine.remittance import Group, LineRemittance, Remittance

POSTING_POLICY = "billing-posting"
RIGHT = "Right: {amount}."
WRONG = "Expected {expected}: {why}"
MISSING = "Left empty. Expected {expected}: {why}"
NOT_AN_AMOUNT = "{given!r} is not an amount. Expected {expected}: {why}"
WHY_PAID = "the paid amount is SVC03 on the line's SVC segment."
WHY_WRITE_OFF = (
    "the provider writes off the CO, OA and PI adjustments on the line "
    "(CAS {codes}); CO amounts may never be billed to the patient."
)
WHY_PATIENT = (
    "the patient owes only the PR adjustments on the line (CAS {codes}): "
    "deductible, co-insurance and co-pay."
)
WHY_TOTAL_PAID = "the claim's payment is CLP04, the sum of the lines' payments."
WHY_BALANCE = "the patient's balance is CLP05, the sum of the PR adjustments."
FIELDS = ("paid", "write_off", "patient")


@dataclass(frozen=True)
class PostedAmount:
    path: str
    label: str
    expected: str
    given: str
    correct: bool
    explanation: str


@dataclass(frozen=True)
class PostingGrade:
    points: float
    max_points: float
    amounts: tuple[PostedAmount, ...]
    policy: str = POSTING_POLICY

    def ledger_counts(self) -> dict[str, int]:
        right = sum(a.correct for a in self.amounts)
        return {"correct": right, "wrong": len(self.amounts) - right}

    def as_dict(self) -> dict:
        return {
            "policy": self.policy,
            "points": self.points,
            "max_points": self.max_points,
            "amounts": [asdict(a) for a in self.amounts],
        }


def _sum(line: LineRemittance, groups: set[Group]) -> tuple[Decimal, str]:
    picked = [a for a in line.adjustments if a.group in groups]
    codes = ", ".join(f"{a.group}-{a.reason}" for a in picked) or "none"
    return sum((a.amount for a in picked), Decimal("0.00")), codes


def posting_key(remittance: Remittance) -> dict[str, tuple[Decimal, str, str]]:
    """Every amount to post: path -> (amount, label, why)."""
    key: dict[str, tuple[Decimal, str, str]] = {}
    for line in remittance.lines:
        n = line.line_number
        write_off, co_codes = _sum(
            line, {Group.CONTRACTUAL, Group.OTHER, Group.PAYER_INITIATED}
        )
        patient, pr_codes = _sum(line, {Group.PATIENT})
        key[f"lines.{n}.paid"] = (line.paid, f"Line {n} paid", WHY_PAID)
        key[f"lines.{n}.write_off"] = (
            write_off,
            f"Line {n} write-off",
            WHY_WRITE_OFF.format(codes=co_codes),
        )
        key[f"lines.{n}.patient"] = (
            patient,
            f"Line {n} patient responsibility",
            WHY_PATIENT.format(codes=pr_codes),
        )
    key["claim.paid"] = (remittance.paid, "Claim paid", WHY_TOTAL_PAID)
    key["claim.patient"] = (
        remittance.patient_responsibility,
        "Patient balance",
        WHY_BALANCE,
    )
    return key


def grade_posting(remittance: Remittance, given: dict[str, str]) -> PostingGrade:
    """Grade the amounts the learner posted (`given`: path -> text typed)."""
    amounts = []
    for path, (expected, label, why) in posting_key(remittance).items():
        typed = (given.get(path) or "").strip()
        value = parse_money(typed) if typed else None
        shown = f"${expected:,.2f}"
        if value == expected:
            explanation = RIGHT.format(amount=shown)
        elif not typed:
            explanation = MISSING.format(expected=shown, why=why)
        elif value is None:
            explanation = NOT_AN_AMOUNT.format(given=typed, expected=shown, why=why)
        else:
            explanation = WRONG.format(expected=shown, why=why)
        amounts.append(
            PostedAmount(path, label, shown, typed, value == expected, explanation)
        )
    right = sum(a.correct for a in amounts)
    return PostingGrade(float(right), float(len(amounts)), tuple(amounts))
