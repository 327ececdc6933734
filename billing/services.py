"""Writes of billing practice: a learner's attempt from the claim to the appeal,
each graded step recorded in the grading ledger, and the instructor's scoring of
an appeal.

The engine does the billing (`billing.engine`); these functions load what it
needs, keep what it answers and record the grades.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from billing import payer_data, x12
from billing.engine.claim import Claim, ClaimForm
from billing.engine.claim_grading import grade_claim
from billing.engine.claim_key import FieldNote, parse_claim_key
from billing.engine.payer import adjudicate
from billing.engine.posting import grade_posting
from billing.engine.remittance import Adjustment, DenialAction, Group, Remittance
from billing.engine.scenario import Scenario, ScenarioKind
from billing.engine.scrubber import EDITS, ScrubEdit, scrub
from billing.engine.worklist import (
    appeal_structure,
    grade_denial_work,
    grade_prediction,
    rubric_score,
)
from billing.models import BillingAttempt, BillingScenarioPage, DenialWork
from billing.reference import DatabaseReference
from grading.items import ItemRef
from grading.models import GradedResponse
from grading.services import ScoredWork, graded_response_record

ALREADY_SUBMITTED = (
    "This claim was already submitted: start the scenario again to redo it."
)
NOT_SUBMITTED = "Submit the claim first: there is no remittance yet."
CLAIM_REJECTED = (
    "The clearinghouse rejected the claim: correct the boxes the scrubber marks "
    "as rejects and submit again."
)
CLAIM_UNREADABLE = (
    "The clearinghouse could not read the claim's 837 and returned it: {problems}"
)
NOT_THIS_STEP = "This scenario has no such step."
NOT_A_CORRECTION = (
    "Only a denial you chose to correct and resubmit opens a corrected claim."
)
CORRECTION_RATIONALE = (
    "A corrected claim replaces the one the payer processed: resubmission code 7 "
    "and the payer's claim number of the original ({number}) in box 22 (FL 4's "
    "last digit and FL 64 on the UB-04); a new original would be denied as a "
    "duplicate."
)
CORRECTION_REFERENCE = "NUCC 1500 item 22; NUBC UB-04 FL 4 and FL 64; 837 REF*F8"
ALREADY_PREDICTED = "You already handed in your prediction for this claim."
NOTHING_PREDICTED = "Tick the edits you expect, or No edits if you expect none."
UNKNOWN_EDIT = "Unknown edit: {edit_id}."
NO_SUCH_DENIAL = "That line was not denied."
ALREADY_WORKED = "You already worked this denial."
UNKNOWN_CHOICE = "Choose a {what} from the list."
NOT_AN_APPEAL = "Only a denial you chose to appeal takes an appeal letter."
EMPTY_LETTER = "Write the appeal letter before sending it."
LETTER_TOO_LONG = "An appeal letter fits on two pages: at most {limit} characters."
ALREADY_APPEALED = "This appeal was already sent."
NOT_APPEALED = "The learner has not sent this appeal yet."
OWN_APPEAL = "You cannot score your own appeal."
BAD_SCORE = "{item}: enter a whole number from 0 to {most}."
NO_PREDICTION = "no-edits"
MAX_LETTER = 6000


class BillingError(Exception):
    """A step refused, with the message to show and, for a rejected claim, the
    scrubber's edits."""

    def __init__(self, message: str, edits: tuple[ScrubEdit, ...] = ()):
        super().__init__(message)
        self.message = message
        self.edits = edits


def _scored(grade) -> ScoredWork:
    return ScoredWork(
        points=grade.points,
        max_points=grade.max_points,
        policy=grade.policy,
        status_counts=grade.ledger_counts(),
        result=grade.as_dict(),
    )


def _record(attempt: BillingAttempt, step: str, grade, response: dict, *, by=None):
    scenario = attempt.scenario
    return graded_response_record(
        learner=attempt.learner,
        source=GradedResponse.Source.BILLING_EXERCISE,
        item=ItemRef.billing_scenario(scenario.pk, step),
        attempt_ref=f"billing:{attempt.pk}:{step}",
        graded=_scored(grade),
        response=response,
        domains=scenario.domains.all(),
        difficulty=scenario.difficulty,
        item_title=f"{scenario.title} ({step.replace('-', ' ')})"[:255],
        key_revision=scenario.key_revision,
        regraded_by=by,
    )


def starting_claim(scenario: Scenario) -> Claim:
    """The claim the learner starts from: the scenario's, or an empty form of
    the kind the key expects."""
    if scenario.claim is not None:
        return scenario.claim
    form = ClaimForm.CMS1500
    if scenario.claim_key:
        form = parse_claim_key(scenario.claim_key).claim.form
    return Claim(form=form)


def attempt_start(*, learner, page: BillingScenarioPage) -> BillingAttempt:
    """The learner's open attempt at the scenario, started now if there is none.
    Remittance and denial scenarios start with the given claim already
    adjudicated: their work begins at the payer's answer."""
    attempt = (
        BillingAttempt.objects.filter(learner=learner, scenario=page)
        .order_by("-started_at", "-pk")
        .first()
    )
    if attempt is not None and not _finished(attempt):
        return attempt
    return attempt_start_over(learner=learner, page=page)


@transaction.atomic
def attempt_start_over(*, learner, page: BillingScenarioPage) -> BillingAttempt:
    """A new attempt at the scenario, from its starting claim."""
    scenario = page.scenario()
    claim = starting_claim(scenario)
    attempt = BillingAttempt.objects.create(
        learner=learner, scenario=page, claim=claim.model_dump(mode="json")
    )
    if scenario.kind in (ScenarioKind.REMITTANCE, ScenarioKind.DENIAL):
        _adjudicate(attempt, scenario, claim, timezone.now())
    return attempt


def _finished(attempt: BillingAttempt) -> bool:
    kind = attempt.scenario.kind
    if kind == ScenarioKind.SCRUB:
        return attempt.graded_prediction_id is not None
    if kind == ScenarioKind.REMITTANCE:
        return attempt.graded_posting_id is not None
    return False


def _require_open(attempt: BillingAttempt) -> None:
    if attempt.is_submitted:
        raise BillingError(ALREADY_SUBMITTED)


def claim_editable(attempt: BillingAttempt) -> bool:
    """Whether the learner may change the claim now: until it is sent, on a claim
    scenario or a corrected claim, and on a scrub scenario once its prediction is
    in (before that the claim is the one to predict on)."""
    if attempt.is_submitted:
        return False
    kind = attempt.scenario.kind
    return (
        kind == ScenarioKind.CLAIM
        or attempt.replaces_id is not None
        or (kind == ScenarioKind.SCRUB and attempt.prediction is not None)
    )


def claim_837(
    attempt: BillingAttempt, claim: Claim | None = None
) -> x12.X12Build | None:
    """The claim (as saved, or `claim`) as the 837 a clearinghouse receives; None
    on a scrub scenario before the prediction, whose problems would name the
    scrubber's edits."""
    predicting = (
        attempt.scenario.kind == ScenarioKind.SCRUB and attempt.prediction is None
    )
    if predicting:
        return None
    claim = claim or Claim.model_validate(attempt.claim)
    payer = payer_data.payer(claim.insurance.payer_id)
    return x12.build_837(
        claim,
        control_number=attempt.pk,
        created=attempt.started_at,
        payer_name=payer.name if payer else claim.insurance.payer_id,
    )


@transaction.atomic
def _claim_keep(attempt: BillingAttempt, claim: Claim, edits=None) -> BillingAttempt:
    """Store the claim as typed (and the scrubber's run), with the row locked so a
    second tab cannot overwrite a claim the first has just sent."""
    locked = BillingAttempt.objects.select_for_update().get(pk=attempt.pk)
    _require_open(locked)
    if not claim_editable(locked):
        raise BillingError(NOT_THIS_STEP)
    locked.claim = claim.model_dump(mode="json")
    fields = ["claim"]
    if edits is not None:
        locked.scrub_edits = [edit_as_dict(e) for e in edits]
        fields.append("scrub_edits")
    locked.save(update_fields=fields)
    return locked


def attempt_claim_save(*, attempt: BillingAttempt, claim: Claim) -> None:
    """Keep the claim as typed; refused once it has gone to the payer, and on a
    scrub scenario before the prediction."""
    _claim_keep(attempt, claim)


def attempt_scrub(*, attempt: BillingAttempt, claim: Claim) -> tuple[ScrubEdit, ...]:
    """Save the claim and run the scrubber over it; a scrub scenario runs only
    after its prediction is in."""
    _require_open(attempt)
    if not claim_editable(attempt):
        raise BillingError(NOT_THIS_STEP)
    edits = scrub(claim, DatabaseReference())
    _claim_keep(attempt, claim, edits)
    return edits


def edit_as_dict(edit: ScrubEdit) -> dict:
    """A scrubber edit as the attempt keeps it (JSON)."""
    return {
        "edit_id": edit.edit_id,
        "category": edit.category,
        "field": edit.field,
        "message": edit.message,
        "source": edit.source,
        "severity": edit.severity,
    }


@transaction.atomic
def attempt_predict(*, attempt: BillingAttempt, predicted: set[str]):
    """Grade the learner's prediction of the scrubber's edits on the claim they
    were given, then run the scrubber so they see what it flags."""
    attempt = BillingAttempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.scenario.kind != ScenarioKind.SCRUB:
        raise BillingError(NOT_THIS_STEP)
    if attempt.prediction is not None:
        raise BillingError(ALREADY_PREDICTED)
    if not predicted:
        raise BillingError(NOTHING_PREDICTED)
    chosen = predicted - {NO_PREDICTION}
    for edit_id in sorted(chosen):
        if edit_id not in EDITS:
            raise BillingError(UNKNOWN_EDIT.format(edit_id=edit_id))
    edits = scrub(Claim.model_validate(attempt.claim), DatabaseReference())
    messages = {e.edit_id: e.message for e in edits}
    grade = grade_prediction({e.edit_id for e in edits}, chosen, messages=messages)
    attempt.prediction = sorted(chosen)
    attempt.scrub_edits = [edit_as_dict(e) for e in edits]
    attempt.graded_prediction = _record(
        attempt, "prediction", grade, {"predicted": sorted(chosen)}
    )
    attempt.save(update_fields=["prediction", "scrub_edits", "graded_prediction"])
    return grade


def attempt_submit(*, attempt: BillingAttempt, claim: Claim) -> BillingAttempt:
    """Send the claim: the scrubber first (a claim with a 'reject' edit goes back
    to the learner, saved as typed, with `BillingError(CLAIM_REJECTED)`), then
    the claim is graded against the key and the demo payer adjudicates it. A
    corrected claim (an attempt that `replaces` another) is sent the same way."""
    if attempt.scenario.kind != ScenarioKind.CLAIM and attempt.replaces_id is None:
        raise BillingError(NOT_THIS_STEP)
    edits = attempt_scrub(attempt=attempt, claim=claim)
    if rejects := tuple(e for e in edits if e.severity == "reject"):
        raise BillingError(CLAIM_REJECTED, rejects)
    built = claim_837(attempt, claim)
    if built.text is None:
        raise BillingError(CLAIM_UNREADABLE.format(problems=" ".join(built.problems)))
    return _send(attempt, claim)


@transaction.atomic
def _send(attempt: BillingAttempt, claim: Claim) -> BillingAttempt:
    attempt = BillingAttempt.objects.select_for_update().get(pk=attempt.pk)
    _require_open(attempt)
    scenario = attempt.scenario.scenario()
    if key := _claim_key_for(attempt, scenario):
        grade = grade_claim(key, claim)
        step = "corrected-claim" if attempt.replaces_id else "claim"
        attempt.graded_claim = _record(attempt, step, grade, attempt.claim)
    _adjudicate(attempt, scenario, claim, timezone.now())
    return attempt


def _claim_key_for(attempt: BillingAttempt, scenario: Scenario):
    """The key a sent claim is graded against: the scenario's, and for a
    corrected claim the same with the replacement's box 22; None for a corrected
    claim of a scenario that has no key (its grade is the payer's answer)."""
    if not scenario.claim_key:
        return None
    key = parse_claim_key(scenario.claim_key)
    original = attempt.replaces
    if original is None:
        return key
    claim = key.claim.model_copy(
        update={"frequency": "7", "original_reference": original.claim_number}
    )
    note = FieldNote(
        rationale=CORRECTION_RATIONALE.format(number=original.claim_number),
        reference=CORRECTION_REFERENCE,
    )
    fields = {**key.fields, "frequency": note, "original_reference": note}
    return key.model_copy(update={"claim": claim, "fields": fields})


@transaction.atomic
def attempt_correct(*, attempt: BillingAttempt, work: DenialWork) -> BillingAttempt:
    """The corrected claim for a denial worked as "corrected claim": a new
    attempt starting from the claim as sent, for the learner to fix and resend
    as a replacement. Asking again returns the same one."""
    if work.action != DenialAction.CORRECTED_CLAIM or work.attempt_id != attempt.pk:
        raise BillingError(NOT_A_CORRECTION)
    # Locked: two quick clicks open one corrected claim, not two.
    attempt = BillingAttempt.objects.select_for_update().get(pk=attempt.pk)
    existing = attempt.corrections.order_by("pk").first()
    if existing is not None:
        return existing
    return BillingAttempt.objects.create(
        learner=attempt.learner,
        scenario=attempt.scenario,
        claim=attempt.claim,
        replaces=attempt,
    )


def _adjudicate(
    attempt: BillingAttempt, scenario: Scenario, claim: Claim, now: datetime
) -> None:
    registration = scenario.registration
    payer = payer_data.payer(claim.insurance.payer_id) or payer_data.payer(
        registration.insurance.payer_id
    )
    claim_number = f"DEMO{attempt.pk:010d}"
    remittance = adjudicate(
        claim,
        coverage=registration.coverage_on_file(),
        payer=payer,
        reference=DatabaseReference(),
        submitted_on=registration.submission_date(),
        earlier_claims=[*registration.earlier_claims, *_sent_before(attempt)],
        claim_number=claim_number,
        paid_on=registration.submission_date(),
    )
    attempt.submitted_at = now
    attempt.claim_number = claim_number
    attempt.remittance = remittance.model_dump(mode="json")
    attempt.era = x12.build_835(
        remittance,
        control_number=attempt.pk,
        created=now,
        payee=claim.billing_provider,
    )
    attempt.save()


def _sent_before(attempt: BillingAttempt) -> list[str]:
    """Account numbers of the claims this one corrects: the payer has them."""
    numbers, replaced = [], attempt.replaces
    while replaced is not None:
        numbers.append(replaced.claim.get("patient_control_number", ""))
        replaced = replaced.replaces
    return numbers


def remittance_of(attempt: BillingAttempt) -> Remittance:
    """The payer's answer to the attempt's claim; `BillingError` before it is sent."""
    if attempt.remittance is None:
        raise BillingError(NOT_SUBMITTED)
    return Remittance.model_validate(attempt.remittance)


@transaction.atomic
def attempt_post(*, attempt: BillingAttempt, posting: dict[str, str]):
    """Grade the amounts the learner posted from the 835 (remittance scenarios)."""
    attempt = BillingAttempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.scenario.kind != ScenarioKind.REMITTANCE:
        raise BillingError(NOT_THIS_STEP)
    if attempt.graded_posting_id is not None:
        raise BillingError(ALREADY_SUBMITTED)
    grade = grade_posting(remittance_of(attempt), posting)
    attempt.posting = posting
    attempt.graded_posting = _record(attempt, "posting", grade, posting)
    attempt.save(update_fields=["posting", "graded_posting"])
    return grade


def _denial_on(attempt: BillingAttempt, line_number: int | None):
    for number, denial in remittance_of(attempt).denials():
        if number == line_number:
            return denial
    raise BillingError(NO_SUCH_DENIAL)


def _step(kind: str, line_number: int | None) -> str:
    return f"{kind}-{line_number if line_number is not None else 'claim'}"


@transaction.atomic
def denial_work(
    *, attempt: BillingAttempt, line_number: int | None, category: str, action: str
) -> DenialWork:
    """Classify a denial and choose its fix; graded against the payer rule that
    denied it."""
    denial = _denial_on(attempt, line_number)
    field = DenialWork._meta.get_field
    if category not in dict(field("category").choices):
        raise BillingError(UNKNOWN_CHOICE.format(what="category"))
    if action not in dict(field("action").choices):
        raise BillingError(UNKNOWN_CHOICE.format(what="fix"))
    work, created = DenialWork.objects.get_or_create(
        attempt=attempt,
        line_number=line_number,
        defaults={"category": category, "action": action},
    )
    if not created:
        raise BillingError(ALREADY_WORKED)
    grade = grade_denial_work(denial, category=category, action=action)
    response = {"category": category, "action": action}
    work.graded = _record(attempt, _step("denial", line_number), grade, response)
    work.save(update_fields=["graded"])
    return work


@transaction.atomic
def appeal_submit(*, work: DenialWork, letter: str) -> DenialWork:
    """Send the appeal letter: its required elements are checked at once; the
    instructor scores the rest."""
    work = DenialWork.objects.select_for_update().get(pk=work.pk)
    if work.action != DenialAction.APPEAL:
        raise BillingError(NOT_AN_APPEAL)
    if work.appeal_submitted_at is not None:
        raise BillingError(ALREADY_APPEALED)
    letter = letter.strip()
    if not letter:
        raise BillingError(EMPTY_LETTER)
    if len(letter) > MAX_LETTER:
        raise BillingError(LETTER_TOO_LONG.format(limit=MAX_LETTER))
    work.appeal_letter = letter
    work.appeal_submitted_at = timezone.now()
    work.appeal_checks = [check.as_dict() for check in _appeal_checks(work)]
    work.save(update_fields=["appeal_letter", "appeal_submitted_at", "appeal_checks"])
    return work


def denial_codes(
    remittance: Remittance, line_number: int | None
) -> tuple[list[Adjustment], list[str]]:
    """A denial's adjustments (the patient's share left out) and remark codes: a
    line's, or for the whole claim the claim's and every line's, once each."""
    if line_number is None:
        lines = remittance.lines
        adjustments = [*remittance.claim_adjustments]
        remarks = [*remittance.claim_remarks]
    else:
        lines = [ln for ln in remittance.lines if ln.line_number == line_number]
        adjustments, remarks = [], []
    for line in lines:
        adjustments += line.adjustments
        remarks += line.remarks
    reasons = {(a.group, a.reason): a for a in adjustments if a.group != Group.PATIENT}
    return list(reasons.values()), list(dict.fromkeys(remarks))


def _appeal_checks(work: DenialWork):
    remittance = remittance_of(work.attempt)
    adjustments, _ = denial_codes(remittance, work.line_number)
    carc = adjustments[0].reason if adjustments else ""
    payer = payer_data.payer(remittance.payer_id)
    policy_ids = tuple(p.id for p in payer.policies) if payer else ()
    claim_numbers = (remittance.patient_control_number, remittance.payer_claim_number)
    return appeal_structure(
        work.appeal_letter,
        claim_numbers=claim_numbers,
        carc=carc,
        policy_ids=policy_ids,
    )


@transaction.atomic
def appeal_score(
    *, work: DenialWork, scorer, scores: dict[str, int], comment: str = ""
) -> DenialWork:
    """The instructor's rubric scores for an appeal, recorded in the learner's
    ledger beside the automatic checks; scoring again regrades."""
    work = DenialWork.objects.select_for_update().get(pk=work.pk)
    if work.appeal_submitted_at is None:
        raise BillingError(NOT_APPEALED)
    if work.attempt.learner_id == scorer.pk:
        raise BillingError(OWN_APPEAL)
    grade = rubric_score(_appeal_checks(work), scores)
    work.rubric_scores = scores
    work.rubric_comment = comment.strip()
    work.scored_by = scorer
    work.scored_at = timezone.now()
    step = _step("appeal", work.line_number)
    response = {"letter": work.appeal_letter}
    work.graded_appeal = _record(work.attempt, step, grade, response, by=scorer)
    work.save(
        update_fields=[
            "rubric_scores",
            "rubric_comment",
            "scored_by",
            "scored_at",
            "graded_appeal",
        ]
    )
    return work
