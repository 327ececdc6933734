"""Grade a learner's claim against a claim key, box by box.

The approach is the coding grader's (docs/grading.md): every box earns the
points `CLAIM_TABLE` gives it, every deduction names its row, the rule it follows
and why, and the key's note explains the expected value. Values are normalised
before they are compared (case, spaces, the dot of ICD-10 codes, "$" and commas in
amounts, date forms). Box 21 keeps only its first diagnosis positional; pointers
are compared by the diagnoses they name; service lines are paired with the key's
by code, in whatever order they come.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from billing.engine.claim import (
    POINTER_LETTERS,
    Claim,
    ClaimForm,
    Institutional,
    ServiceLine,
    parse_money,
    parse_units,
)
from billing.engine.claim_key import CLAIM_TABLE, SHARE_ROWS, ClaimKey
from codeformats import CodeSystem, compact, display_form
from grading.engine.compare import PAYMENT_MODIFIERS
from grading.engine.matching import best_assignment
from grading.engine.result import Deduction, deduction_to_dict

UNKNOWN_POLICY = "no claim grading policy is called {name!r}"
MISSING = "{label} is empty; the key has {expected}."
WRONG = "{label}: {given} where the key has {expected}."
ACCEPTED = "{given} is accepted in place of {expected}."
NEAR_MISS = "{label}: {given} is a near miss of {expected} (a typo)."
FIRST_OUT_OF_PLACE = "{code} is listed, but not first."
NOT_IN_KEY = "{code} is not on the key's claim."
MODIFIER_MISSING = "Modifier {modifier} is missing."
MODIFIER_EXTRA = "Modifier {modifier} is not supported by the record."
MODIFIER_ORDER = "Pricing modifier {modifier} is not listed first."
POINTER_NOTHING = "Pointer {letter} names no diagnosis in box 21."
POINTER_PRIMARY = "The first pointer names {given}; the service is for {expected}."
POINTER_ORDER = "The first pointer names {given}, a secondary reason; {expected} first."
POINTER_UNSUPPORTED = "Pointer {letter} names {given}, which does not support it."
POINTER_CHARGED = (
    "{expected} is missing from the diagnoses and is charged there, not again here."
)
POINTER_SUBSET = "Fewer pointers than the key ({missing} not named): still valid."
LINE_MISSING = "The key's line {code} is not on the claim."
LINE_EXTRA = "Line {code} is not on the key's claim."
SUMMARY = "{points:g} of {max_points:g} points ({percentage:g}%): {counts}."

# Modifiers that set the price and that MAC billing guidance puts first.
PRICING_MODIFIERS = frozenset(
    {"26", "TC", "50", "52", "53", "62", "66", "80", "81", "82", "AS"}
    | {"AA", "AD", "QK", "QX", "QY", "QZ", "54", "55", "56"}
)
TYPO_DISTANCE = 2
TYPO_SHORTEST = 4
DATE_FORMATS = ("%m/%d/%Y", "%m-%d-%Y", "%m%d%Y", "%m %d %Y", "%m/%d/%y", "%m %d %y")
_SPACES = re.compile(r"\s+")
_LINE_TIERS = ("service_date", "place_of_service", "revenue_code", "units", "charge")

# The shipped policies: rows of CLAIM_TABLE each changes. `exam` charges a typo
# as a wrong box; `strict` also charges a valid subset of pointers and order.
POLICIES: Mapping[str, Mapping[str, float]] = {
    "practice": {},
    "strict": {
        "near_miss": 1.0,
        "pointer_order": 1.0,
        "pointer_valid_subset": 0.1,
        "modifier_sequence": 1.0,
    },
    "exam": {"near_miss": 1.0},
}


class FieldStatus(StrEnum):
    CORRECT = "correct"
    PARTIAL = "partial"
    WRONG = "wrong"
    MISSING = "missing"
    EXTRA = "extra"


@dataclass(frozen=True)
class FieldResult:
    """One box of the claim: the key's path (the learner's, for an extra line or
    code), what was expected and given, the points and every deduction."""

    path: str
    label: str
    expected: str
    given: str
    status: FieldStatus
    points: float
    max_points: float
    deductions: tuple[Deduction, ...] = ()
    explanation: str = ""
    reference: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "label": self.label,
            "expected": self.expected,
            "given": self.given,
            "status": self.status.value,
            "points": self.points,
            "max_points": self.max_points,
            "deductions": [deduction_to_dict(item) for item in self.deductions],
            "explanation": self.explanation,
            "reference": self.reference,
        }


@dataclass(frozen=True)
class ClaimGrade:
    """A graded claim. Self-contained: it shows the expected values, so the
    caller shows it only after submission."""

    points: float
    max_points: float
    policy: str
    fields: tuple[FieldResult, ...]

    @property
    def percentage(self) -> float:
        return round(100 * self.points / self.max_points, 2) if self.max_points else 0

    def ledger_counts(self) -> dict[str, int]:
        """How many boxes ended in each status (every status listed)."""
        counts = dict.fromkeys((status.value for status in FieldStatus), 0)
        for result in self.fields:
            counts[result.status.value] += 1
        return counts

    @property
    def summary(self) -> str:
        counts = ", ".join(f"{n} {s}" for s, n in self.ledger_counts().items() if n)
        return SUMMARY.format(
            points=self.points,
            max_points=self.max_points,
            percentage=self.percentage,
            counts=counts,
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "points": self.points,
            "max_points": self.max_points,
            "percentage": self.percentage,
            "policy": self.policy,
            "summary": self.summary,
            "counts": self.ledger_counts(),
            "fields": [result.as_dict() for result in self.fields],
        }


def grade_claim(
    key: ClaimKey, given: Claim, *, policy_name: str = "practice"
) -> ClaimGrade:
    """Grade `given` against `key` under a policy of `POLICIES`."""
    if policy_name not in POLICIES:
        raise ValueError(UNKNOWN_POLICY.format(name=policy_name))
    values = {name: row.value for name, row in CLAIM_TABLE.items()}
    values.update(POLICIES[policy_name])
    values.update(key.weights)
    grader = _Grader(key, given, values)
    fields = grader.grade()
    points = round(max(0.0, sum(result.points for result in fields)), 4)
    max_points = round(sum(result.max_points for result in fields), 4)
    return ClaimGrade(points, max_points, policy_name, tuple(fields))


# Normalisers: the form a value is compared in.
def normalise_text(value: str) -> str:
    """Upper case, spaces collapsed."""
    return _SPACES.sub(" ", value).strip().upper()


def normalise_identifier(value: str) -> str:
    """Upper case, no spaces or dashes: member IDs, authorisation numbers."""
    return re.sub(r"[\s-]", "", value).upper()


def normalise_digits(value: str) -> str:
    """Digits only: NPIs, tax IDs, ZIP codes."""
    return re.sub(r"\D", "", value)


def normalise_date(value: str) -> str:
    """ISO form of a date typed as YYYY-MM-DD, MM/DD/YYYY, MM DD YY ..., the
    text upper-cased when it is no date."""
    text = value.strip()
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    for form in DATE_FORMATS:
        try:
            return datetime.strptime(text, form).date().isoformat()
        except ValueError:
            continue
    return text.upper()


def normalise_money(value: str) -> str:
    """125, 125.00 and $125.00 alike."""
    amount = parse_money(value)
    return str(amount) if amount is not None else value.strip()


def normalise_units(value: str) -> str:
    units = parse_units(value)
    return str(units) if units is not None else value.strip()


def _padded(width: int) -> Callable[[str], str]:
    def normalise(value: str) -> str:
        text = value.strip()
        return text.zfill(width) if text.isdigit() else text.upper()

    return normalise


def _modifiers(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(item.strip().upper() for item in values if item.strip())


def _edit_distance(first: str, second: str) -> int:
    previous = list(range(len(second) + 1))
    for i, left in enumerate(first, 1):
        current = [i]
        for j, right in enumerate(second, 1):
            current.append(
                min(
                    previous[j] + 1,
                    current[j - 1] + 1,
                    previous[j - 1] + (left != right),
                )
            )
        previous = current
    return previous[-1]


def _is_typo(expected: str, given: str) -> bool:
    shortest = min(len(expected), len(given))
    return (
        shortest >= TYPO_SHORTEST and _edit_distance(expected, given) <= TYPO_DISTANCE
    )


@dataclass(frozen=True)
class _Box:
    """A single-valued box: its path, labels on each form, row and normaliser."""

    path: str
    label_1500: str
    label_ub04: str
    row: str
    normalise: Callable[[str], str] = normalise_text
    typo_allowed: bool = False


_CLAIM_BOXES = (
    _Box("insurance.payer_id", "Box 1: payer", "FL 50: payer", "payer_id"),
    _Box("insurance.plan_type", "Box 1: plan type", "FL 50: plan type", "plan_type"),
    _Box(
        "insurance.member_id",
        "Box 1a: insured's ID number",
        "FL 60: insured's unique ID",
        "member_id",
        normalise_identifier,
    ),
    _Box(
        "patient.last_name",
        "Box 2: patient's last name",
        "FL 8: patient's last name",
        "patient_name",
    ),
    _Box(
        "patient.first_name",
        "Box 2: patient's first name",
        "FL 8: patient's first name",
        "patient_name",
    ),
    _Box(
        "patient.birth_date",
        "Box 3: patient's birth date",
        "FL 10: birth date",
        "birth_date",
        normalise_date,
    ),
    _Box("patient.sex", "Box 3: patient's sex", "FL 11: sex", "sex"),
    _Box(
        "insurance.insured.last_name",
        "Box 4: insured's last name",
        "FL 58: insured's last name",
        "insured_name",
    ),
    _Box(
        "insurance.insured.first_name",
        "Box 4: insured's first name",
        "FL 58: insured's first name",
        "insured_name",
    ),
    _Box(
        "patient.address.line1",
        "Box 5: patient's street address",
        "FL 9: patient's street address",
        "address_line",
        typo_allowed=True,
    ),
    _Box(
        "patient.address.city",
        "Box 5: city",
        "FL 9: city",
        "address_part",
        typo_allowed=True,
    ),
    _Box("patient.address.state", "Box 5: state", "FL 9: state", "address_part"),
    _Box(
        "patient.address.zip",
        "Box 5: ZIP code",
        "FL 9: ZIP code",
        "address_part",
        normalise_digits,
    ),
    _Box(
        "insurance.relationship",
        "Box 6: patient relationship to insured",
        "FL 59: patient's relationship to insured",
        "relationship",
        _padded(2),
    ),
    _Box(
        "insurance.group_number",
        "Box 11: insured's group number",
        "FL 62: insurance group number",
        "group_number",
        normalise_identifier,
    ),
    _Box(
        "insurance.insured.birth_date",
        "Box 11a: insured's birth date",
        "Insured's birth date (837I loop 2010BA)",
        "insured_birth_date",
        normalise_date,
    ),
    _Box(
        "frequency",
        "Box 22: resubmission code",
        "FL 4: frequency (last digit)",
        "frequency",
    ),
    _Box(
        "original_reference",
        "Box 22: original reference number",
        "FL 64: document control number",
        "original_reference",
        normalise_identifier,
    ),
    _Box(
        "prior_authorization",
        "Box 23: prior authorization number",
        "FL 63: treatment authorization code",
        "prior_authorization",
        normalise_identifier,
    ),
    _Box(
        "billing_provider.tax_id",
        "Box 25: federal tax ID number",
        "FL 5: federal tax number",
        "tax_id",
        normalise_digits,
    ),
    _Box(
        "rendering_provider.npi",
        "Box 24J: rendering provider NPI",
        "Rendering provider NPI",
        "rendering_npi",
        normalise_digits,
    ),
    _Box(
        "billing_provider.name",
        "Box 33: billing provider name",
        "FL 1: billing provider name",
        "provider_name",
        typo_allowed=True,
    ),
    _Box(
        "billing_provider.npi",
        "Box 33a: billing provider NPI",
        "FL 56: billing provider NPI",
        "billing_npi",
        normalise_digits,
    ),
)

_FACILITY_BOXES = (
    _Box(
        "institutional.type_of_bill",
        "",
        "FL 4: type of bill",
        "type_of_bill",
        _padded(4),
    ),
    _Box(
        "institutional.statement_from",
        "",
        "FL 6: statement from",
        "statement_date",
        normalise_date,
    ),
    _Box(
        "institutional.statement_to",
        "",
        "FL 6: statement through",
        "statement_date",
        normalise_date,
    ),
    _Box(
        "institutional.admission_date",
        "",
        "FL 12: admission date",
        "admission_date",
        normalise_date,
    ),
    _Box(
        "institutional.admission_type",
        "",
        "FL 14: priority (type) of admission",
        "admission_type",
    ),
    _Box(
        "institutional.admission_source",
        "",
        "FL 15: point of origin (source)",
        "admission_source",
    ),
    _Box(
        "institutional.discharge_status",
        "",
        "FL 17: patient discharge status",
        "discharge_status",
        _padded(2),
    ),
    _Box(
        "institutional.admitting_diagnosis",
        "",
        "FL 69: admitting diagnosis",
        "admitting_diagnosis",
        compact,
    ),
    _Box(
        "institutional.attending.npi",
        "",
        "FL 76: attending provider NPI",
        "attending_npi",
        normalise_digits,
    ),
)


def _value(claim: Claim, path: str) -> Any:
    value: Any = claim
    for part in path.split("."):
        if value is None:
            return ""
        value = value[int(part)] if part.isdigit() else getattr(value, part)
    return value if value is not None else ""


@dataclass(frozen=True)
class _CodeEntry:
    """A code of a list graded as 'first positional, the rest a set'."""

    path: str
    code: str
    extra: str = ""  # the POA indicator or procedure date that goes with it


class _Grader:
    def __init__(self, key: ClaimKey, given: Claim, values: dict[str, float]):
        self.key = key
        self.expected = key.claim
        self.given = given
        self.values = values
        self.facility = key.claim.form == ClaimForm.UB04
        # Given box 21 letters -> the key's code they stand for (alternatives
        # folded into the key's code), for comparing pointers by diagnosis.
        self.given_diagnosis_as_key: dict[int, str] = {}
        self.missing_diagnoses: set[str] = set()

    # -- the parts -------------------------------------------------------
    def grade(self) -> list[FieldResult]:
        results = [self._box(box) for box in _CLAIM_BOXES]
        if self.facility:
            results += [self._box(box) for box in _FACILITY_BOXES]
            results += self._facility_lists()
        else:
            results += self._box_21()
        results += self._lines()
        graded = [result for result in results if result is not None]
        return self._with_claim_shares(graded)

    def _box(self, box: _Box) -> FieldResult | None:
        expected = str(_value(self.expected, box.path))
        if not expected or self.key.ignores(box.path):
            return None
        label = box.label_ub04 if self.facility else box.label_1500
        given = str(_value(self.given, box.path))
        return self._compare(
            box.path, label, box.row, expected, given, box.normalise, box.typo_allowed
        )

    def _compare(
        self,
        path: str,
        label: str,
        row: str,
        expected: str,
        given: str,
        normalise: Callable[[str], str],
        typo_allowed: bool = False,
        max_points: float | None = None,
    ) -> FieldResult:
        note = self.key.note(path)
        worth = self.values[row] if max_points is None else max_points
        if not given.strip():
            return self._result(
                path,
                label,
                expected,
                given,
                worth,
                [self._deduction(row, worth, MISSING, label=label, expected=expected)],
                status=FieldStatus.MISSING,
            )
        wanted, typed = normalise(expected), normalise(given)
        accepted = {normalise(item) for item in note.accept}
        if typed == wanted:
            return self._result(path, label, expected, given, worth, [])
        if typed in accepted:
            extra = ACCEPTED.format(given=given, expected=expected)
            return self._result(path, label, expected, given, worth, [], extra)
        if typo_allowed and _is_typo(wanted, typed):
            cost = worth * self.values["near_miss"]
            deduction = self._deduction(
                "near_miss",
                cost,
                NEAR_MISS,
                label=label,
                given=given,
                expected=expected,
            )
            return self._result(path, label, expected, given, worth, [deduction])
        deduction = self._deduction(
            row, worth, WRONG, label=label, given=given, expected=expected
        )
        return self._result(path, label, expected, given, worth, [deduction])

    def _box_21(self) -> list[FieldResult]:
        keyed = [
            _CodeEntry(f"diagnoses.{index}", code)
            for index, code in enumerate(self.expected.diagnoses)
            if code
        ]
        given = [
            _CodeEntry(f"diagnoses.{index}", code)
            for index, code in enumerate(self.given.diagnoses)
            if code
        ]
        return self._first_and_set(
            keyed,
            given,
            first_row="diagnosis_first",
            other_row="diagnosis_other",
            label=lambda index, first: (
                f"Box 21{POINTER_LETTERS[index]}: "
                + ("first-listed diagnosis" if first else "diagnosis")
            ),
            track_pointers=True,
        )

    def _facility_lists(self) -> list[FieldResult]:
        expected = self.expected.institutional or Institutional()
        given = self.given.institutional or Institutional()
        results = self._first_and_set(
            _facility_diagnoses(expected),
            _facility_diagnoses(given),
            first_row="principal_diagnosis",
            other_row="diagnosis_other",
            label=lambda index, first: (
                "FL 67: principal diagnosis" if first else "FL 67A-Q: other diagnosis"
            ),
            extra_row="poa",
        )
        results += self._first_and_set(
            _procedures(expected),
            _procedures(given),
            first_row="principal_procedure",
            other_row="other_procedure",
            label=lambda index, first: (
                "FL 74: principal procedure" if first else "FL 74a-e: other procedure"
            ),
            extra_row="procedure_date",
        )
        results += self._code_set(
            [
                _CodeEntry(f"institutional.condition_codes.{index}", code)
                for index, code in enumerate(expected.condition_codes)
            ],
            [
                _CodeEntry(f"institutional.condition_codes.{index}", code)
                for index, code in enumerate(given.condition_codes)
            ],
            "condition_code",
            "FL 18-28: condition code",
        )
        results += self._code_set(
            [
                _CodeEntry(
                    f"institutional.occurrence_codes.{index}", item.code, item.date
                )
                for index, item in enumerate(expected.occurrence_codes)
            ],
            [
                _CodeEntry(
                    f"institutional.occurrence_codes.{index}", item.code, item.date
                )
                for index, item in enumerate(given.occurrence_codes)
            ],
            "occurrence_code",
            "FL 31-34: occurrence code",
        )
        return results

    # -- coded lists -----------------------------------------------------
    def _alternatives(self, entry: _CodeEntry) -> set[str]:
        path = entry.path.removesuffix(".code")
        notes = self.key.note(entry.path).accept + self.key.note(path).accept
        return {compact(item) for item in notes}

    def _pair_codes(
        self, keyed: list[_CodeEntry], given: list[_CodeEntry]
    ) -> dict[int, int]:
        """Key entry index -> given entry index, same code or an accepted one."""
        scores = {}
        for key_index, entry in enumerate(keyed):
            accepted = self._alternatives(entry)
            for given_index, typed in enumerate(given):
                code = compact(typed.code)
                if code == compact(entry.code):
                    scores[(key_index, given_index)] = (1, 1)
                elif code in accepted:
                    scores[(key_index, given_index)] = (1, 0)
        return best_assignment(scores) if scores else {}

    def _first_and_set(
        self,
        keyed: list[_CodeEntry],
        given: list[_CodeEntry],
        *,
        first_row: str,
        other_row: str,
        label: Callable[[int, bool], str],
        extra_row: str = "",
        track_pointers: bool = False,
    ) -> list[FieldResult]:
        """The first code positional, the others a set; each matched code's
        companion (POA, procedure date) checked; unmatched given codes extra."""
        pairs = self._pair_codes(keyed, given)
        results = []
        for key_index, entry in enumerate(keyed):
            if self.key.ignores(entry.path):
                continue
            first = key_index == 0
            row = first_row if first else other_row
            text = label(_position(entry.path), first)
            worth = self.values[row]
            given_index = pairs.get(key_index)
            if given_index is None:
                self.missing_diagnoses.add(compact(entry.code))
                status = FieldStatus.MISSING
                typed = given[0].code if first and given else ""
                if typed and 0 not in pairs.values():
                    status = FieldStatus.WRONG
                deduction = self._deduction(
                    row, worth, MISSING, label=text, expected=entry.code
                )
                results.append(
                    self._result(
                        entry.path,
                        text,
                        entry.code,
                        typed,
                        worth,
                        [deduction],
                        status=status,
                    )
                )
                continue
            typed = given[given_index]
            if track_pointers:
                self.given_diagnosis_as_key[_position(typed.path)] = compact(entry.code)
            deductions = []
            if first and given_index != 0:
                deductions.append(
                    self._deduction(
                        "first_out_of_place",
                        worth * self.values["first_out_of_place"],
                        FIRST_OUT_OF_PLACE,
                        code=typed.code,
                    )
                )
            explanation = ""
            if compact(typed.code) != compact(entry.code):
                explanation = ACCEPTED.format(given=typed.code, expected=entry.code)
            results.append(
                self._result(
                    entry.path,
                    text,
                    entry.code,
                    typed.code,
                    worth,
                    deductions,
                    explanation,
                )
            )
            if extra_row and entry.extra:
                results.append(self._companion(entry, typed, extra_row, text))
        if track_pointers:
            for typed in given:
                self.given_diagnosis_as_key.setdefault(
                    _position(typed.path), compact(typed.code)
                )
        results += self._extras(
            given, set(pairs.values()), lambda path: label(_position(path), False)
        )
        return results

    def _companion(
        self, entry: _CodeEntry, typed: _CodeEntry, row: str, text: str
    ) -> FieldResult:
        """The POA indicator of a diagnosis, the date of a procedure."""
        if row == "poa":
            return self._compare(
                f"{entry.path.removesuffix('.code')}.poa",
                f"{text} {entry.code}: present on admission",
                row,
                entry.extra,
                typed.extra,
                normalise_text,
            )
        # A procedure's date is a share of the procedure's points, shown apart.
        worth = self.values["other_procedure"] * self.values[row]
        return self._compare(
            f"{entry.path.removesuffix('.code')}.date",
            f"{text} {entry.code}: date",
            row,
            entry.extra,
            typed.extra,
            normalise_date,
            max_points=worth,
        )

    def _code_set(
        self, keyed: list[_CodeEntry], given: list[_CodeEntry], row: str, label: str
    ) -> list[FieldResult]:
        """Codes whose order means nothing, each with its date when it has one."""
        pairs = self._pair_codes(keyed, given)
        results = []
        for key_index, entry in enumerate(keyed):
            if self.key.ignores(entry.path):
                continue
            worth = self.values[row]
            given_index = pairs.get(key_index)
            if given_index is None:
                deduction = self._deduction(
                    row, worth, MISSING, label=label, expected=entry.code
                )
                results.append(
                    self._result(
                        entry.path,
                        label,
                        entry.code,
                        "",
                        worth,
                        [deduction],
                        status=FieldStatus.MISSING,
                    )
                )
                continue
            typed = given[given_index]
            deductions = []
            if entry.extra and normalise_date(entry.extra) != normalise_date(
                typed.extra
            ):
                deductions.append(
                    self._deduction(
                        row,
                        worth / 2,
                        WRONG,
                        label=f"{label} {entry.code} date",
                        given=typed.extra or "no date",
                        expected=entry.extra,
                    )
                )
            results.append(
                self._result(
                    entry.path, label, entry.code, typed.code, worth, deductions
                )
            )
        results += self._extras(given, set(pairs.values()), lambda path: label, row)
        return results

    def _extras(
        self,
        given: list[_CodeEntry],
        matched: set[int],
        label: Callable[[str], str],
        row: str = "extra_code",
    ) -> list[FieldResult]:
        """Given codes the key does not have, each costing `row`'s value."""
        results = []
        for index, typed in enumerate(given):
            if index in matched:
                continue
            cost = self.values[row]
            deduction = self._deduction(row, cost, NOT_IN_KEY, code=typed.code)
            results.append(
                self._result(
                    typed.path,
                    label(typed.path),
                    "",
                    typed.code,
                    0.0,
                    [deduction],
                    status=FieldStatus.EXTRA,
                )
            )
        return results

    # -- service lines ---------------------------------------------------
    def _lines(self) -> list[FieldResult]:
        keyed, given = self.expected.lines, self.given.lines
        scores = {}
        for key_index, line in enumerate(keyed):
            accepted = self._line_alternatives(key_index)
            for given_index, typed in enumerate(given):
                identity = _line_identity(typed)
                if identity == _line_identity(line) or identity in accepted:
                    agreement = sum(
                        normalise_text(getattr(line, name))
                        == normalise_text(getattr(typed, name))
                        for name in _LINE_TIERS
                    )
                    same_modifiers = set(_modifiers(line.modifiers)) == set(
                        _modifiers(typed.modifiers)
                    )
                    scores[(key_index, given_index)] = (
                        1,
                        int(same_modifiers),
                        agreement,
                    )
        pairs = best_assignment(scores) if scores else {}
        results = []
        for key_index, line in enumerate(keyed):
            path = f"lines.{key_index}"
            if self.key.ignores(path):
                continue
            if key_index in pairs:
                results += self._line(key_index, line, given[pairs[key_index]])
                continue
            worth = sum(item.max_points for item in self._line(key_index, line, None))
            code = line.code or line.revenue_code
            label = self._line_label(key_index, "service line")
            deduction = Deduction("line_code", worth, LINE_MISSING.format(code=code))
            results.append(
                self._result(
                    path,
                    label,
                    code,
                    "",
                    worth,
                    [deduction],
                    status=FieldStatus.MISSING,
                )
            )
        matched = set(pairs.values())
        for given_index, typed in enumerate(given):
            if given_index in matched or not (typed.code or typed.revenue_code):
                continue
            code = typed.code or typed.revenue_code
            cost = self.values["extra_line"]
            reason = f"{LINE_EXTRA.format(code=code)} {CLAIM_TABLE['extra_line'].why}"
            results.append(
                FieldResult(
                    f"lines.{given_index}",
                    self._line_label(given_index, "service line"),
                    "",
                    code,
                    FieldStatus.EXTRA,
                    -cost,
                    0.0,
                    (Deduction("extra_line", cost, reason),),
                    reference=CLAIM_TABLE["extra_line"].reference,
                )
            )
        return results

    def _line_alternatives(self, key_index: int) -> set[str]:
        accept = self.key.note(f"lines.{key_index}.code").accept
        return {compact(item) for item in accept}

    def _line_label(self, index: int, box: str) -> str:
        form = "FL 42-47" if self.facility else "Box 24"
        return f"{form}, line {index + 1}: {box}"

    def _line(
        self, index: int, line: ServiceLine, typed: ServiceLine | None
    ) -> list[FieldResult]:
        """The boxes of one key line against the given line paired with it (an
        empty line when none is, to know what the line is worth)."""
        given = typed or ServiceLine()
        prefix = f"lines.{index}"
        boxes: list[tuple[str, str, str, Callable[[str], str]]] = [
            ("service_date", "date of service", "line_date", normalise_date),
        ]
        if self.facility:
            boxes.append(
                ("revenue_code", "revenue code", "line_revenue_code", _padded(4))
            )
        else:
            boxes.append(
                ("place_of_service", "place of service", "line_place", _padded(2))
            )
        boxes.append(("code", "CPT/HCPCS", "line_code", compact))
        boxes += [
            ("charge", "charges", "line_charge", normalise_money),
            ("units", "units", "line_units", normalise_units),
        ]
        if not self.facility:
            boxes.append(
                ("rendering_npi", "rendering NPI", "rendering_npi", normalise_digits)
            )
        results = []
        for name, box, row, normalise in boxes:
            path = f"{prefix}.{name}"
            expected = getattr(line, name)
            if not expected or self.key.ignores(path):
                continue
            results.append(
                self._compare(
                    path,
                    self._line_label(index, box),
                    row,
                    expected,
                    getattr(given, name),
                    normalise,
                )
            )
        if not self.key.ignores(f"{prefix}.modifiers"):
            modifiers = self._modifier_result(index, line, given)
            if modifiers is not None:
                results.append(modifiers)
        pointers_graded = not self.key.ignores(f"{prefix}.pointers")
        if not self.facility and line.pointers and pointers_graded:
            results.append(self._pointer_result(index, line, given))
        return results

    def _modifier_result(
        self, index: int, line: ServiceLine, given: ServiceLine
    ) -> FieldResult | None:
        """Modifiers as a set (the key's or an accepted one, whichever is
        closer), a pricing modifier out of first place charged apart."""
        path = f"lines.{index}.modifiers"
        label = self._line_label(index, "modifiers")
        wanted = _modifiers(line.modifiers)
        typed = _modifiers(given.modifiers)
        if not wanted and not typed:
            return None
        if any(item in PAYMENT_MODIFIERS for item in wanted):
            worth = self.values["line_code"]
        else:
            worth = self.values["modifier_informational"] if wanted else 0.0
        candidates = [wanted] + [
            _modifiers(item.split(",")) for item in self.key.note(path).accept
        ]
        options = [
            (self._modifier_deductions(set(c), typed, worth), c) for c in candidates
        ]
        deductions, chosen = min(
            options, key=lambda item: sum(d.points for d in item[0])
        )
        explanation = ""
        if set(chosen) != set(wanted) and set(chosen) == set(typed):
            explanation = ACCEPTED.format(
                given="-".join(typed), expected="-".join(wanted)
            )
        status = None if wanted else FieldStatus.EXTRA
        return self._result(
            path,
            label,
            " ".join(wanted),
            " ".join(typed),
            worth,
            deductions,
            explanation,
            status=status,
        )

    def _modifier_deductions(
        self, wanted: set[str], typed: tuple[str, ...], worth: float
    ) -> list[Deduction]:
        deductions = []
        for modifier in sorted(wanted - set(typed)):
            if modifier in PAYMENT_MODIFIERS:
                deductions.append(
                    self._deduction(
                        "modifier_payment",
                        worth * self.values["modifier_payment"],
                        MODIFIER_MISSING,
                        modifier=modifier,
                    )
                )
            else:
                deductions.append(
                    self._deduction(
                        "modifier_informational",
                        self.values["modifier_informational"],
                        MODIFIER_MISSING,
                        modifier=modifier,
                    )
                )
        for modifier in [item for item in typed if item not in wanted]:
            row = (
                "modifier_extra_payment"
                if modifier in PAYMENT_MODIFIERS
                else "modifier_extra_informational"
            )
            deductions.append(
                self._deduction(
                    row, self.values[row], MODIFIER_EXTRA, modifier=modifier
                )
            )
        pricing = [item for item in typed if item in PRICING_MODIFIERS]
        others = [item for item in typed if item not in PRICING_MODIFIERS]
        if pricing and others and typed.index(pricing[-1]) > typed.index(others[0]):
            deductions.append(
                self._deduction(
                    "modifier_sequence",
                    self.values["modifier_sequence"],
                    MODIFIER_ORDER,
                    modifier=pricing[-1],
                )
            )
        return deductions

    def _pointer_result(
        self, index: int, line: ServiceLine, given: ServiceLine
    ) -> FieldResult:
        """Pointers by the diagnoses they name: the first must name the line's
        primary diagnosis, the others any the key links to the line."""
        path = f"lines.{index}.pointers"
        label = self._line_label(index, "diagnosis pointers")
        worth = self.values["line_pointers"]
        linked = [
            compact(self.expected.pointer_target(letter) or "")
            for letter in line.pointers
        ]
        primary = linked[0]
        expected_text = f"{' '.join(line.pointers)} ({_shown(linked)})"
        letters = [item.strip().upper() for item in given.pointers if item.strip()]
        if not letters:
            deduction = self._deduction(
                "line_pointers", worth, MISSING, label=label, expected=expected_text
            )
            return self._result(
                path,
                label,
                expected_text,
                "",
                worth,
                [deduction],
                status=FieldStatus.MISSING,
            )
        named = [self._given_diagnosis(letter) for letter in letters]
        given_text = f"{' '.join(letters)} ({_shown(named)})"
        deductions = []
        explanations = []
        for letter, code in zip(letters, named, strict=True):
            if code is None:
                deductions.append(
                    self._deduction(
                        "pointer_to_nothing",
                        worth * self.values["pointer_to_nothing"],
                        POINTER_NOTHING,
                        letter=letter,
                    )
                )
        first = named[0]
        if first is not None and first != primary:
            if primary in self.missing_diagnoses:
                explanations.append(POINTER_CHARGED.format(expected=_shown([primary])))
            elif first in linked:
                deductions.append(
                    self._deduction(
                        "pointer_order",
                        worth * self.values["pointer_order"],
                        POINTER_ORDER,
                        given=_shown([first]),
                        expected=_shown([primary]),
                    )
                )
            else:
                deductions.append(
                    self._deduction(
                        "pointer_primary",
                        worth * self.values["pointer_primary"],
                        POINTER_PRIMARY,
                        given=_shown([first]),
                        expected=_shown([primary]),
                    )
                )
        known = set(self._key_diagnoses())
        for letter, code in list(zip(letters, named, strict=True))[1:]:
            if code is not None and code not in linked and code in known:
                deductions.append(
                    self._deduction(
                        "pointer_unsupported",
                        worth * self.values["pointer_unsupported"],
                        POINTER_UNSUPPORTED,
                        letter=letter,
                        given=_shown([code]),
                    )
                )
        unnamed = [
            code
            for code in linked[1:]
            if code not in named and code not in self.missing_diagnoses
        ]
        if unnamed:
            subset = self._deduction(
                "pointer_valid_subset",
                worth * self.values["pointer_valid_subset"],
                POINTER_SUBSET,
                missing=_shown(unnamed),
            )
            deductions.append(subset)
            if not subset.points:
                explanations.append(POINTER_SUBSET.format(missing=_shown(unnamed)))
        return self._result(
            path,
            label,
            expected_text,
            given_text,
            worth,
            deductions,
            " ".join(explanations),
        )

    def _given_diagnosis(self, letter: str) -> str | None:
        """The key's code a given pointer letter names (its own code when the
        key does not have it), None when it names nothing."""
        position = POINTER_LETTERS.find(letter[:1] or "?")
        if self.given.pointer_target(letter) is None or position < 0:
            return None
        return self.given_diagnosis_as_key.get(position)

    def _key_diagnoses(self) -> list[str]:
        return [compact(code) for code in self.expected.all_diagnoses()]

    # -- results ---------------------------------------------------------
    def _deduction(
        self, row: str, points: float, message: str, **values: str
    ) -> Deduction:
        reason = f"{message.format(**values)} {CLAIM_TABLE[row].why}"
        return Deduction(
            row, round(points, 4), f"{reason} ({CLAIM_TABLE[row].reference})"
        )

    def _result(
        self,
        path: str,
        label: str,
        expected: str,
        given: str,
        worth: float,
        deductions: list[Deduction],
        explanation: str = "",
        *,
        status: FieldStatus | None = None,
    ) -> FieldResult:
        charged = [item for item in deductions if item.points > 0]
        taken = sum(item.points for item in charged)
        points = worth - taken if worth == 0 else max(0.0, worth - taken)
        if status is None:
            if not taken:
                status = FieldStatus.CORRECT
            elif points > 0:
                status = FieldStatus.PARTIAL
            else:
                status = FieldStatus.WRONG
        note = self.key.note(path)
        text = " ".join(item for item in (explanation, note.rationale) if item)
        return FieldResult(
            path,
            label,
            expected,
            given,
            status,
            round(points, 4),
            round(worth, 4),
            tuple(charged),
            text,
            note.reference,
        )

    def _with_claim_shares(self, results: list[FieldResult]) -> list[FieldResult]:
        """Make the `claim_share` boxes (member ID, payer) worth their share of
        the whole claim: a claim the payer cannot place is worth little."""
        shared = [r for r in results if _row_of(r) in SHARE_ROWS]
        rest = sum(r.max_points for r in results if r not in shared)
        total_share = sum(self.values[_row_of(r)] for r in shared)
        if not shared or total_share >= 1:
            return results
        whole = rest / (1 - total_share)
        scaled = []
        for result in results:
            if result not in shared:
                scaled.append(result)
                continue
            worth = whole * self.values[_row_of(result)]
            factor = worth / result.max_points if result.max_points else 0
            deductions = tuple(
                Deduction(item.rule, round(item.points * factor, 4), item.reason)
                for item in result.deductions
            )
            scaled.append(
                FieldResult(
                    result.path,
                    result.label,
                    result.expected,
                    result.given,
                    result.status,
                    round(result.points * factor, 4),
                    round(worth, 4),
                    deductions,
                    result.explanation,
                    result.reference,
                )
            )
        return scaled


def _shown(codes: Sequence[str | None]) -> str:
    """Compact ICD-10-CM codes as coders read them, "?" for a pointer to none."""
    return ", ".join(
        display_form(CodeSystem.ICD10CM, code) if code else "?" for code in codes
    )


def _position(path: str) -> int:
    """The index in a list box's path: 3 for diagnoses.3 and for
    institutional.other_diagnoses.3.code."""
    return next((int(part) for part in path.split(".") if part.isdigit()), 0)


def _row_of(result: FieldResult) -> str:
    for box in _CLAIM_BOXES:
        if box.path == result.path:
            return box.row
    return ""


def _line_identity(line: ServiceLine) -> str:
    """What pairs a line with the key's: its code, or its revenue code when a
    facility line has no HCPCS (room and board)."""
    return compact(line.code) if line.code else f"REV{line.revenue_code.strip()}"


def _facility_diagnoses(facility: Institutional) -> list[_CodeEntry]:
    entries = []
    if facility.principal_diagnosis.code:
        entries.append(
            _CodeEntry(
                "institutional.principal_diagnosis.code",
                facility.principal_diagnosis.code,
                facility.principal_diagnosis.poa,
            )
        )
    entries += [
        _CodeEntry(f"institutional.other_diagnoses.{index}.code", item.code, item.poa)
        for index, item in enumerate(facility.other_diagnoses)
        if item.code
    ]
    return entries


def _procedures(facility: Institutional) -> list[_CodeEntry]:
    return [
        _CodeEntry(f"institutional.procedures.{index}.code", item.code, item.date)
        for index, item in enumerate(facility.procedures)
        if item.code
    ]
