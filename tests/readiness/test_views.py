import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from courses.models import CourseInstructor, CoursePage
from courses.services import enrolment_create
from readiness.services import readiness_update_for_response

pytestmark = pytest.mark.django_db

SAMPLE_COURSE = Path(__file__).parent.parent / "courses" / "data" / "sample-course.json"


@pytest.fixture
def course(db):
    call_command("load_demo_courses", str(SAMPLE_COURSE), stdout=StringIO())
    return CoursePage.objects.get(slug="sample-diabetes-coding")


@pytest.fixture
def practised(learner, answer):
    rows = answer(learner, 20, score=1.0) + answer(
        learner, 10, score=0.0, domain="cpc-surgery-20000"
    )
    readiness_update_for_response(graded_response_id=rows[-1].pk)
    return learner


def test_learner_sees_estimate_plots_tables_and_next_steps(learner_client, practised):
    response = learner_client.get(reverse("readiness:detail", args=["cpc"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Predicted exam score" in html and "Chance of passing" in html
    assert html.count("<svg") == 2
    assert "Readiness over time as a table" in html
    assert "Mastery by domain as a table" in html
    assert "Next steps" in html
    assert "style=" not in html.split("<main")[1]
    assert "readiness/readiness.css" in html
    next_steps = html.split('id="next-steps-heading"')[1]
    assert "musculoskeletal" in next_steps.split("<h3")[1]


def test_thin_evidence_says_how_many_more_items(learner_client, learner, answer):
    (row,) = answer(learner)
    readiness_update_for_response(graded_response_id=row.pk)
    html = learner_client.get(reverse("readiness:detail", args=["cpc"])).content
    assert re.search(rb"about \d+ more practice items", html)


def test_no_data_shows_a_starting_point_not_a_number(learner_client):
    response = learner_client.get(reverse("readiness:detail", args=["cpc"]))
    html = response.content.decode()
    assert "Start here" in html and "no estimate yet" in html.lower()
    assert "<svg" not in html and "Predicted exam score" not in html


def test_dashboard_panel(learner_client, practised):
    html = learner_client.get("/dashboard/").content.decode()
    assert "Exam readiness" in html and "chance of passing" in html
    assert reverse("readiness:detail", args=["cpc"]) in html


def test_dashboard_panel_without_data(learner_client):
    html = learner_client.get("/dashboard/").content.decode()
    assert "No estimate yet" in html


def test_index_lists_certifications(learner_client, practised):
    html = learner_client.get(reverse("readiness:index")).content.decode()
    assert "CPC" in html and "CCS" in html and "Predicted" in html


def test_unknown_certification_is_404(learner_client):
    response = learner_client.get(reverse("readiness:detail", args=["nope"]))
    assert response.status_code == 404


def test_anonymous_must_log_in(client):
    response = client.get(reverse("readiness:detail", args=["cpc"]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_learner_cannot_see_another_learners_readiness(
    client, other_learner, practised
):
    from tests.support.accounts import PASSWORD

    client.login(username=other_learner.email, password=PASSWORD)
    own = client.get(reverse("readiness:detail", args=["cpc"])).content.decode()
    assert "Start here" in own
    url = reverse("readiness:learner", args=[practised.pk, "cpc"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("readiness:cohort", args=["cpc"])).status_code == 404


def test_instructor_sees_only_learners_enrolled_in_their_courses(
    instructor_client, instructor, practised, other_learner, course
):
    url = reverse("readiness:learner", args=[practised.pk, "cpc"])
    assert instructor_client.get(url).status_code == 404
    CourseInstructor.objects.create(page=course, user=instructor)
    enrolment_create(learner=practised, course=course)
    response = instructor_client.get(url)
    assert response.status_code == 200
    assert "Predicted exam score" in response.content.decode()
    other = reverse("readiness:learner", args=[other_learner.pk, "cpc"])
    assert instructor_client.get(other).status_code == 404
    cohort = instructor_client.get(reverse("readiness:cohort", args=["cpc"]))
    html = cohort.content.decode()
    assert practised.email in html or practised.display_name in html
    assert other_learner.email not in html


def test_cohort_orders_at_risk_first(
    instructor_client, instructor, practised, other_learner, answer, course
):
    rows = answer(other_learner, 30, score=0.0)
    readiness_update_for_response(graded_response_id=rows[-1].pk)
    CourseInstructor.objects.create(page=course, user=instructor)
    enrolment_create(learner=practised, course=course)
    enrolment_create(learner=other_learner, course=course)
    html = instructor_client.get(reverse("readiness:cohort", args=["cpc"])).content
    html = html.decode()
    assert "at risk" in html
    assert html.index(other_learner.email) < html.index(practised.email)
