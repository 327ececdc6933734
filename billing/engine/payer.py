"""The deterministic demo payer: one claim in, one remittance (an 835's CLP and
SVC loops) out.

Claim-level rules run first and, when one fires, deny every line with its
reason. Otherwise each line runs the line rules in `LINE_ORDER` until one denies
it; a line no rule denies is priced (CO-45 down to the fee schedule, or on an
inpatient stay to the payer's percent of charges) and the patient's share taken
(copay, deductible, coinsurance; none on preventive services). Every rule is in `RULES`
with its group code, CARC, RARC, worklist answer and source; the CARC and RARC
meanings are X12's and CMS's published lists (carc.csv and rarc.csv hold our
wording). Amounts balance as the 835 requires (X12 005010X221A1 TR3 §1.10.2.1):
each line's charge is its payment plus its adjustments, the claim's charge and
payment are the sums of its lines'.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from billing.engine.claim import (
    Claim,
    ClaimForm,
    Frequency,
    ServiceLine,
    age_on,
    parse_date,
    parse_money,
    parse_units,
)
from billing.engine.reference import Coverage, CoveragePolicy, Payer, Reference
from billing.engine.remittance import (
    Adjustment,
    ClaimStatus,
    Denial,
    DenialAction,
    DenialCategory,
    Group,
    LineRemittance,
    Remittance,
)
from codeformats import CodeSystem, is_em, procedure_system

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
COMPONENT_MODIFIERS = frozenset({"26", "TC"})
# CPT's evaluation and management section: the visits a copay is charged on.
# Modifier 50 on a code with Medicare bilateral surgery indicator 1: one line,
# one unit, paid at 150% of the fee (CMS IOM 100-04 ch. 12 §40.7). The demo
# schedule carries no indicator, so every code billed with 50 is taken as one.
BILATERAL_MODIFIER = "50"
BILATERAL_FEE_SHARE = Decimal("1.50")
# Preventive services on the demo schedule paid with no copay, deductible or
# coinsurance: PHSA §2713 and 45 CFR 147.130(a) (non-grandfathered commercial
# plans, in network: USPSTF A/B, ACIP vaccines, Bright Futures visits); for
# Medicare SSA §1833(a)(1) and (b) with 42 CFR 410.152(l) and 410.160(b) (IPPE,
# annual wellness visit, the influenza, pneumococcal and hepatitis B vaccines and
# their administration). Medicare does not cover the 99381-99397 routine visits
# at all (SSA §1862(a)(7)); the demo payers all follow the commercial rule.
PREVENTIVE_VISITS = frozenset(str(code) for code in range(99381, 99388)) | frozenset(
    str(code) for code in range(99391, 99398)
)
PREVENTIVE_CODES = PREVENTIVE_VISITS | {
    "G0402",  # initial preventive physical examination (IPPE)
    "G0438",  # annual wellness visit, first
    "G0439",  # annual wellness visit, subsequent
    "G0008",  # Medicare influenza vaccine administration
    "G0009",  # Medicare pneumococcal vaccine administration
    "G0010",  # Medicare hepatitis B vaccine administration
    "90460",  # immunization administration codes
    "90461",
    "90471",
    "90472",
    "90473",
    "90474",
    "90656",  # the vaccine products the demo schedule prices
    "90661",
    "90673",
    "90686",
    "90715",
}
# FL 4 type of bill, its first two digits after the leading 0: 11 is hospital
# inpatient (NUBC UB-04 FL 4). 12x (inpatient Part B) bills as outpatient, with
# line dates and HCPCS (X12 RFI 1435); swing-bed and SNF stays are not modelled.
INPATIENT_BILL_TYPES = frozenset({"11"})


@dataclass(frozen=True)
class PayerRule:
    """One rule of the demo payer: the CAS it writes and, for a denial, how the
    worklist files it."""

    name: str
    when: str
    group: Group
    reason: str
    remarks: tuple[str, ...] = ()
    category: DenialCategory | None = None
    action: DenialAction | None = None
    source: str = ""


_C = DenialCategory
_A = DenialAction
RULES: dict[str, PayerRule] = {
    rule.name: rule
    for rule in (
        PayerRule(
            "identity",
            "The member ID, the insured's name or birth date on the claim does "
            "not match the payer's eligibility record",
            Group.CONTRACTUAL,
            "31",
            (),
            _C.ELIGIBILITY,
            _A.CORRECTED_CLAIM,
            "CARC 31; the 270/271 eligibility record is the payer's truth",
        ),
        PayerRule(
            "timely_filing",
            "Submitted more than the payer's filing limit (days) after the "
            "earliest date of service",
            Group.CONTRACTUAL,
            "29",
            (),
            _C.TIMELY_FILING,
            _A.WRITE_OFF,
            "CMS IOM 100-04 ch. 1 §70 (Medicare: 12 months from the date of "
            "service); the commercial limits are the demo contracts'; CARC 29",
        ),
        PayerRule(
            "duplicate",
            "An original claim (frequency 1) whose patient control number the "
            "payer already has",
            Group.OTHER,
            "18",
            ("N522",),
            _C.DUPLICATE,
            _A.NO_ACTION,
            "CARC 18 (X12: group OA except where workers' compensation rules "
            "require CO); RARC N522; a change goes as frequency 7, not a new 1",
        ),
        PayerRule(
            "service_date",
            "A line's date of service is missing or not a date",
            Group.CONTRACTUAL,
            "16",
            ("M52",),
            _C.CODING,
            _A.CORRECTED_CLAIM,
            "CARC 16 with RARC M52; 837P loop 2400 DTP*472 is required",
        ),
        PayerRule(
            "charge",
            "A line's charge is missing or not an amount",
            Group.CONTRACTUAL,
            "16",
            ("M79",),
            _C.CODING,
            _A.CORRECTED_CLAIM,
            "CARC 16 with RARC M79; 837P SV102 is required",
        ),
        PayerRule(
            "units",
            "A line's units are missing or not a whole number of at least 1",
            Group.CONTRACTUAL,
            "16",
            ("M53",),
            _C.CODING,
            _A.CORRECTED_CLAIM,
            "CARC 16 with RARC M53; 837P SV104 is required",
        ),
        PayerRule(
            "before_coverage",
            "The date of service is before the coverage's effective date",
            Group.PATIENT,
            "26",
            (),
            _C.ELIGIBILITY,
            _A.BILL_PATIENT,
            "CARC 26; with no coverage on the date the patient owes the service",
        ),
        PayerRule(
            "after_coverage",
            "The date of service is after the coverage ended",
            Group.PATIENT,
            "27",
            (),
            _C.ELIGIBILITY,
            _A.BILL_PATIENT,
            "CARC 27; with no coverage on the date the patient owes the service",
        ),
        PayerRule(
            "code_invalid",
            "The procedure code is not valid on the date of service",
            Group.CONTRACTUAL,
            "181",
            ("N56",),
            _C.CODING,
            _A.CORRECTED_CLAIM,
            "45 CFR §162.1002 (the code set in force when the service was "
            "given); CARC 181 with RARC N56",
        ),
        PayerRule(
            "component_modifier",
            "26 or TC on a code the fee schedule does not split into components",
            Group.CONTRACTUAL,
            "4",
            (),
            _C.CODING,
            _A.CORRECTED_CLAIM,
            "CARC 4; the professional/technical split is per code (Medicare "
            "physician fee schedule PC/TC indicator)",
        ),
        PayerRule(
            "unpriced",
            "The fee schedule has no fee for the code",
            Group.CONTRACTUAL,
            "16",
            ("M51",),
            _C.CODING,
            _A.CORRECTED_CLAIM,
            "CARC 16 with RARC M51: the demo schedule prices every code the "
            "demo cases need, so an unpriced code is taken as billed in error",
        ),
        PayerRule(
            "ptp",
            "The code is column 2 of an NCCI PTP pair with column 1 on the same "
            "day, and no modifier the edit allows bypasses it",
            Group.CONTRACTUAL,
            "97",
            ("M80",),
            _C.CODING,
            _A.CORRECTED_CLAIM,
            "NCCI Policy Manual ch. 1 (PTP edits, modifier indicators, 59 and "
            "X{EPSU}); CARC 97 with RARC M80",
        ),
        PayerRule(
            "mue",
            "The units of the code pass its MUE (per line or per day, by the "
            "MUE adjudication indicator)",
            Group.CONTRACTUAL,
            "151",
            ("N362",),
            _C.CODING,
            _A.CORRECTED_CLAIM,
            "CMS NCCI MUE program (a coding denial, not medical necessity: no "
            "ABN); CARC 151 with RARC N362 (MACs vary: 151/MA01, 96/N362)",
        ),
        PayerRule(
            "addon_without_primary",
            "An add-on code with none of its primary codes on the same date",
            Group.CONTRACTUAL,
            "107",
            ("N122",),
            _C.CODING,
            _A.CORRECTED_CLAIM,
            "NCCI Policy Manual ch. 1 (add-on codes are reported only with "
            "their primary); CARC 107 with RARC N122",
        ),
        PayerRule(
            "authorization_absent",
            "The payer requires authorization for the code and has none on file",
            Group.CONTRACTUAL,
            "197",
            (),
            _C.AUTHORIZATION,
            _A.WRITE_OFF,
            "CARC 197; the demo contracts hold the in-network provider liable "
            "and allow no retro-authorization, so the CO amount is written off",
        ),
        PayerRule(
            "authorization_number",
            "Authorization is on file but box 23 / FL 63 does not carry its number",
            Group.CONTRACTUAL,
            "16",
            ("M62",),
            _C.AUTHORIZATION,
            _A.CORRECTED_CLAIM,
            "CARC 16 with RARC M62; 837P loop 2300 REF*G1 carries the number",
        ),
        PayerRule(
            "medical_necessity",
            "A coverage policy lists the code and no diagnosis the line points "
            "to is among its covered diagnoses",
            Group.CONTRACTUAL,
            "50",
            ("N115",),
            _C.MEDICAL_NECESSITY,
            _A.CORRECTED_CLAIM,
            "SSA §1862(a)(1)(A); LCDs; CARC 50 with RARC N115. Corrected claim "
            "when the record documents a covered diagnosis the claim left out; "
            "without an ABN the CO amount is written off",
        ),
        PayerRule(
            "records_review",
            "An original claim for a code whose policy requires the medical "
            "record for pre-payment review",
            Group.CONTRACTUAL,
            "50",
            ("M127",),
            _C.MEDICAL_NECESSITY,
            _A.APPEAL,
            "CMS IOM 100-08 ch. 3 §3.2.3 (documentation requests in pre-payment "
            "review); CARC 50 with RARC M127; the scrubber cannot see an "
            "unpublished policy",
        ),
        PayerRule(
            "contractual",
            "The charge is above the fee schedule amount times the payer's "
            "factor times the units",
            Group.CONTRACTUAL,
            "45",
            source="CARC 45; CMS IOM 100-04 ch. 22 (remittance advice)",
        ),
        PayerRule(
            "inpatient_stay",
            "An inpatient line (type of bill 011x): the charge is above the "
            "payer's percent of billed charges",
            Group.CONTRACTUAL,
            "45",
            source="CARC 45; the demo contracts pay an inpatient stay at a "
            "percent of billed charges (Medicare pays by MS-DRG under IPPS, SSA "
            "§1886(d), 42 CFR Part 412: the demo percent stands in for it)",
        ),
        PayerRule(
            "copay",
            "The first evaluation and management line the payer pays that is "
            "not a preventive service",
            Group.PATIENT,
            "3",
            source="CARC 3; the member's benefit (271 EB copayment)",
        ),
        PayerRule(
            "deductible",
            "What is left of the member's deductible, line by line in order, "
            "on lines that are not preventive services",
            Group.PATIENT,
            "1",
            source="CARC 1; the member's benefit (271 EB deductible)",
        ),
        PayerRule(
            "coinsurance",
            "The coinsurance percent of what the copay and deductible leave, "
            "on lines that are not preventive services",
            Group.PATIENT,
            "2",
            source="CARC 2; the member's benefit (271 EB coinsurance)",
        ),
    )
}
CLAIM_RULES = ("identity", "timely_filing", "duplicate")
LINE_ORDER = (
    "service_date",
    "charge",
    "units",
    "before_coverage",
    "after_coverage",
    "code_invalid",
    "component_modifier",
    "unpriced",
    "ptp",
    "mue",
    "addon_without_primary",
    "authorization_absent",
    "authorization_number",
    "medical_necessity",
    "records_review",
)

IDENTITY_MISMATCH = (
    "Not as on the payer's eligibility record for the member: {fields}. Correct "
    "the insured's boxes from the card and resubmit."
)
TIMELY_FILING_PASSED = (
    "Submitted {days} days after the date of service {service_date}; "
    "{payer} accepts claims for {limit} days. Write off unless there is proof of "
    "timely filing."
)
DUPLICATE_CLAIM = (
    "Claim {control_number} is already on file: check the original claim's "
    "status rather than resend it; nothing is written off. To change the claim, "
    "send a replacement (frequency 7) with the payer's claim number."
)
SERVICE_DATE_MISSING = "Line {line}: the date of service {value!r} is not a date."
CHARGE_MISSING = "Line {line}: the charge {value!r} is not an amount."
UNITS_MISSING = "Line {line}: the units {value!r} are not a whole number."
BEFORE_COVERAGE = (
    "Line {line}: {service_date} is before the coverage began on {effective}; "
    "the patient owes it."
)
AFTER_COVERAGE = (
    "Line {line}: {service_date} is after the coverage ended on {terminated}; "
    "the patient owes it."
)
CODE_INVALID = "Line {line}: {code} was not valid on {service_date}: {message}"
COMPONENT_MODIFIER = (
    "Line {line}: {code} does not split into professional and technical "
    "components; remove {modifier}."
)
UNPRICED = "Line {line}: {payer} has no fee for {code}; check the code."
INPATIENT_UNPRICED = (
    "Line {line}: {payer} has no inpatient rate; the stay is not payable under "
    "this contract."
)
PTP_DENIED = "Line {line}: {message}"
MUE_DENIED = "Line {line}: {message}"
ADDON_WITHOUT_PRIMARY = (
    "Line {line}: add-on code {code} needs one of {primaries} on the same date."
)
AUTHORIZATION_ABSENT = (
    "Line {line}: {payer} requires authorization for {code} and none was "
    "obtained; the contract makes it a write-off."
)
AUTHORIZATION_NUMBER = (
    "Line {line}: authorization {number} is on file for {code} but the claim "
    "carries {given!r}; resubmit with the number in box 23."
)
NOT_MEDICALLY_NECESSARY = (
    "Line {line}: {policy} ({title}) covers {code} only for {prefixes}; the "
    "line points to {diagnoses}."
)
RECORDS_REQUIRED = (
    "Line {line}: {policy} ({title}) reviews {code} on the medical record "
    "before payment; appeal with the record."
)


def adjudicate(
    claim: Claim,
    *,
    coverage: Coverage,
    payer: Payer,
    reference: Reference,
    submitted_on: date,
    earlier_claims: Collection[str],
    claim_number: str,
    paid_on: date,
) -> Remittance:
    """The demo payer's answer to one claim.

    A void (frequency 8) is answered with a reversal (status 22): the claim
    priced as an original would be, every amount negated, as an 835 reverses a
    payment. A replacement (7) is processed like an original without the
    duplicate check.
    """
    frequency = claim.frequency.strip()
    claim_denial = None
    if frequency != Frequency.VOID:
        claim_denial = _claim_denial(
            claim, coverage, payer, submitted_on, earlier_claims, frequency
        )
    if claim_denial is not None:
        rule = RULES[claim_denial.rule]
        lines = [
            _denied(number, line, rule, None)
            for number, line in enumerate(claim.lines, start=1)
        ]
    else:
        lines = _LineAdjudication(claim, coverage, payer, reference).run()
    remittance = Remittance(
        payer_id=payer.id,
        payer_name=payer.name,
        patient_control_number=claim.patient_control_number,
        payer_claim_number=claim_number,
        status=_status(lines, claim_denial),
        paid_on=paid_on.isoformat(),
        charge=sum((ln.charge for ln in lines), ZERO),
        paid=sum((ln.paid for ln in lines), ZERO),
        patient_responsibility=sum(
            (
                a.amount
                for ln in lines
                for a in ln.adjustments
                if a.group == Group.PATIENT
            ),
            ZERO,
        ),
        plan_type=claim.insurance.plan_type,
        patient_last_name=claim.patient.last_name,
        patient_first_name=claim.patient.first_name,
        member_id=claim.insurance.member_id,
        claim_remarks=RULES[claim_denial.rule].remarks if claim_denial else (),
        **_statement_period(claim),
        claim_denial=claim_denial,
        lines=tuple(lines),
    )
    if frequency == Frequency.VOID:
        return _reversal(remittance)
    return remittance


def is_inpatient(claim: Claim) -> bool:
    """A UB-04 whose type of bill (FL 4) is a hospital inpatient stay, 011x."""
    if claim.form != ClaimForm.UB04 or claim.institutional is None:
        return False
    type_of_bill = claim.institutional.type_of_bill.strip().lstrip("0")
    return type_of_bill[:2] in INPATIENT_BILL_TYPES


def _statement_period(claim: Claim) -> dict[str, str]:
    """FL 6 for the 835's claim dates when the lines carry none (inpatient)."""
    if not is_inpatient(claim):
        return {}
    facility = claim.institutional
    return {
        "statement_from": facility.statement_from,
        "statement_to": facility.statement_to,
    }


def _status(lines: list[LineRemittance], claim_denial: Denial | None) -> ClaimStatus:
    if claim_denial is not None or (lines and all(ln.denial for ln in lines)):
        return ClaimStatus.DENIED
    return ClaimStatus.PROCESSED_PRIMARY


def _claim_denial(
    claim: Claim,
    coverage: Coverage,
    payer: Payer,
    submitted_on: date,
    earlier_claims: Collection[str],
    frequency: str,
) -> Denial | None:
    mismatched = _identity_mismatches(claim, coverage)
    if mismatched:
        return _denial("identity", IDENTITY_MISMATCH.format(fields=mismatched))
    dates = [d for d in (parse_date(ln.service_date) for ln in claim.lines) if d]
    if not dates and is_inpatient(claim):
        # A span-dated institutional claim is timed from its "through" date
        # (CMS IOM 100-04 ch. 1 §70.1).
        dates = [d for d in (parse_date(claim.institutional.statement_to),) if d]
    if dates:
        first = min(dates)
        days = (submitted_on - first).days
        if days > payer.filing_limit_days:
            explanation = TIMELY_FILING_PASSED.format(
                days=days,
                service_date=first.isoformat(),
                payer=payer.name,
                limit=payer.filing_limit_days,
            )
            return _denial("timely_filing", explanation)
    control_number = claim.patient_control_number.strip()
    if frequency == Frequency.ORIGINAL and control_number in earlier_claims:
        explanation = DUPLICATE_CLAIM.format(control_number=control_number)
        return _denial("duplicate", explanation)
    return None


def _identity_mismatches(claim: Claim, coverage: Coverage) -> str:
    insurance = claim.insurance
    insured = insurance.insured
    if not insured.last_name and insurance.relationship == "18":
        insured = claim.patient
    checks = (
        ("member ID", _same(insurance.member_id, coverage.member_id)),
        ("insured's last name", _same(insured.last_name, coverage.last_name)),
        ("insured's first name", _same(insured.first_name, coverage.first_name)),
        ("insured's birth date", parse_date(insured.birth_date) == coverage.birth_date),
    )
    return ", ".join(name for name, matches in checks if not matches)


def _same(typed: str, on_file: str) -> bool:
    return typed.strip().upper() == on_file.strip().upper()


def _denial(rule_name: str, explanation: str) -> Denial:
    rule = RULES[rule_name]
    return Denial(
        rule=rule.name,
        category=rule.category,
        action=rule.action,
        explanation=explanation,
    )


def _denied(
    number: int, line: ServiceLine, rule: PayerRule, denial: Denial | None
) -> LineRemittance:
    charge = parse_money(line.charge) or ZERO
    return LineRemittance(
        line_number=number,
        code=line.code,
        modifiers=line.modifiers,
        service_date=line.service_date,
        revenue_code=line.revenue_code,
        charge=charge,
        allowed=ZERO,
        paid=ZERO,
        units=parse_units(line.units) or 1,
        adjustments=(Adjustment(group=rule.group, reason=rule.reason, amount=charge),),
        remarks=rule.remarks if denial else (),
        denial=denial,
    )


def _reversal(remittance: Remittance) -> Remittance:
    lines = tuple(
        ln.model_copy(
            update={
                "charge": -ln.charge,
                "allowed": -ln.allowed,
                "paid": -ln.paid,
                "adjustments": tuple(
                    a.model_copy(update={"amount": -a.amount}) for a in ln.adjustments
                ),
                "denial": None,
                "remarks": (),
            }
        )
        for ln in remittance.lines
    )
    return remittance.model_copy(
        update={
            "status": ClaimStatus.REVERSAL,
            "charge": -remittance.charge,
            "paid": -remittance.paid,
            "patient_responsibility": -remittance.patient_responsibility,
            "lines": lines,
        }
    )


class _LineAdjudication:
    """The line rules and the pricing over one claim's lines, in order: the
    deductible left and whether the copay is taken carry from line to line."""

    def __init__(
        self, claim: Claim, coverage: Coverage, payer: Payer, reference: Reference
    ):
        self.claim = claim
        self.coverage = coverage
        self.payer = payer
        self.reference = reference
        self.deductible_left = _cents(coverage.deductible_remaining)
        self.copay_taken = False
        self.inpatient = is_inpatient(claim)
        # An inpatient line has no date of its own (837I loop 2400 DTP*472 is
        # for outpatient claims only): it takes the stay's first day.
        self.stay_start = (
            parse_date(claim.institutional.statement_from) if self.inpatient else None
        )
        self.edits = self._code_edits()

    def run(self) -> list[LineRemittance]:
        results = []
        for number, line in enumerate(self.claim.lines, start=1):
            found = self._first_denial(number, line)
            if found is None:
                results.append(self._priced(number, line))
            else:
                rule_name, explanation = found
                rule = RULES[rule_name]
                denial = _denial(rule_name, explanation)
                results.append(_denied(number, line, rule, denial))
        return results

    def _service_date(self, line: ServiceLine) -> date | None:
        if self.inpatient and not line.service_date:
            return self.stay_start
        return parse_date(line.service_date)

    def _first_denial(self, number: int, line: ServiceLine) -> tuple[str, str] | None:
        service_date = self._service_date(line)
        if service_date is None:
            return "service_date", SERVICE_DATE_MISSING.format(
                line=number, value=line.service_date
            )
        if parse_money(line.charge) is None:
            return "charge", CHARGE_MISSING.format(line=number, value=line.charge)
        if parse_units(line.units) is None:
            return "units", UNITS_MISSING.format(line=number, value=line.units)
        context = {
            "line": number,
            "code": line.code,
            "service_date": service_date.isoformat(),
            "payer": self.payer.name,
        }
        # An inpatient stay is priced as a whole from its revenue-code lines, not
        # code by code, so only its coverage dates and the contract's rate apply.
        checks = (
            (self._coverage_dates, self._inpatient_rate)
            if self.inpatient
            else (
                self._coverage_dates,
                self._code_validity,
                self._fee_exists,
                self._ncci,
                self._addon,
                self._authorization,
                self._policies,
            )
        )
        for check in checks:
            found = check(line, service_date, context)
            if found is not None:
                return found
        return None

    def _coverage_dates(self, line, service_date, context):
        if service_date < self.coverage.effective:
            effective = self.coverage.effective.isoformat()
            return "before_coverage", BEFORE_COVERAGE.format(
                effective=effective, **context
            )
        terminated = self.coverage.terminated
        if terminated is not None and service_date > terminated:
            return "after_coverage", AFTER_COVERAGE.format(
                terminated=terminated.isoformat(), **context
            )
        return None

    def _inpatient_rate(self, line, service_date, context):
        if self.payer.inpatient_percent_of_charges is not None:
            return None
        return "unpriced", INPATIENT_UNPRICED.format(**context)

    def _code_validity(self, line, service_date, context):
        check = self.reference.code_check(
            procedure_system(line.code) or CodeSystem.CPT, line.code, service_date
        )
        if check.valid:
            return None
        return "code_invalid", CODE_INVALID.format(message=check.message, **context)

    def _fee_exists(self, line, service_date, context):
        if self.reference.fee(line.code, line.modifiers) is not None:
            return None
        components = COMPONENT_MODIFIERS.intersection(line.modifiers)
        if components and self.reference.fee(line.code, ()) is not None:
            modifier = ", ".join(sorted(components))
            return "component_modifier", COMPONENT_MODIFIER.format(
                modifier=modifier, **context
            )
        return "unpriced", UNPRICED.format(**context)

    def _ncci(self, line, service_date, context):
        for edit in self.edits.get(service_date, ()):
            if not edit.blocking:
                continue
            if edit.kind == "ptp" and edit.codes[1:2] == (line.code,):
                return "ptp", PTP_DENIED.format(message=edit.message, **context)
            if edit.kind == "mue" and edit.codes[:1] == (line.code,):
                return "mue", MUE_DENIED.format(message=edit.message, **context)
        return None

    def _addon(self, line, service_date, context):
        primaries = self.reference.addon_primaries(line.code)
        if primaries is None:
            return None
        same_day = {
            other.code
            for other in self.claim.lines
            if self._service_date(other) == service_date
        }
        if primaries & same_day:
            return None
        return "addon_without_primary", ADDON_WITHOUT_PRIMARY.format(
            primaries=", ".join(sorted(primaries)), **context
        )

    def _authorization(self, line, service_date, context):
        if line.code not in self.payer.authorization_codes:
            return None
        number = self.coverage.authorizations.get(line.code)
        if number is None:
            return "authorization_absent", AUTHORIZATION_ABSENT.format(**context)
        given = self.claim.prior_authorization
        if _same(given, number):
            return None
        return "authorization_number", AUTHORIZATION_NUMBER.format(
            number=number, given=given, **context
        )

    def _policies(self, line, service_date, context):
        diagnoses = self._pointed_diagnoses(line)
        for policy in self.payer.policies:
            if line.code not in policy.codes:
                continue
            if not any(policy.covers(d) for d in diagnoses):
                return "medical_necessity", NOT_MEDICALLY_NECESSARY.format(
                    diagnoses=", ".join(diagnoses) or "no diagnosis",
                    **_policy_context(policy),
                    **context,
                )
            if policy.records_review and self.claim.frequency == Frequency.ORIGINAL:
                return "records_review", RECORDS_REQUIRED.format(
                    **_policy_context(policy), **context
                )
        return None

    def _pointed_diagnoses(self, line: ServiceLine) -> list[str]:
        if self.claim.form == ClaimForm.UB04:
            return self.claim.all_diagnoses()
        targets = (self.claim.pointer_target(p) for p in line.pointers)
        return [d for d in targets if d]

    def _code_edits(self) -> dict[date, list]:
        """NCCI edits per date of service over the lines that can be read; none
        on an inpatient stay (NCCI is for practitioners and outpatient
        hospital services)."""
        if self.inpatient:
            return {}
        by_date: dict[date, list[tuple[str, tuple[str, ...], int]]] = defaultdict(list)
        for line in self.claim.lines:
            service_date = parse_date(line.service_date)
            units = parse_units(line.units)
            if service_date is not None and units is not None and line.code:
                by_date[service_date].append((line.code, line.modifiers, units))
        birth_date = parse_date(self.claim.patient.birth_date)
        return {
            service_date: self.reference.code_edits(
                on=service_date,
                diagnoses=self.claim.all_diagnoses(),
                lines=lines,
                pcs_procedures=[],
                sex=self.claim.patient.sex or None,
                age=age_on(birth_date, service_date) if birth_date else None,
            )
            for service_date, lines in by_date.items()
        }

    def _priced(self, number: int, line: ServiceLine) -> LineRemittance:
        charge = parse_money(line.charge)
        units = parse_units(line.units)
        if self.inpatient:
            share = self.payer.inpatient_percent_of_charges / 100
            allowed = _cents(charge * share)
        else:
            fee = self.reference.fee(line.code, line.modifiers)
            if BILATERAL_MODIFIER in line.modifiers:
                fee *= BILATERAL_FEE_SHARE
            allowed = min(charge, _cents(fee * self.payer.fee_factor * units))
        adjustments = []

        def adjust(rule_name: str, amount: Decimal) -> None:
            if amount > 0:
                rule = RULES[rule_name]
                adjustments.append(
                    Adjustment(group=rule.group, reason=rule.reason, amount=amount)
                )

        adjust("inpatient_stay" if self.inpatient else "contractual", charge - allowed)
        if _is_preventive(line.code):
            paid = allowed
        else:
            paid = self._after_patient_share(line, allowed, adjust)
        return LineRemittance(
            line_number=number,
            code=line.code,
            modifiers=line.modifiers,
            service_date=line.service_date,
            revenue_code=line.revenue_code,
            charge=charge,
            allowed=allowed,
            paid=paid,
            units=units,
            adjustments=tuple(adjustments),
        )

    def _after_patient_share(self, line: ServiceLine, allowed: Decimal, adjust):
        """What is left of the allowed amount once the copay, the deductible and
        the coinsurance are taken, each adjusted as PR."""
        left = allowed
        if not self.copay_taken and is_em(line.code):
            self.copay_taken = True
            copay = min(_cents(self.coverage.copay), left)
            adjust("copay", copay)
            left -= copay
        deductible = min(self.deductible_left, left)
        self.deductible_left -= deductible
        adjust("deductible", deductible)
        left -= deductible
        coinsurance = _cents(left * self.coverage.coinsurance_percent / 100)
        adjust("coinsurance", coinsurance)
        return left - coinsurance


def _policy_context(policy: CoveragePolicy) -> dict[str, str]:
    return {
        "policy": policy.id,
        "title": policy.title,
        "prefixes": ", ".join(policy.diagnosis_prefixes),
    }


def _is_preventive(code: str) -> bool:
    return code.strip().upper() in PREVENTIVE_CODES


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)
