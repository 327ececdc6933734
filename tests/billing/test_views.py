"""Billing practice through HTTP: the library, a claim built, scrubbed, rejected and
sent, the payer's answer, the denial worked and appealed, an instructor's score;
the scrub prediction and the payment posting; and another learner's 404s."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from billing import services
from billing.engine.claim import Claim
from billing.forms import claim_boxes
from billing.models import BillingAttempt, BillingScenarioPage, DenialWork
from grading.models import GradedResponse
from tests.support.accounts import log_in_with_two_factor

pytestmark = pytest.mark.usefixtures("billing_world")

LETTER = (
    "Re: claim RB-20526, payer claim number {number}, patient Walter Testpatient.\n"
    "Line 1 (64483-RT) was denied with CARC 50 and RARC M127: the payer asked for "
    "the medical record. The enclosed procedure note and physical therapy record "
    "show radicular pain from an L5-S1 disc herniation after eight weeks of failed "
    "conservative care, which policy DEMO-LCD-004 covers. Please reprocess the "
    "line and pay it."
)


def start(client, slug) -> BillingAttempt:
    response = client.get(reverse("billing:scenario", args=[slug]))
    assert response.status_code == 302
    return BillingAttempt.objects.get(pk=response.url.rstrip("/").split("/")[-1])


def post_claim(client, attempt, claim: dict, action: str):
    data = {
        name: value
        for name, value in claim_boxes(Claim.model_validate(claim)).items()
        if name not in ("form",)
    }
    return client.post(attempt.get_absolute_url(), {**data, "action": action})


def test_the_library_lists_each_published_scenario(learner_client):
    response = learner_client.get(reverse("billing:library"))
    assert response.status_code == 200
    for page in BillingScenarioPage.objects.live():
        assert page.title in response.text


def test_the_library_asks_a_visitor_to_log_in(client):
    response = client.get(reverse("billing:library"))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_a_claim_starts_empty_beside_the_record_and_the_face_sheet(learner_client):
    attempt = start(learner_client, "test-epidural-claim")
    page = learner_client.get(attempt.get_absolute_url()).text
    assert "CMS-1500 (02/12)" in page
    assert "1EG4TE5MK72" in page  # the insurance card on the face sheet
    assert "transforaminal" in page.lower()  # the case's procedure note
    assert "The 837 cannot be built from this claim yet" in page
    # Never the key before the claim is sent: the rationale stays hidden.
    assert "RT: the right side was injected" not in page


def test_a_saved_claim_comes_back_as_typed_and_shows_as_an_837p(
    learner_client, right_claim
):
    attempt = start(learner_client, "test-epidural-claim")
    response = post_claim(learner_client, attempt, right_claim, "save")
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.claim["lines"][0]["modifiers"] == ["RT"]
    page = learner_client.get(attempt.get_absolute_url()).text
    assert "SV1*HC:64483:RT*650" in page
    assert "HI*ABK:M5117" in page


def test_a_box_too_long_is_refused_with_its_name_and_nothing_is_lost(
    learner_client, right_claim
):
    attempt = start(learner_client, "test-epidural-claim")
    post_claim(learner_client, attempt, right_claim, "save")
    response = learner_client.post(
        attempt.get_absolute_url(),
        {"action": "save", "patient.last_name": "X" * 81, "diagnoses.0": "M51.17"},
    )
    assert response.status_code == 400
    assert "patient.last_name: at most 80 characters." in response.text
    attempt.refresh_from_db()
    assert attempt.claim["patient"]["last_name"] == "TESTPATIENT"


def test_a_claim_the_scrubber_rejects_is_kept_and_not_sent(learner_client, right_claim):
    attempt = start(learner_client, "test-epidural-claim")
    right_claim["insurance"]["member_id"] = ""
    response = post_claim(learner_client, attempt, right_claim, "submit")
    assert response.status_code == 400
    assert services.CLAIM_REJECTED in response.text
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    assert attempt.claim["insurance"]["member_id"] == ""
    assert "missing-insured-id" in {e["edit_id"] for e in attempt.scrub_edits}


def test_a_sent_claim_is_graded_adjudicated_and_its_denial_appealed_and_scored(
    learner_client, right_claim, instructor
):
    attempt = start(learner_client, "test-epidural-claim")
    response = post_claim(learner_client, attempt, right_claim, "submit")
    assert response.status_code == 302
    attempt.refresh_from_db()
    graded = attempt.graded_claim
    assert graded.source == GradedResponse.Source.BILLING_EXERCISE
    assert graded.points == graded.max_points
    assert set(graded.domains.values_list("slug", flat=True)) == {"cca-reimbursement"}
    assert attempt.era.startswith("ISA*")

    page = learner_client.get(attempt.get_absolute_url()).text
    assert "remittance advice" in page
    assert "CO-50" in page and "M127" in page
    advice = page[page.index("remittance advice") : page.index("Denial worklist")]
    assert "medically necessary" in advice  # CARC 50 read from the 835, explained
    assert "medical record" in advice  # and RARC M127
    assert "Denial worklist" in page

    response = learner_client.post(
        reverse("billing:work_denial", args=[attempt.pk]),
        {"line": "1", "category": "medical_necessity", "fix": "appeal"},
    )
    assert response.status_code == 302
    work = DenialWork.objects.get(attempt=attempt)
    assert work.graded.points == 2

    letter = LETTER.format(number=attempt.claim_number)
    url = reverse("billing:appeal", args=[attempt.pk, work.pk])
    assert learner_client.post(url, {"letter": letter}).status_code == 302
    work.refresh_from_db()
    assert all(check["present"] for check in work.appeal_checks)

    client = log_in_with_two_factor(Client(), instructor)
    queue = client.get(reverse("billing:appeals")).text
    assert "Test epidural injection claim" in queue
    scoring = reverse("billing:appeal_score", args=[work.pk])
    scores = {"score.accuracy": "3", "score.documentation_fit": "2", "score.tone": "2"}
    assert client.post(scoring, {**scores, "comment": "Good."}).status_code == 302
    work.refresh_from_db()
    assert work.graded_appeal.points == 4 + 7
    assert work.graded_appeal.learner_id == attempt.learner_id


def test_an_out_of_range_rubric_score_is_refused_and_nothing_recorded(
    learner_client, instructor
):
    attempt = start(learner_client, "test-epidural-denial")
    learner_client.post(
        reverse("billing:work_denial", args=[attempt.pk]),
        {"line": "1", "category": "medical_necessity", "fix": "appeal"},
    )
    work = DenialWork.objects.get(attempt=attempt)
    services.appeal_submit(work=work, letter="Please reprocess claim RB-20526.")
    scoring = reverse("billing:appeal_score", args=[work.pk])
    staff = log_in_with_two_factor(Client(), instructor)
    response = staff.post(scoring, {"score.accuracy": "9", "score.tone": "x"})
    assert response.status_code == 400
    assert (
        "Accuracy of the argument: enter a whole number from 0 to 3." in response.text
    )
    work.refresh_from_db()
    assert work.graded_appeal is None


def test_the_wrong_fix_for_a_denial_is_explained(learner_client):
    attempt = start(learner_client, "test-epidural-denial")
    learner_client.post(
        reverse("billing:work_denial", args=[attempt.pk]),
        {"line": "1", "category": "coding", "fix": "write_off"},
    )
    work = DenialWork.objects.get(attempt=attempt)
    assert work.graded.points == 0
    page = learner_client.get(attempt.get_absolute_url()).text
    assert "0 of 2 points" in page


def test_a_denial_not_on_the_remittance_or_worked_twice_is_refused(learner_client):
    attempt = start(learner_client, "test-epidural-denial")
    url = reverse("billing:work_denial", args=[attempt.pk])
    choice = {"category": "coding", "fix": "appeal"}
    response = learner_client.post(url, {"line": "2", **choice})
    assert response.status_code == 400
    assert services.NO_SUCH_DENIAL in response.text
    assert learner_client.post(url, {"line": "1", **choice}).status_code == 302
    response = learner_client.post(url, {"line": "1", **choice})
    assert response.status_code == 400
    assert services.ALREADY_WORKED in response.text


def test_an_empty_appeal_letter_is_refused(learner_client):
    attempt = start(learner_client, "test-epidural-denial")
    learner_client.post(
        reverse("billing:work_denial", args=[attempt.pk]),
        {"line": "1", "category": "medical_necessity", "fix": "appeal"},
    )
    work = DenialWork.objects.get(attempt=attempt)
    url = reverse("billing:appeal", args=[attempt.pk, work.pk])
    response = learner_client.post(url, {"letter": "   "})
    assert response.status_code == 400
    assert services.EMPTY_LETTER in response.text


def test_a_prediction_is_graded_against_the_scrubber_then_the_edits_shown(
    learner_client,
):
    attempt = start(learner_client, "test-epidural-scrub")
    page = learner_client.get(attempt.get_absolute_url()).text
    assert "Before you run the scrubber" in page
    # Nothing before the prediction names what the scrubber will find.
    assert "cannot be built" not in page
    response = learner_client.post(
        attempt.get_absolute_url(),
        {"action": "predict", "edits": ["missing-insured-id", "ncci-ptp"]},
    )
    assert response.status_code == 302
    attempt.refresh_from_db()
    # One edit found and one false alarm: each takes the other's share away.
    assert attempt.graded_prediction.points == 0
    page = learner_client.get(attempt.get_absolute_url()).text
    assert "predicted, but the scrubber does not flag it" in page
    assert "it was not predicted" in page


def test_an_empty_or_unknown_prediction_is_refused(learner_client):
    attempt = start(learner_client, "test-epidural-scrub")
    url = attempt.get_absolute_url()
    response = learner_client.post(url, {"action": "predict"})
    assert response.status_code == 400
    assert services.NOTHING_PREDICTED in response.text
    response = learner_client.post(url, {"action": "predict", "edits": ["made-up"]})
    assert response.status_code == 400
    assert "Unknown edit: made-up." in response.text


def test_a_posting_is_graded_amount_by_amount(learner_client):
    attempt = start(learner_client, "test-knee-remittance")
    remittance = services.remittance_of(attempt)
    line = remittance.lines[0]
    posting = {
        "action": "post",
        "lines.1.paid": str(line.paid),
        "lines.1.write_off": "0",
        "claim.paid": str(remittance.paid),
        "claim.patient": str(remittance.patient_responsibility),
    }
    assert learner_client.post(attempt.get_absolute_url(), posting).status_code == 302
    attempt.refresh_from_db()
    graded = attempt.graded_posting
    assert 0 < graded.points < graded.max_points
    page = learner_client.get(attempt.get_absolute_url()).text
    assert "Left empty." in page


@pytest.mark.parametrize("name", ["attempt", "work_denial", "appeal", "appeal_score"])
def test_another_learners_work_is_not_found(learner_client, other_learner_client, name):
    attempt = start(learner_client, "test-epidural-denial")
    learner_client.post(
        reverse("billing:work_denial", args=[attempt.pk]),
        {"line": "1", "category": "medical_necessity", "fix": "appeal"},
    )
    work = DenialWork.objects.get(attempt=attempt)
    args = {
        "attempt": [attempt.pk],
        "work_denial": [attempt.pk],
        "appeal": [attempt.pk, work.pk],
        "appeal_score": [work.pk],
    }[name]
    url = reverse(f"billing:{name}", args=args)
    assert other_learner_client.get(url).status_code in (404, 405)
    response = other_learner_client.post(url, {"letter": "x", "line": "1"})
    assert response.status_code == 404
    work.refresh_from_db()
    assert work.appeal_letter == ""


def test_an_instructor_cannot_score_their_own_appeal(instructor_client):
    client = instructor_client
    attempt = start(client, "test-epidural-denial")
    client.post(
        reverse("billing:work_denial", args=[attempt.pk]),
        {"line": "1", "category": "medical_necessity", "fix": "appeal"},
    )
    work = DenialWork.objects.get(attempt=attempt)
    services.appeal_submit(work=work, letter="Please reprocess claim RB-20526.")
    response = client.get(reverse("billing:appeal_score", args=[work.pk]))
    assert response.status_code == 404


def test_a_claim_whose_837_cannot_be_written_is_returned_not_sent(
    learner_client, right_claim
):
    attempt = start(learner_client, "test-epidural-claim")
    right_claim["patient_control_number"] = "RB*20526"  # "*" separates X12 elements
    response = post_claim(learner_client, attempt, right_claim, "submit")
    assert response.status_code == 400
    assert "The clearinghouse could not read the claim" in response.text
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    assert attempt.claim["patient_control_number"] == "RB*20526"


def test_a_denied_claim_is_corrected_and_resent_as_a_replacement(
    learner_client, right_claim
):
    attempt = start(learner_client, "test-epidural-claim")
    typo = {**right_claim, "insurance": {**right_claim["insurance"]}}
    typo["insurance"]["member_id"] = "1EG4TE5MK73"
    assert post_claim(learner_client, attempt, typo, "submit").status_code == 302
    attempt.refresh_from_db()
    assert services.remittance_of(attempt).status == "4"  # CO-31: not our member
    learner_client.post(
        reverse("billing:work_denial", args=[attempt.pk]),
        {"line": "", "category": "eligibility", "fix": "corrected_claim"},
    )
    work = DenialWork.objects.get(attempt=attempt)
    assert work.graded.points == 2

    response = learner_client.post(
        reverse("billing:correct", args=[attempt.pk, work.pk])
    )
    correction = BillingAttempt.objects.get(replaces=attempt)
    assert response.url == correction.get_absolute_url()
    page = learner_client.get(response.url).text
    assert attempt.claim_number in page

    # Sent again as an original, the payer already has it.
    fixed = {**right_claim}
    assert post_claim(learner_client, correction, fixed, "submit").status_code == 302
    correction.refresh_from_db()
    assert services.remittance_of(correction).claim_denial.rule == "duplicate"
    graded = correction.graded_claim
    assert graded.points < graded.max_points
    assert "resubmission code 7" in json.dumps(graded.result)


def test_only_a_denial_worked_as_a_corrected_claim_opens_one(learner_client):
    attempt = start(learner_client, "test-epidural-denial")
    learner_client.post(
        reverse("billing:work_denial", args=[attempt.pk]),
        {"line": "1", "category": "medical_necessity", "fix": "appeal"},
    )
    work = DenialWork.objects.get(attempt=attempt)
    response = learner_client.post(
        reverse("billing:correct", args=[attempt.pk, work.pk])
    )
    assert response.status_code == 400
    assert services.NOT_A_CORRECTION in response.text
    assert not BillingAttempt.objects.filter(replaces=attempt).exists()


def test_a_replacement_claim_with_box_22_right_is_paid_and_earns_full_marks(
    learner_client, right_claim
):
    attempt = start(learner_client, "test-epidural-claim")
    typo = {**right_claim, "insurance": {**right_claim["insurance"]}}
    typo["insurance"]["member_id"] = "1EG4TE5MK73"
    post_claim(learner_client, attempt, typo, "submit")
    attempt.refresh_from_db()
    work = services.denial_work(
        attempt=attempt,
        line_number=None,
        category="eligibility",
        action="corrected_claim",
    )
    correction = services.attempt_correct(attempt=attempt, work=work)
    replacement = {
        **right_claim,
        "frequency": "7",
        "original_reference": attempt.claim_number,
    }
    assert (
        post_claim(learner_client, correction, replacement, "submit").status_code == 302
    )
    correction.refresh_from_db()
    remittance = services.remittance_of(correction)
    assert remittance.claim_denial is None
    assert remittance.paid > 0
    graded = correction.graded_claim
    assert graded.points == graded.max_points


def test_the_saved_claim_downloads_as_an_837p_file_for_its_learner_only(
    learner_client, other_learner_client, right_claim
):
    attempt = start(learner_client, "test-epidural-claim")
    url = reverse("billing:download_837", args=[attempt.pk])
    response = learner_client.get(url)
    assert response.status_code == 400
    assert "Box 1a" in response.content.decode()
    post_claim(learner_client, attempt, right_claim, "save")
    response = learner_client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-837P.txt"')
    text = response.content.decode()
    assert text.startswith("ISA*") and "ST*837*" in text
    assert other_learner_client.get(url).status_code == 404


def test_before_the_prediction_the_given_claim_cannot_be_changed_or_downloaded(
    learner_client, right_claim
):
    attempt = start(learner_client, "test-epidural-scrub")
    given = attempt.claim
    response = post_claim(learner_client, attempt, right_claim, "save")
    assert response.status_code == 400
    attempt.refresh_from_db()
    assert attempt.claim == given
    download = reverse("billing:download_837", args=[attempt.pk])
    assert learner_client.get(download).status_code == 404


def test_the_prediction_is_graded_on_the_claim_the_learner_was_given(
    learner_client, right_claim
):
    attempt = start(learner_client, "test-epidural-scrub")
    # An editor cleans the page's claim after the learner started.
    BillingScenarioPage.objects.filter(slug="test-epidural-scrub").update(
        claim=right_claim
    )
    edits = ["missing-insured-id", "pointer-without-diagnosis"]
    learner_client.post(
        attempt.get_absolute_url(), {"action": "predict", "edits": edits}
    )
    attempt.refresh_from_db()
    assert attempt.graded_prediction.points == attempt.graded_prediction.max_points


def test_an_amount_too_large_to_be_one_is_graded_wrong_not_a_server_error(
    learner_client,
):
    attempt = start(learner_client, "test-knee-remittance")
    posting = {"action": "post", "lines.1.paid": "1e30", "claim.paid": "9" * 40}
    assert learner_client.post(attempt.get_absolute_url(), posting).status_code == 302
    attempt.refresh_from_db()
    assert attempt.graded_posting.points == 0
