"""Disputes through the pages: a learner disputes a case line or an exam item, an
instructor rejects (the learner is told why) or changes the key (the regrade
closes the dispute and tells the learner their scores); bad input and other
people's ids."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from case_studies.models import CaseStudyPage
from disputes.forms import RulingForm
from disputes.lines import DisputedLine
from disputes.models import Dispute
from disputes.services import (
    ALREADY_OPEN,
    ALREADY_RULED,
    EXPLANATION_REQUIRED,
    RESOLVED_SUBJECT,
    dispute_open,
)
from grading.items import ItemRef
from grading.models import GradedResponse
from grading.services import coding_answer_grade, graded_response_record
from grading.signals import responses_regraded
from notifications.models import Notification
from tests.case_studies.conftest import bundle
from tests.disputes.conftest import OFFICE, sit_exam, submit_case

pytestmark = pytest.mark.django_db

FIRST_DIAGNOSIS = "diagnoses.key.0"
REASON = "The note documents no hyperglycemia, only glucose above goal."
CITATION = "ICD-10-CM Guidelines I.C.4.a"
EXPLANATION = "An HbA1c of 9.1% above goal is documented hyperglycemia."


def new_url(response_id, line) -> str:
    return f"{reverse('disputes:new')}?response={response_id}&line={line}"


def dispute(client, response_id, line=FIRST_DIAGNOSIS, **fields):
    data = {"reason": REASON, "citation": CITATION, **fields}
    return client.post(new_url(response_id, line), data)


def ruling_url(dispute_row) -> str:
    return reverse("disputes:ruling", args=[dispute_row.pk])


def test_a_case_line_is_disputed_queued_and_rejected(
    case_response, learner, learner_browser, instructor_browser
):
    feedback = learner_browser.get(
        reverse("case_studies:attempt", args=[case_response.case_attempt.pk])
    ).content.decode()
    links = re.findall(
        r'href="/disputes/new/\?response=(\d+)&amp;line=([\w.]+)"', feedback
    )
    assert links == [
        (str(case_response.pk), "diagnoses.key.0"),
        (str(case_response.pk), "diagnoses.key.1"),
        (str(case_response.pk), "service_lines.key.0"),
    ]
    form = learner_browser.get(new_url(case_response.pk, FIRST_DIAGNOSIS))
    assert form.status_code == 200
    assert "Diagnosis 1: E11.9" in form.content.decode()

    sent = dispute(learner_browser, case_response.pk)
    row = Dispute.objects.get()
    assert sent.status_code == 302
    assert sent.url == f"{reverse('disputes:mine')}#dispute-{row.pk}"
    assert (row.learner, row.line, row.status) == (learner, FIRST_DIAGNOSIS, "open")
    assert (row.learner_answer, row.key_answer) == ("E11.9", "E11.65")
    assert "TESTKEY-RATIONALE" in row.feedback

    queue = instructor_browser.get(reverse("disputes:queue")).content.decode()
    for shown in (
        "Diagnosis 1: E11.9",
        "E11.65",
        "TESTKEY-RATIONALE",
        REASON,
        CITATION,
    ):
        assert shown in queue

    ruled = instructor_browser.post(
        ruling_url(row), {"decision": RulingForm.REJECT, "explanation": EXPLANATION}
    )
    assert ruled.status_code == 302
    row.refresh_from_db()
    assert row.status == Dispute.Status.REJECTED and row.ruling == EXPLANATION
    assert row.ruled_by is not None and row.ruled_at is not None
    told = Notification.objects.get(user=learner)
    assert "rejected" in told.subject and told.body == EXPLANATION
    mine = learner_browser.get(reverse("disputes:mine")).content.decode()
    assert "Rejected" in mine and EXPLANATION in mine
    assert (
        "No open disputes."
        in instructor_browser.get(reverse("disputes:queue")).content.decode()
    )


def test_an_exam_item_is_disputed_from_the_results_review(
    cpc, learner, learner_browser, instructor_browser
):
    attempt = sit_exam(learner_browser)
    results = learner_browser.get(
        reverse("exams:results", args=[attempt.pk])
    ).content.decode()
    second = GradedResponse.objects.get(
        attempt_ref__startswith=f"exam-attempt:{attempt.pk}:",
        attempt_ref__endswith=f":{attempt.items.get(position=2).pk}",
    )
    assert results.count("Dispute this") == attempt.items.count()
    assert f'href="/disputes/new/?response={second.pk}&amp;line=item"' in results

    form = learner_browser.get(new_url(second.pk, "item")).content.decode()
    assert "Question 2" in form
    assert dispute(learner_browser, second.pk, "item").status_code == 302
    row = Dispute.objects.get()
    assert row.line_label == "Question 2" and row.key_answer
    assert (
        "Question 2"
        in instructor_browser.get(reverse("disputes:queue")).content.decode()
    )
    instructor_browser.post(ruling_url(row), {"decision": RulingForm.UPHOLD})
    question = second.item.object_pk
    editor = reverse("wagtailsnippets_exams_question:edit", args=[question])
    assert editor in instructor_browser.get(ruling_url(row)).content.decode()


def test_no_dispute_link_where_the_review_is_withheld(exams, learner_browser):
    attempt = sit_exam(learner_browser, "test-ccs")
    results = learner_browser.get(reverse("exams:results", args=[attempt.pk]))
    assert "Dispute this" not in results.content.decode()
    row = GradedResponse.objects.filter(learner=attempt.learner).first()
    refused = learner_browser.get(new_url(row.pk, "item"))
    assert refused.status_code == 403
    assert "It can be disputed once its feedback is shown" in refused.content.decode()
    assert not Dispute.objects.exists()


def regrade_with_key_accepting(response: GradedResponse, code: str) -> None:
    """What the key-change regrade does to the ledger row: grade the same answer
    against the case's key now accepting `code` for its first diagnosis,
    recorded again."""
    key = bundle("outpatient.json")["cases"][0]["key"]
    key["diagnoses"][0] |= {"alternatives": [code], "common_errors": []}
    graded = coding_answer_grade(
        key_data=key, response_data=response.response, policy_name=response.policy
    )
    graded_response_record(
        learner=response.learner,
        source=response.source,
        item=response.item,
        attempt_ref=response.attempt_ref,
        graded=graded,
        response=response.response,
        domains=list(response.domains.all()),
        difficulty=response.difficulty,
        item_title=response.item_title,
        regrade_reason="Answer key changed",
    )


def test_upheld_dispute_links_the_editor_and_closes_on_the_regrade(
    case_response, learner, learner_browser, instructor_browser
):
    dispute(learner_browser, case_response.pk)
    row = Dispute.objects.get()
    upheld = instructor_browser.post(ruling_url(row), {"decision": RulingForm.UPHOLD})
    assert upheld.status_code == 302
    row.refresh_from_db()
    assert row.status == Dispute.Status.UPHELD
    page = instructor_browser.get(ruling_url(row)).content.decode()
    case = CaseStudyPage.objects.get(slug=OFFICE)
    assert reverse("wagtailadmin_pages:edit", args=[case.pk]) in page
    assert "goes through review" in page
    assert "upheld" in Notification.objects.get(user=learner).subject
    before = f"{case_response.points:g}/{case_response.max_points:g}"

    regrade_with_key_accepting(case_response, "E11.9")
    case_response.refresh_from_db()
    assert f"{case_response.points:g}/{case_response.max_points:g}" != before
    responses_regraded.send(
        sender=GradedResponse,
        item=ItemRef.case_study(case.pk),
        graded_response_ids=[case_response.pk],
        reason="Answer key changed",
    )
    row.refresh_from_db()
    assert row.status == Dispute.Status.RESOLVED_BY_REGRADE
    told = Notification.objects.get(
        user=learner, subject=RESOLVED_SUBJECT.format(label=row.line_label)
    )
    after = f"{case_response.points:g}/{case_response.max_points:g}"
    assert f"{before} before, {after} now" in told.body
    mine = learner_browser.get(reverse("disputes:mine")).content.decode()
    assert "Resolved by a regrade" in mine


def test_a_regrade_of_another_item_leaves_upheld_disputes_waiting(
    case_response, learner_browser, instructor_browser
):
    dispute(learner_browser, case_response.pk)
    row = Dispute.objects.get()
    instructor_browser.post(ruling_url(row), {"decision": RulingForm.UPHOLD})
    other = CaseStudyPage.objects.exclude(slug=OFFICE).get()
    responses_regraded.send(
        sender=GradedResponse,
        item=ItemRef.case_study(other.pk),
        graded_response_ids=[],
        reason="Answer key changed",
    )
    row.refresh_from_db()
    assert row.status == Dispute.Status.UPHELD


def test_the_dispute_form_reports_bad_input(case_response, learner_browser):
    empty = dispute(learner_browser, case_response.pk, reason="", citation=" ")
    assert empty.status_code == 400
    assert empty.context["form"].errors == {
        "reason": ["This field is required."],
        "citation": ["This field is required."],
    }
    assert "This field is required." in empty.content.decode()
    assert dispute(learner_browser, case_response.pk).status_code == 302
    again = dispute(learner_browser, case_response.pk)
    assert again.status_code == 400 and ALREADY_OPEN in again.content.decode()
    other_line = dispute(learner_browser, case_response.pk, "diagnoses.key.1")
    assert other_line.status_code == 302
    assert Dispute.objects.count() == 2
    for bad in (new_url(case_response.pk, "diagnoses.key.9"), new_url("x", "item")):
        assert learner_browser.get(bad).status_code == 404


def test_a_ruling_needs_an_explanation_to_reject_and_happens_once(
    case_response, learner_browser, instructor_browser, second_instructor_browser
):
    dispute(learner_browser, case_response.pk)
    row = Dispute.objects.get()
    bare = instructor_browser.post(ruling_url(row), {"decision": RulingForm.REJECT})
    assert bare.status_code == 400
    assert bare.context["form"].errors == {"explanation": [EXPLANATION_REQUIRED]}
    unknown = instructor_browser.post(ruling_url(row), {"decision": "maybe"})
    assert unknown.status_code == 400 and "decision" in unknown.context["form"].errors
    row.refresh_from_db()
    assert row.status == Dispute.Status.OPEN
    instructor_browser.post(
        ruling_url(row), {"decision": RulingForm.REJECT, "explanation": EXPLANATION}
    )
    late = second_instructor_browser.post(
        ruling_url(row), {"decision": RulingForm.UPHOLD}
    )
    assert late.status_code == 400 and ALREADY_RULED in late.content.decode()
    row.refresh_from_db()
    assert row.status == Dispute.Status.REJECTED


def test_other_people_get_404_on_every_dispute_url(
    case_response, learner_browser, other_browser, instructor_browser
):
    assert (
        other_browser.get(new_url(case_response.pk, FIRST_DIAGNOSIS)).status_code == 404
    )
    assert dispute(other_browser, case_response.pk).status_code == 404
    dispute(learner_browser, case_response.pk)
    row = Dispute.objects.get()
    assert (
        row.line_label
        not in other_browser.get(reverse("disputes:mine")).content.decode()
    )
    for client in (learner_browser, other_browser):
        assert client.get(reverse("disputes:queue")).status_code == 404
        assert client.get(ruling_url(row)).status_code == 404
        ruled = client.post(
            ruling_url(row), {"decision": RulingForm.REJECT, "explanation": "No."}
        )
        assert ruled.status_code == 404
    assert (
        instructor_browser.get(
            reverse("disputes:ruling", args=[row.pk + 1000])
        ).status_code
        == 404
    )
    row.refresh_from_db()
    assert row.status == Dispute.Status.OPEN


def test_an_instructor_never_rules_on_their_own_dispute(
    cases, instructor, instructor_browser, second_instructor_browser
):
    own = submit_case(instructor_browser)
    assert dispute(instructor_browser, own.pk).status_code == 302
    row = Dispute.objects.get()
    assert instructor_browser.get(ruling_url(row)).status_code == 404
    assert (
        REASON not in instructor_browser.get(reverse("disputes:queue")).content.decode()
    )
    assert (
        REASON
        in second_instructor_browser.get(reverse("disputes:queue")).content.decode()
    )


def test_an_administrator_may_rule(
    case_response, learner_browser, administrator_browser
):
    dispute(learner_browser, case_response.pk)
    row = Dispute.objects.get()
    administrator_browser.post(
        ruling_url(row), {"decision": RulingForm.REJECT, "explanation": EXPLANATION}
    )
    row.refresh_from_db()
    assert row.status == Dispute.Status.REJECTED


def test_the_instructor_dashboard_shows_open_disputes(
    case_response, learner_browser, instructor_browser
):
    dashboard = reverse("core:dashboard")
    assert "No open disputes." in instructor_browser.get(dashboard).content.decode()
    dispute(learner_browser, case_response.pk)
    panel = instructor_browser.get(dashboard).content.decode()
    assert "1 open dispute to rule on" in panel
    assert ruling_url(Dispute.objects.get()) in panel
    assert "open dispute" not in learner_browser.get(dashboard).content.decode()


def test_the_queue_and_my_disputes_cost_the_same_queries_for_more_disputes(
    case_response, learner, learner_browser, instructor_browser
):
    def queries(client, url) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def add_dispute(number):
        line = DisputedLine(f"diagnoses.given.{number}", f"Line {number}", "", "", "")
        dispute_open(
            learner=learner,
            graded_response=case_response,
            line=line,
            reason=REASON,
            citation=CITATION,
        )

    add_dispute(0)
    pages = [
        (instructor_browser, reverse("disputes:queue")),
        (learner_browser, reverse("disputes:mine")),
    ]
    one = [queries(client, url) for client, url in pages]
    for number in range(1, 5):
        add_dispute(number)
    assert [queries(client, url) for client, url in pages] == one
