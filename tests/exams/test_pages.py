"""The exam pages without script: start, answer one question per page, flag,
review, submit and read results; and the script's JSON saves through them."""

import pytest
from django.urls import reverse

from exams.errors import STALE_SAVE
from exams.models import Attempt, AttemptItem
from exams.services import attempt_grade


def start(client, slug="test-cpc") -> Attempt:
    response = client.post(reverse("exams:start", args=[slug]))
    assert response.status_code == 302
    return Attempt.objects.get(status="in_progress", blueprint__slug=slug)


def question_url(attempt, position):
    return reverse("exams:question", args=[attempt.pk, position])


def test_index_lists_exams_and_attempts(learner_client, cpc):
    page = learner_client.get(reverse("exams:index"))
    assert page.status_code == 200
    assert b"Test CPC exam" in page.content
    start(learner_client)
    assert b"Resume" in learner_client.get(reverse("exams:index")).content


def test_index_needs_login(client, cpc):
    assert client.get(reverse("exams:index")).status_code == 302


def test_start_page_shows_rules(learner_client, cpc):
    page = learner_client.get(reverse("exams:start", args=["test-cpc"]))
    assert b"4 questions, 30" in page.content
    assert b"Start the exam" in page.content


def test_answer_flag_and_navigate_without_script(learner_client, cpc):
    attempt = start(learner_client)
    page = learner_client.get(question_url(attempt, 1))
    assert page.status_code == 200
    assert b'id="exam-timer"' in page.content and b"correct" not in page.content
    response = learner_client.post(
        question_url(attempt, 1),
        {"options": "b", "flag_shown": "1", "flag": "on", "go": "2"},
    )
    assert response.url == question_url(attempt, 2)
    item = AttemptItem.objects.get(attempt=attempt, position=1)
    assert item.response == {"options": ["b"]} and item.flagged
    # Leaving a question unanswered stores nothing for it.
    learner_client.post(question_url(attempt, 2), {"flag_shown": "1", "go": "3"})
    assert AttemptItem.objects.get(attempt=attempt, position=2).response is None
    review = learner_client.get(reverse("exams:review", args=[attempt.pk]))
    assert b"3 unanswered, 1 flagged" in review.content


def test_json_save_through_the_page(learner_client, cpc):
    attempt = start(learner_client)
    response = learner_client.post(
        question_url(attempt, 3),
        {"options": ["a", "c"]},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200 and response.json()["saved"] is True
    item = AttemptItem.objects.get(attempt=attempt, position=3)
    assert item.response == {"options": ["a", "c"]}
    bad = learner_client.post(
        question_url(attempt, 3), {"options": ["x"]}, HTTP_ACCEPT="application/json"
    )
    assert bad.status_code == 400 and bad.json()["detail"] == "Unknown option id: x."


def test_a_page_save_arriving_after_a_newer_one_is_refused(learner_client, cpc):
    attempt = start(learner_client)

    def post(options, sequence):
        return learner_client.post(
            question_url(attempt, 3),
            {"options": options, "sequence": str(sequence)},
            HTTP_ACCEPT="application/json",
        )

    assert post(["b"], 1_800_000_000_500).status_code == 200
    late = post(["a"], 1_800_000_000_400)
    assert late.status_code == 409 and late.json()["detail"] == STALE_SAVE
    item = AttemptItem.objects.get(attempt=attempt, position=3)
    assert item.response == {"options": ["b"]}
    assert item.sequence == 1_800_000_000_500


def test_submit_and_results(learner_client, cpc):
    attempt = start(learner_client)
    learner_client.post(question_url(attempt, 2), {"options": "a", "go": "stay"})
    response = learner_client.post(reverse("exams:submit", args=[attempt.pk]))
    results_url = reverse("exams:results", args=[attempt.pk])
    assert response.url == results_url
    grading = learner_client.get(results_url).content.decode()
    assert "Grading…" in grading
    # It updates itself from a script a learner can pause (WCAG 2.2.1), never
    # from a <meta http-equiv="refresh">, which cannot be stopped.
    assert 'http-equiv="refresh"' not in grading
    assert 'data-auto-refresh="5"' in grading and "Pause automatic refresh" in grading
    closed = learner_client.post(
        question_url(attempt, 1), {"options": "b"}, HTTP_ACCEPT="application/json"
    )
    assert closed.status_code == 409 and closed.json()["closed"] is True
    attempt_grade(attempt_id=attempt.pk)
    page = learner_client.get(results_url).content.decode()
    assert "Not passed" in page and "No hyperglycemia documented." in page
    assert "ICD-10-CM Official Guidelines I.C.4.a" in page


def test_coding_item_form_round_trip(learner_client, exams):
    attempt = start(learner_client, "test-ccs")
    coding = AttemptItem.objects.get(attempt=attempt, question__kind="coding")
    url = question_url(attempt, coding.position)
    learner_client.post(
        url,
        {"diagnoses": "e11.9\nI10", "service_lines": "99213-25 x2", "go": "stay"},
    )
    coding.refresh_from_db()
    assert coding.response["diagnoses"] == [{"code": "e11.9"}, {"code": "I10"}]
    assert coding.response["service_lines"][0]["modifiers"] == ["25"]
    assert coding.response["service_lines"][0]["units"] == 2
    page = learner_client.get(url).content.decode()
    assert "99213-25 x2" in page and "e11.9\nI10" in page


@pytest.mark.parametrize("name", ["question", "review", "results", "resume"])
def test_others_attempt_pages_are_404(client, learner, other_learner, cpc, name):
    client.force_login(learner)
    attempt = start(client)
    client.force_login(other_learner)
    args = [attempt.pk, 1] if name == "question" else [attempt.pk]
    assert client.get(reverse(f"exams:{name}", args=args)).status_code == 404
    assert client.post(reverse("exams:submit", args=[attempt.pk])).status_code == 404
