"""What a learner reads around an exam, through the pages (issue #19): durations as
people say them, per-question times that add up to the time used, a confirmation
before submitting with questions left open, and coding items that ask for the
sections of their claim's setting only."""

import re
from datetime import timedelta

import pytest
from django.db.models import F
from django.urls import reverse

from exams.models import Attempt, AttemptItem, Question
from exams.services import attempt_grade
from exams.views import submit_warning
from tests.exams.test_pages import question_url, start


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def let_time_pass(attempt, seconds):
    """Move the attempt's times back, as if `seconds` had passed since."""
    back = timedelta(seconds=seconds)
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=F("started_at") - back,
        deadline=F("deadline") - back,
        clock_at=F("clock_at") - back,
    )


# ---- durations ----


def test_exam_durations_read_as_people_say_them(learner_client, cpc, exams):
    exams["test-ccs"].time_limit_seconds = 90 * 60
    exams["test-ccs"].save(update_fields=["time_limit_seconds"])

    index = text_of(learner_client.get(reverse("exams:index")))
    assert "Test CPC exam" in index and "30 min" in index
    assert "1 h 30 min" in index and "20 s" in index
    assert "minutes" not in index

    start_page = text_of(learner_client.get(reverse("exams:start", args=["test-ccs"])))
    assert "2 questions, 1 h 30 min." in start_page
    assert ".0 minutes" not in start_page

    attempt = start(learner_client)
    let_time_pass(attempt, 125)
    question = text_of(learner_client.get(question_url(attempt, 1)))
    # Without script the timer reads as a duration, not a count of seconds.
    assert re.search(r"Time left: 27 min 5\d s", question)


# ---- time per question ----


def time_table(results_page) -> dict[str, int]:
    """The results page's time-per-question table: row heading → seconds."""
    rows = re.findall(
        r'<th scope="row">([^<]+)</th><td data-seconds="(\d+)">',
        results_page.content.decode(),
    )
    return {heading: int(seconds) for heading, seconds in rows}


def test_per_question_times_add_up_to_the_time_used(learner_client, cpc):
    attempt = start(learner_client)
    let_time_pass(attempt, 3)  # the moment between starting and question 1
    learner_client.get(question_url(attempt, 1))
    let_time_pass(attempt, 40)
    # Saving counts no time of its own, whatever the page says it spent.
    learner_client.post(
        question_url(attempt, 1), {"options": "b", "time_spent": "500", "go": "2"}
    )
    learner_client.get(question_url(attempt, 2))
    let_time_pass(attempt, 25)
    # A second tab opens question 1 again: from now on the time is question 1's,
    # not both questions'.
    learner_client.get(question_url(attempt, 1))
    let_time_pass(attempt, 10)
    learner_client.get(reverse("exams:review", args=[attempt.pk]))
    let_time_pass(attempt, 7)
    learner_client.get(question_url(attempt, 3))
    let_time_pass(attempt, 12)
    learner_client.post(reverse("exams:submit", args=[attempt.pk]))
    attempt_grade(attempt_id=attempt.pk)

    page = learner_client.get(reverse("exams:results", args=[attempt.pk]))
    table = time_table(page)
    used = table.pop("Time used")
    off = table.pop("Not on a question (review page, before the first question)")
    per_question = {int(name.split()[-1]): seconds for name, seconds in table.items()}
    assert sum(per_question.values()) + off == used
    attempt.refresh_from_db()
    assert used == int((attempt.finished_at - attempt.started_at).total_seconds())
    # Each question has at least the time it was on screen; the requests' own
    # fractions of a second land wherever the clock was.
    assert per_question[1] >= 50 and per_question[2] >= 25
    assert per_question[3] >= 12 and per_question[4] == 0
    assert off >= 10
    assert used < 3 + 40 + 25 + 10 + 7 + 12 + 60
    # The ledger records the same seconds.
    assert (
        AttemptItem.objects.get(attempt=attempt, position=1).time_spent_seconds
        == (per_question[1])
    )
    text = text_of(page)
    assert "Not on a question" in text and re.search(r"Time used: 1 min \d+ s", text)


# ---- confirming a submission ----


def submit(client, attempt, *, check=True, json=False):
    data = {"check": "open-questions"} if check else {}
    headers = {"HTTP_ACCEPT": "application/json"} if json else {}
    return client.post(reverse("exams:submit", args=[attempt.pk]), data, **headers)


def test_submitting_with_unanswered_questions_asks_first(learner_client, cpc):
    attempt = start(learner_client)
    learner_client.post(
        question_url(attempt, 2),
        {"options": "a", "flag_shown": "1", "flag": "on", "go": "stay"},
    )
    review = learner_client.get(reverse("exams:review", args=[attempt.pk]))
    assert b'name="check" value="open-questions"' in review.content

    asked = submit(learner_client, attempt)

    assert asked.status_code == 200
    text = text_of(asked)
    assert (
        "You are submitting with 3 questions unanswered and 1 question flagged for "
        "review." in text
    )
    assert "Submit anyway" in text and "Back to the review" in text
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.IN_PROGRESS
    # The confirmation's own form submits.
    assert b'name="check"' not in asked.content
    confirmed = submit(learner_client, attempt, check=False)
    assert confirmed.url == reverse("exams:results", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED


def test_the_page_script_hears_what_to_confirm(learner_client, cpc):
    attempt = start(learner_client)

    asked = submit(learner_client, attempt, json=True)

    assert asked.status_code == 409
    assert asked.json() == {
        "confirm": True,
        "detail": submit_warning(4, 0),
        "unanswered": 4,
        "flagged": 0,
    }
    assert Attempt.objects.get(pk=attempt.pk).status == Attempt.Status.IN_PROGRESS


def test_nothing_left_open_submits_at_once(learner_client, cpc):
    attempt = start(learner_client)
    for item in attempt.items.select_related("question"):
        option = item.question.options.first().option_id
        learner_client.post(
            question_url(attempt, item.position), {"options": option, "go": "stay"}
        )

    response = submit(learner_client, attempt)

    assert response.url == reverse("exams:results", args=[attempt.pk])
    assert Attempt.objects.get(pk=attempt.pk).status == Attempt.Status.SUBMITTED


@pytest.mark.parametrize(
    ("unanswered", "flagged", "text"),
    [
        (1, 0, "You are submitting with 1 question unanswered."),
        (0, 2, "You are submitting with 2 questions flagged for review."),
        (17, 1, "17 questions unanswered and 1 question flagged for review."),
    ],
)
def test_the_warning_counts_what_is_open(unanswered, flagged, text):
    assert text in submit_warning(unanswered, flagged)


# ---- the sections of a coding item ----


def coding_item(client, exams, setting):
    question = Question.objects.get(slug="t-ccs-case-1")
    question.key = question.key | {"setting": setting}
    Question.objects.filter(pk=question.pk).update(key=question.key)
    attempt = start(client, "test-ccs")
    item = AttemptItem.objects.get(attempt=attempt, question=question)
    return attempt, item


def test_an_inpatient_item_codes_diagnoses_with_poa_and_pcs(learner_client, exams):
    attempt, item = coding_item(learner_client, exams, "inpatient")
    url = question_url(attempt, item.position)

    page = learner_client.get(url).content.decode()

    assert "Service lines" not in page and 'name="service_lines"' not in page
    assert "Procedure codes (ICD-10-PCS)" in page and 'name="procedures"' in page
    assert "Diagnosis codes (ICD-10-CM) with POA indicator" in page
    learner_client.post(
        url, {"diagnoses": "E11.9 y\nI10 N", "procedures": "0DTJ4ZZ", "go": "stay"}
    )
    item.refresh_from_db()
    assert [(d["code"], d.get("poa")) for d in item.response["diagnoses"]] == [
        ("E11.9", "Y"),
        ("I10", "N"),
    ]
    assert [p["code"] for p in item.response["procedures"]] == ["0DTJ4ZZ"]
    assert "E11.9 Y\nI10 N" in learner_client.get(url).content.decode()


def test_the_page_script_saves_an_inpatient_item_with_its_poa(learner_client, exams):
    """The script's save reads the form by the item's setting, as the page does."""
    attempt, item = coding_item(learner_client, exams, "inpatient")

    reply = learner_client.post(
        question_url(attempt, item.position),
        {"diagnoses": "E11.9 y\nI10 N", "procedures": "0DTJ4ZZ", "sequence": 1},
        HTTP_ACCEPT="application/json",
    )

    assert reply.status_code == 200 and reply.json()["saved"] is True
    item.refresh_from_db()
    assert [(d["code"], d.get("poa")) for d in item.response["diagnoses"]] == [
        ("E11.9", "Y"),
        ("I10", "N"),
    ]
    assert [p["code"] for p in item.response["procedures"]] == ["0DTJ4ZZ"]


def test_an_outpatient_item_codes_diagnoses_and_service_lines(learner_client, exams):
    attempt, item = coding_item(learner_client, exams, "outpatient")

    page = learner_client.get(question_url(attempt, item.position)).content.decode()

    assert 'name="service_lines"' in page and 'name="procedures"' not in page
    assert "POA" not in page
