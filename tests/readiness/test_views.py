from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from courses.models import CourseInstructor, CoursePage
from courses.services import enrolment_create
from readiness.model.exam import ITEMS_NEEDED_CAP
from readiness.models import ReadinessSnapshot
from readiness.selectors import READY_PROBABILITY
from readiness.services import readiness_update_for_response
from tests.support.accounts import log_in_with_two_factor

pytestmark = pytest.mark.django_db

SAMPLE_COURSE = Path(__file__).parent.parent / "courses" / "data" / "sample-course.json"


@pytest.fixture
def course(db):
    call_command("load_demo_courses", str(SAMPLE_COURSE), stdout=StringIO())
    return CoursePage.objects.get(slug="sample-diabetes-coding")


@pytest.fixture
def practised(learner, answer):
    rows = answer(learner, 26, score=1.0) + answer(
        learner, 12, score=0.0, domain="cpc-surgery-20000"
    )
    readiness_update_for_response(graded_response_id=rows[-1].pk)
    return learner


def test_learner_sees_estimate_plots_tables_and_next_steps(learner_client, practised):
    response = learner_client.get(reverse("readiness:detail", args=["cpc"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Predicted exam score" in html and "Chance of passing" in html
    assert html.count("<canvas") == 2 and html.count('role="img"') == 2
    assert "<svg" not in html
    assert 'id="readiness-history-data" type="application/json"' in html
    assert 'id="readiness-domain-data" type="application/json"' in html
    assert "vendor/chartjs/chart.umd.min.js" in html
    assert "readiness/charts.js" in html
    assert "Readiness over time as a table" in html
    assert "Mastery by domain as a table" in html
    assert html.count('class="table-scroll" tabindex="0" role="region"') == 2
    assert "Next steps" in html
    main = html.split("<main")[1]
    assert "style=" not in main and "<style" not in main
    assert "<script>" not in html and "<script type" not in main.split("</main>")[0]
    assert "readiness/readiness.css" in html
    next_steps = html.split('id="next-steps-heading"')[1]
    assert "musculoskeletal" in next_steps.split("<h3")[1]


def test_three_answers_say_how_many_more_begin_an_estimate(
    learner_client, learner, answer
):
    rows = answer(learner, 3)
    readiness_update_for_response(graded_response_id=rows[-1].pk)
    html = learner_client.get(reverse("readiness:detail", args=["cpc"])).content
    html = html.decode()
    # The CPC's 17 domains, two answers each: 34 begin an estimate.
    assert "Not enough evidence yet" in html
    assert "answer about 31 more questions, spread across the exam's 17 domains" in (
        html
    )
    assert "more practice items" not in html
    assert "Predicted exam score" not in html and "<canvas" not in html
    dashboard = learner_client.get("/dashboard/").content.decode()
    assert "answer about 31 more questions" in dashboard
    assert "more items" not in dashboard and "predicted" not in dashboard
    index = learner_client.get(reverse("readiness:index")).content.decode()
    assert "answer about 31 more questions" in index and "Predicted" not in index


def test_thin_evidence_past_the_start_says_how_many_more_items(
    learner_client, learner, answer
):
    rows = answer(learner, 40)
    readiness_update_for_response(graded_response_id=rows[-1].pk)
    snapshot = ReadinessSnapshot.objects.get(learner=learner)
    assert 0 < snapshot.items_needed < ITEMS_NEEDED_CAP
    html = learner_client.get(reverse("readiness:detail", args=["cpc"])).content
    html = html.decode()
    assert "Predicted exam score" in html
    assert f"about {snapshot.items_needed} more practice items" in html


def test_an_estimate_beyond_the_cap_is_not_given_as_a_count(
    learner_client, learner, answer
):
    rows = answer(learner, 40)
    readiness_update_for_response(graded_response_id=rows[-1].pk)
    # As stored before the cap, when three answers could ask for 924 more.
    ReadinessSnapshot.objects.filter(learner=learner).update(items_needed=924)
    html = learner_client.get(reverse("readiness:detail", args=["cpc"])).content
    html = html.decode()
    assert "924" not in html
    assert f"over {ITEMS_NEEDED_CAP} more practice items" in html


def test_thin_evidence_is_never_shown_as_ready(
    learner_client, learner, answer, instructor, course
):
    rows = answer(learner, 40)
    readiness_update_for_response(graded_response_id=rows[-1].pk)
    snapshot = ReadinessSnapshot.objects.get(learner=learner)
    assert snapshot.pass_probability >= READY_PROBABILITY
    assert snapshot.items_needed > 0
    dashboard = learner_client.get("/dashboard/").content.decode()
    panel = dashboard.split('id="readiness-panel-heading"')[1].split("</section>")[0]
    assert "Not enough evidence yet" in panel and "ready" not in panel.lower()
    CourseInstructor.objects.create(page=course, user=instructor)
    enrolment_create(learner=learner, course=course)
    teacher = log_in_with_two_factor(Client(), instructor)
    html = teacher.get(reverse("readiness:cohort", args=["cpc"])).content.decode()
    assert "not enough evidence yet" in html
    assert ">ready<" not in html and ">close<" not in html


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
    rows = answer(other_learner, 40, score=0.0)
    readiness_update_for_response(graded_response_id=rows[-1].pk)
    CourseInstructor.objects.create(page=course, user=instructor)
    enrolment_create(learner=practised, course=course)
    enrolment_create(learner=other_learner, course=course)
    html = instructor_client.get(reverse("readiness:cohort", args=["cpc"])).content
    html = html.decode()
    assert "at risk" in html
    assert html.index(f">{other_learner.email}<") < html.index(f">{practised.email}<")
