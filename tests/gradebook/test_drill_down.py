"""A gradebook cell opened: the learner's answer line by line with the feedback
they saw, and the key (instructors teach)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from cohorts.models import Assignment
from tests.gradebook.conftest import (
    OFFICE_NEAR_MISS,
    OFFICE_RIGHT,
    assign,
    case_submitted,
    check_answered,
    exam_graded,
    member,
)

pytestmark = pytest.mark.django_db

Kind = Assignment.Kind
WEEK = timedelta(days=7)


def drill_down(client, cohort, learner, assignment):
    url = reverse(
        "gradebook:learner_assignment", args=[cohort.pk, learner.pk, assignment.pk]
    )
    reply = client.get(url)
    assert reply.status_code == 200
    return reply.content.decode()


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_case_shows_each_attempt_with_the_codes_entered_and_the_feedback(
    instructor_client, cohort, content
):
    office = content["office"]
    assignment = assign(cohort, Kind.CASE, title="Office", due=WEEK, cases=[office])
    ada = member(cohort, "ada@example.test", "Ada Lovelace")
    near = case_submitted(ada, office, OFFICE_NEAR_MISS)
    right = case_submitted(ada, office, OFFICE_RIGHT)

    page = drill_down(instructor_client, cohort, ada, assignment)

    text = text_of(page)
    assert f'id="attempt-{near.pk}"' in page and f'id="attempt-{right.pk}"' in page
    # The near miss as entered: codes, modifiers, units and pointers per line.
    assert "Service line 1 99213 25 2 2, 1" in text
    assert "Diagnosis 1 E11.9" in text
    # The engine's feedback as the learner saw it, with the key beside it.
    assert "Learner gave E11.9" in text and "Key E11.65" in text
    assert "TESTKEY-ERROR hyperglycemia is documented." in text
    assert "Points taken off" in page
    assert "Rationale: TESTKEY-RATIONALE diabetes with hyperglycemia." in text
    assert "Grade 100.0% Status Submitted" in text
    # Two attempts on one page keep their section ids apart.
    assert f'id="attempt-{near.pk}-section-diagnoses"' in page


def test_an_exam_shows_each_item_with_answer_key_points_and_time(
    instructor_client, cohort, content
):
    assignment = assign(
        cohort, Kind.EXAM, title="Mock", due=WEEK, blueprint=content["exam"]
    )
    ada = member(cohort, "ada@example.test")
    attempt = exam_graded(ada, content["exam"], right=True, seconds=125)

    page = drill_down(instructor_client, cohort, ada, assignment)

    text = text_of(page)
    assert "Type 2 diabetes without complications is coded as?" in text
    assert "Passed" in text and "100.0%" in text
    item = attempt.items.select_related("question").get(question__slug="t-icd-1")
    right = item.question.options.get(correct=True).text
    # Answer and key agree here: the option shows in both columns.
    assert text.count(right) >= 2
    assert "1 / 1" in text and "2 min 5 s" in text
    assert "<script" not in page.split("<main", 1)[1].split("</main>")[0]


def test_a_lesson_shows_the_questions_with_the_learners_results(
    instructor_client, cohort, content
):
    assignment = assign(
        cohort, Kind.LESSON, title="Reading", due=WEEK, lesson=content["lesson"]
    )
    ada = member(cohort, "ada@example.test")
    ben = member(cohort, "ben@example.test")
    check_answered(ada, content["lesson"], ["a"])

    page = drill_down(instructor_client, cohort, ada, assignment)

    text = text_of(page)
    assert "Which category holds type 2 diabetes?" in text
    assert "Not quite" in text and "E10 is type 1 diabetes." in text
    # The instructor reads what the learner was shown: after one wrong try, the
    # feedback on the choice made and not yet the answer (docs/courses.md).
    assert "Correct answer" not in text
    assert "type2" not in text
    check_answered(ada, content["lesson"], ["a"])
    revealed = text_of(drill_down(instructor_client, cohort, ada, assignment))
    assert "Correct answer" in revealed
    assert "Not yet right after 2 tries; the first try scored 0%" in revealed
    assert "Not answered" in text_of(
        drill_down(instructor_client, cohort, ben, assignment)
    )


def test_nothing_handed_in_says_so(instructor_client, cohort, content):
    assignment = assign(
        cohort, Kind.CASE, title="Office", due=WEEK, cases=[content["office"]]
    )
    ada = member(cohort, "ada@example.test")
    page = drill_down(instructor_client, cohort, ada, assignment)
    assert "No attempt submitted for this assignment since it was set." in page
