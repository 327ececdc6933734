"""Practice in the browser without JavaScript: library filters, the form, partial
credit feedback, bad input, double submits, and other learners' attempts."""

import pytest
from django.urls import reverse

from case_studies import forms, services
from case_studies.models import CaseAttempt
from certifications.models import Domain
from grading.factories import GradedResponseFactory
from grading.items import ItemType
from grading.models import GradedResponse

pytestmark = pytest.mark.django_db

OFFICE = "test-office-diabetes"
INPATIENT = "test-inpatient-dka"


def practice_url(slug):
    return reverse("case_studies:practice", args=[slug])


def open_attempt(client, slug) -> CaseAttempt:
    response = client.get(practice_url(slug))
    assert response.status_code == 200
    return response.context["attempt"]


def submit(client, slug, attempt, **fields):
    return client.post(practice_url(slug), {"attempt": attempt.pk, **fields})


def test_library_lists_and_filters(learner_client, cases):
    url = reverse("case_studies:library")
    page = learner_client.get(url)
    assert OFFICE in page.content.decode() and INPATIENT in page.content.decode()
    only_inpatient = learner_client.get(url, {"setting": "inpatient"}).content.decode()
    assert INPATIENT in only_inpatient and OFFICE not in only_inpatient
    by_exam = learner_client.get(url, {"exam": "cpc"}).content.decode()
    assert OFFICE in by_exam and INPATIENT not in by_exam
    by_domain = learner_client.get(url, {"domain": "ccs-inpatient-coding"})
    assert [e.case.slug for e in by_domain.context["entries"]] == [INPATIENT]
    by_level = learner_client.get(url, {"difficulty": "advanced"})
    assert [e.case.slug for e in by_level.context["entries"]] == [INPATIENT]


def test_library_needs_login(client, cases):
    response = client.get(reverse("case_studies:library"))
    assert response.status_code == 302


def test_partial_credit_feedback_and_retry(learner_client, learner, cases):
    attempt = open_attempt(learner_client, OFFICE)
    response = submit(
        learner_client,
        OFFICE,
        attempt,
        **{
            "dx-0-code": "E11.9",
            "dx-1-code": "E78.5",
            "svc-0-code": "99214",
            "svc-0-units": "1",
            "svc-0-pointers": "1, 2",
        },
    )
    attempt.refresh_from_db()
    assert response.status_code == 302
    assert response.url == reverse("case_studies:attempt", args=[attempt.pk])
    assert attempt.submitted_at and attempt.time_spent is not None
    ledger = GradedResponse.objects.get(attempt_ref=f"case-attempt:{attempt.pk}")
    assert attempt.graded_response == ledger
    assert ledger.source == "practice_case" and ledger.learner == learner
    assert 0 < ledger.points < ledger.max_points
    feedback = learner_client.get(response.url).content.decode()
    assert "Partial" in feedback
    assert "TESTKEY-RATIONALE" in feedback
    assert "TESTKEY-ERROR" in feedback
    assert "right category" in feedback

    retry = open_attempt(learner_client, OFFICE)
    assert retry.pk != attempt.pk
    progress = learner_client.get(
        reverse("case_studies:library"), {"progress": "retry"}
    )
    assert [e.case.slug for e in progress.context["entries"]] == [OFFICE]
    new = learner_client.get(reverse("case_studies:library"), {"progress": "new"})
    assert [e.case.slug for e in new.context["entries"]] == [INPATIENT]


def test_inpatient_form_has_pcs_rows_and_grades_them(learner_client, cases):
    attempt = open_attempt(learner_client, INPATIENT)
    page = learner_client.get(practice_url(INPATIENT)).content.decode()
    assert 'data-code-system="icd10pcs"' in page and "svc-0-code" not in page
    response = submit(
        learner_client,
        INPATIENT,
        attempt,
        **{"dx-0-code": "E10.10", "dx-1-code": "E87.6", "pcs-0-code": "0DTJ0ZZ"},
    )
    feedback = learner_client.get(response.url).content.decode()
    assert "Character 5 (approach)" in feedback
    assert "The approach was laparoscopic" in feedback


def test_unknown_code_is_graded_invalid(learner_client, cases):
    attempt = open_attempt(learner_client, OFFICE)
    response = submit(learner_client, OFFICE, attempt, **{"dx-0-code": "E11.6"})
    attempt.refresh_from_db()
    counts = attempt.graded_response.result["counts"]
    assert counts["invalid"] == 1
    assert "header" in learner_client.get(response.url).content.decode()


def test_empty_submission_is_refused(learner_client, cases):
    attempt = open_attempt(learner_client, OFFICE)
    response = submit(learner_client, OFFICE, attempt, **{"dx-0-code": "  "})
    assert response.status_code == 400
    assert services.EMPTY_RESPONSE in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    assert not GradedResponse.objects.exists()


def test_bad_pointer_and_units_are_named(learner_client, cases):
    attempt = open_attempt(learner_client, OFFICE)
    response = submit(
        learner_client,
        OFFICE,
        attempt,
        **{
            "dx-0-code": "E11.65",
            "svc-0-code": "99214",
            "svc-0-units": "x",
            "svc-0-pointers": "3",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert forms.BAD_UNITS.format(number=1) in body
    assert forms.BAD_POINTER.format(number=1, pointer="3") in body
    assert not GradedResponse.objects.exists()


def test_markup_typed_in_a_field_is_shown_as_text(learner_client, cases):
    attempt = open_attempt(learner_client, OFFICE)
    response = submit(
        learner_client,
        OFFICE,
        attempt,
        **{"dx-0-code": "<script>alert(1)</script>E11.65<b>x</b>"},
    )
    attempt.refresh_from_db()
    assert attempt.response["diagnoses"][0]["code"] == "E11.65x"
    feedback = learner_client.get(response.url).content.decode()
    assert "<script>alert(1)" not in feedback and "<b>x" not in feedback


def test_markup_in_a_refused_form_is_not_echoed(learner_client, cases):
    attempt = open_attempt(learner_client, OFFICE)
    response = submit(
        learner_client,
        OFFICE,
        attempt,
        **{"svc-0-code": "99214", "svc-0-units": "<i>x</i>"},
    )
    assert response.status_code == 400
    assert "<i>" not in response.content.decode()


def test_double_submit_records_one_attempt(learner_client, learner, cases):
    attempt = open_attempt(learner_client, OFFICE)
    fields = {"dx-0-code": "E11.65", "dx-1-code": "E78.5"}
    first = submit(learner_client, OFFICE, attempt, **fields)
    second = submit(learner_client, OFFICE, attempt, **fields)
    assert second.status_code == 302 and second.url == first.url
    assert CaseAttempt.objects.filter(submitted_at__isnull=False).count() == 1
    assert GradedResponse.objects.count() == 1
    with pytest.raises(services.AttemptError, match=services.ALREADY_SUBMITTED):
        services.attempt_submit(
            attempt=CaseAttempt.objects.get(pk=attempt.pk),
            response={"diagnoses": [{"code": "E11.65"}]},
        )


def test_another_learners_attempt_is_404(learner_client, other_learner, client, cases):
    attempt = open_attempt(learner_client, OFFICE)
    response = submit(learner_client, OFFICE, attempt, **{"dx-0-code": "E11.65"})
    client.force_login(other_learner)
    assert client.get(response.url).status_code == 404
    stolen = client.post(
        practice_url(OFFICE), {"attempt": attempt.pk, "dx-0-code": "E11.9"}
    )
    assert stolen.status_code == 404


def test_unsubmitted_attempt_has_no_feedback_page(learner_client, cases):
    attempt = open_attempt(learner_client, OFFICE)
    url = reverse("case_studies:attempt", args=[attempt.pk])
    assert learner_client.get(url).status_code == 404


def test_dashboard_shows_attempts_and_domain_accuracy(learner_client, cases):
    attempt = open_attempt(learner_client, OFFICE)
    submit(learner_client, OFFICE, attempt, **{"dx-0-code": "E11.65"})
    page = learner_client.get(reverse("core:dashboard")).content.decode()
    assert "Test office visit for type 2 diabetes" in page
    assert "Case practice accuracy by exam domain" in page


def test_dashboard_accuracy_counts_case_practice_only(learner_client, learner, cases):
    """Lesson checks and mock exams have panels of their own; a blend here would
    pass them off as case practice."""
    attempt = open_attempt(learner_client, OFFICE)
    submit(learner_client, OFFICE, attempt, **{"dx-0-code": "E11.65"})
    attempt.refresh_from_db()
    percentage = round(attempt.graded_response.result["percentage"])
    surgery = Domain.objects.filter(slug="cpc-surgery-20000")
    icd = Domain.objects.filter(slug="cpc-icd-10-cm")
    for domains in (surgery, icd):
        GradedResponseFactory(
            learner=learner,
            source=GradedResponse.Source.KNOWLEDGE_CHECK,
            item_type=ItemType.KNOWLEDGE_CHECK,
            attempt_ref=f"check-{domains.get().slug}",
            points=4.0,
            domains=domains,
        )
    body = learner_client.get(reverse("core:dashboard")).content.decode()
    table = body.split("Case practice accuracy by exam domain", 1)[1]
    table = table.split("</table>", 1)[0]
    assert str(surgery.get()) not in table
    assert f"<td>{icd.get()}</td><td>1</td><td>{percentage}%</td>" in table


def test_a_table_in_the_record_scrolls_in_its_own_box(learner_client, cases):
    page = learner_client.get(practice_url(OFFICE)).content.decode()
    assert (
        '<div class="table-scroll" tabindex="0" role="region" '
        'aria-label="Laboratory results"><table>'
    ) in page
    assert page.count("<table>") == page.count('class="table-scroll"')
