"""A billing scenario as data: the registration a front desk recorded, the claim
the learner starts from, and what the learner is asked to do with it.

Demo scenarios live in `billing/demo/scenarios/*.json` in this shape; instructors
author the same fields in Wagtail (`billing.models.BillingScenarioPage`).
Every person, member ID and NPI is fictional.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from billing.engine.claim import Claim, Insurance, Person, Provider, parse_date
from billing.engine.reference import Coverage

SCENARIO_FORMAT = "coderacademy-billing-scenario"
DEFAULT_DAYS_TO_SUBMIT = 7


class ScenarioKind(StrEnum):
    CLAIM = "claim"  # build the claim, then scrub, submit, post and work denials
    SCRUB = "scrub"  # predict what the scrubber flags on a given claim, then run it
    REMITTANCE = "remittance"  # post a given claim's 835
    DENIAL = "denial"  # work a given claim's denial, and appeal when that is right


class AuthorizationStatus(StrEnum):
    NOT_REQUIRED = "not_required"
    OBTAINED = "obtained"
    NOT_OBTAINED = "not_obtained"


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class CoverageOnFile(_Part):
    """The payer's eligibility record for the member (the 271's answer)."""

    effective: str = Field(description="YYYY-MM-DD")
    terminated: str = ""
    deductible_remaining: Decimal = Decimal("0")
    coinsurance_percent: int = Field(20, ge=0, le=100)
    copay: Decimal = Decimal("0")


class Authorization(_Part):
    status: AuthorizationStatus = AuthorizationStatus.NOT_REQUIRED
    number: str = ""
    codes: tuple[str, ...] = Field((), description="The services it authorises")


class Registration(_Part):
    """The face sheet: who the patient is, who pays, who treated them."""

    patient: Person
    insurance: Insurance
    coverage: CoverageOnFile
    authorization: Authorization = Authorization()
    billing_provider: Provider
    rendering_provider: Provider
    account_number: str = Field(
        "",
        description="The patient's account number in the practice's system "
        "(box 26 / FL 3a)",
    )
    place_of_service: str = ""
    date_of_service: str
    submitted_on: str = Field(
        "", description="When the claim goes out; default a week after the service"
    )
    charges: dict[str, Decimal] = Field(
        default_factory=dict,
        description="The practice's charge master: code (with modifier, as "
        "'73721-26') to its charge, for the services on the encounter",
    )
    earlier_claims: tuple[str, ...] = Field(
        (), description="Patient control numbers the payer already has (duplicates)"
    )

    def submission_date(self):
        given = parse_date(self.submitted_on)
        if given is not None:
            return given
        return parse_date(self.date_of_service) + timedelta(DEFAULT_DAYS_TO_SUBMIT)

    def coverage_on_file(self) -> Coverage:
        """The engine's view of the member's eligibility record."""
        insured = self.insurance.insured
        return Coverage(
            member_id=self.insurance.member_id,
            last_name=insured.last_name,
            first_name=insured.first_name,
            birth_date=parse_date(insured.birth_date),
            effective=parse_date(self.coverage.effective),
            terminated=parse_date(self.coverage.terminated),
            deductible_remaining=self.coverage.deductible_remaining,
            coinsurance_percent=self.coverage.coinsurance_percent,
            copay=self.coverage.copay,
            authorizations={
                code: self.authorization.number
                for code in self.authorization.codes
                if self.authorization.status == AuthorizationStatus.OBTAINED
            },
        )


class Scenario(_Part):
    """One billing exercise."""

    format: str = SCENARIO_FORMAT
    version: int = 1
    slug: str = Field(pattern=r"^[a-z0-9-]+$", max_length=80)
    title: str = Field(max_length=255)
    kind: ScenarioKind
    summary: str = Field(max_length=300)
    difficulty: str = "beginner"
    exams: tuple[str, ...] = ("cca",)
    domains: tuple[str, ...] = ("cca-reimbursement",)
    case: str = Field(
        "",
        description="Slug of the case study whose record the claim is built "
        "from (claim scenarios)",
    )
    brief: str = Field(description="HTML: the task, in the learner's words")
    registration: Registration
    claim: Claim | None = Field(
        None,
        description="The claim the learner starts from; scrub, remittance and "
        "denial scenarios give it whole",
    )
    claim_key: dict | None = Field(
        None, description="claim scenarios: the key (billing.engine.claim_key)"
    )
    expected_edits: tuple[str, ...] = Field(
        (),
        description="scrub scenarios: the edit ids the scrubber flags, which "
        "the content check holds the scrubber to",
    )
    appeal_rubric: tuple[str, ...] = Field(
        (),
        description="denial scenarios: points the instructor looks for beyond "
        "the letter's required elements",
    )
