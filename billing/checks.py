"""What makes a billing scenario fit to publish, checked on save in Wagtail, on
import and by the content linter: the registration holds together, its NPIs pass
the check digit, the claim key parses and passes the scrubber, a scrub scenario's
expected edits are the scrubber's, and a denial scenario is denied."""

from __future__ import annotations

from billing import payer_data
from billing.engine.claim import Claim, parse_date, parse_units
from billing.engine.claim_key import ClaimKeyError, key_problems, parse_claim_key
from billing.engine.npi import npi_is_valid
from billing.engine.payer import adjudicate
from billing.engine.scenario import Scenario, ScenarioKind
from billing.engine.scrubber import scrub
from billing.reference import DatabaseReference
from case_studies import selectors as case_selectors

NOT_A_DATE = "registration.{field}: {value!r} is not a date (YYYY-MM-DD)."
UNKNOWN_PAYER = "registration.insurance.payer_id: no demo payer {payer!r}."
BAD_NPI = "{field}: {npi!r} is not a valid NPI (10 digits passing the check digit)."
NEEDS_KEY = "A claim scenario needs a claim key."
NEEDS_CLAIM = "A {kind} scenario needs the claim the learner starts from."
UNKNOWN_CASE = "case: no published case study {slug!r}."
KEY_REJECTED = "claim_key: the scrubber rejects the key's claim: {message}"
EDITS_DIFFER = (
    "expected_edits: the scrubber raises {actual} on the claim, the scenario "
    "expects {expected}."
)
NOT_DENIED = "A denial scenario's claim must be denied by the demo payer; it is paid."


def scenario_problems(scenario: Scenario) -> list[str]:
    """Every reason `scenario` cannot be published, as messages an author can act
    on; [] when it can."""
    registration = scenario.registration
    problems = []
    for field in ("date_of_service", "submitted_on"):
        value = getattr(registration, field)
        if (value or field == "date_of_service") and parse_date(value) is None:
            problems.append(NOT_A_DATE.format(field=field, value=value))
    if payer_data.payer(registration.insurance.payer_id) is None:
        problems.append(UNKNOWN_PAYER.format(payer=registration.insurance.payer_id))
    for name in ("billing_provider", "rendering_provider"):
        npi = getattr(registration, name).npi
        if not npi_is_valid(npi):
            problems.append(BAD_NPI.format(field=f"registration.{name}.npi", npi=npi))
    if problems:
        return problems
    if scenario.kind == ScenarioKind.CLAIM:
        return _claim_problems(scenario)
    if scenario.claim is None:
        return [NEEDS_CLAIM.format(kind=scenario.kind)]
    reference = DatabaseReference()
    if scenario.kind == ScenarioKind.SCRUB:
        actual = sorted({e.edit_id for e in scrub(scenario.claim, reference)})
        if actual != sorted(set(scenario.expected_edits)):
            return [
                EDITS_DIFFER.format(
                    actual=actual, expected=sorted(scenario.expected_edits)
                )
            ]
        return []
    problems = _rejections(scenario.claim, reference, "claim")
    denial = scenario.kind == ScenarioKind.DENIAL
    if not problems and denial and not _remittance(scenario, reference).denials():
        problems.append(NOT_DENIED)
    return problems


def _claim_problems(scenario: Scenario) -> list[str]:
    if not scenario.claim_key:
        return [NEEDS_KEY]
    try:
        key = parse_claim_key(scenario.claim_key)
    except ClaimKeyError as error:
        return [f"claim_key: {problem}" for problem in error.problems]
    problems = [f"claim_key: {p}" for p in key_problems(key)]
    if (
        scenario.case
        and not case_selectors.published_cases().filter(slug=scenario.case).exists()
    ):
        problems.append(UNKNOWN_CASE.format(slug=scenario.case))
    return problems + _rejections(key.claim, DatabaseReference(), "claim_key")


def _rejections(claim: Claim, reference, where: str) -> list[str]:
    return [
        KEY_REJECTED.format(message=edit.message).replace("claim_key", where, 1)
        for edit in scrub(claim, reference)
        if edit.severity == "reject"
    ]


def _remittance(scenario: Scenario, reference):
    registration = scenario.registration
    return adjudicate(
        scenario.claim,
        coverage=registration.coverage_on_file(),
        payer=payer_data.payer(registration.insurance.payer_id),
        reference=reference,
        submitted_on=registration.submission_date(),
        earlier_claims=registration.earlier_claims,
        claim_number="CHECK",
        paid_on=registration.submission_date(),
    )


def coding_key(claim: Claim) -> dict:
    """The codes of a claim as a coding answer key (the grading engine's JSON),
    so the content linter reads a claim key's codes as it reads a case's: its
    setting from the form, the date of service from the first line or the
    statement period."""
    facility = claim.institutional
    inpatient = facility is not None and facility.type_of_bill.lstrip("0")[:2] == "11"
    if facility is not None:
        on = facility.statement_to or facility.statement_from
        diagnoses = [
            {"code": d.code, "poa": d.poa if inpatient else ""}
            for d in (facility.principal_diagnosis, *facility.other_diagnoses)
            if d.code
        ]
    else:
        on = next((line.service_date for line in claim.lines if line.service_date), "")
        diagnoses = [{"code": code} for code in claim.diagnoses if code]
    letters = list(claim.diagnoses)
    key: dict = {
        "setting": "inpatient"
        if inpatient
        else ("outpatient" if facility is not None else "professional"),
        "date_of_service": on,
        "diagnoses": diagnoses,
    }
    if inpatient:
        key["procedures"] = [{"code": p.code} for p in facility.procedures if p.code]
    else:
        key["service_lines"] = [
            {
                "code": line.code,
                "modifiers": list(line.modifiers),
                "units": parse_units(line.units) or 1,
                "pointers": [
                    letters.index(claim.pointer_target(p)) + 1
                    for p in line.pointers
                    if claim.pointer_target(p)
                ],
            }
            for line in claim.lines
            if line.code
        ]
    return key
