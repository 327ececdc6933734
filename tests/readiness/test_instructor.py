"""What an instructor reads about their learners: a learner's readiness page
names the learner instead of saying "you", and the dashboard lists the learners
at risk (a fall in the chance of passing, or no recent graded answer), each
linked to their readiness page; other learners stay out of sight."""

import re
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from courses.models import CourseInstructor, CoursePage
from courses.services import enrolment_create
from grading.models import GradedResponse
from readiness import learner_sources
from readiness.model.exam import answers_to_begin
from readiness.models import ReadinessSnapshot
from readiness.selectors import INACTIVE_SINCE, NEVER_ACTIVE, READINESS_FELL
from readiness.services import readiness_update_for_response
from tests.support.accounts import make_user

pytestmark = pytest.mark.django_db

SAMPLE_COURSE = Path(__file__).parent.parent / "courses" / "data" / "sample-course.json"
SECOND_PERSON = (
    "Your weakest",
    "you have not",
    "How close you are",
    "keep your edge",
)


@pytest.fixture
def course(db):
    call_command("load_demo_courses", str(SAMPLE_COURSE), stdout=StringIO())
    return CoursePage.objects.get(slug="sample-diabetes-coding")


@pytest.fixture
def taught(course, instructor):
    """Enrol learners in the instructor's course: taught(learner, ...)."""
    CourseInstructor.objects.create(page=course, user=instructor)

    def enrol(*learners):
        for learner in learners:
            enrolment_create(learner=learner, course=course)

    return enrol


@pytest.fixture
def dana(learner):
    learner.display_name = "Dana Park"
    learner.save(update_fields=["display_name"])
    return learner


def learner_page(client, learner, slug="cpc"):
    return client.get(reverse("readiness:learner", args=[learner.pk, slug]))


def test_the_learner_reads_you_and_the_instructor_reads_the_learners_name(
    dana, answer, taught, instructor_client
):
    rows = answer(dana, 20, score=1.0) + answer(
        dana, 10, score=0.0, domain="cpc-surgery-20000"
    )
    readiness_update_for_response(graded_response_id=rows[-1].pk)
    taught(dana)

    response = learner_page(instructor_client, dana)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dana Park's weakest domains" in html
    assert "How close Dana Park is to passing" in html
    for phrase in SECOND_PERSON:
        assert phrase not in html
    assert reverse("exams:start", args=["cpc"]) not in html
    assert reverse("readiness:cohort", args=["cpc"]) in html

    own_client = Client()
    own_client.force_login(dana)
    own = own_client.get(reverse("readiness:detail", args=["cpc"])).content.decode()
    assert "Your weakest domains" in own and "How close you are" in own
    assert "Dana Park's" not in own


def test_a_learner_without_evidence_is_named_on_the_starting_point(
    dana, taught, instructor_client
):
    taught(dana)
    html = learner_page(instructor_client, dana).content.decode()
    assert "There is no estimate yet for Dana Park" in html
    own_client = Client()
    own_client.force_login(dana)
    own = own_client.get(reverse("readiness:detail", args=["cpc"])).content.decode()
    assert "There is no estimate yet:" in own


def snapshot(
    learner, days_ago: int, probability: float, certification="cpc", responses=100
):
    from certifications.models import Certification

    return ReadinessSnapshot.objects.create(
        learner=learner,
        certification=Certification.objects.get(slug=certification),
        day=timezone.localdate() - timedelta(days=days_ago),
        predicted=70.0,
        low=60.0,
        high=80.0,
        pass_probability=probability,
        responses=responses,
    )


def answered(answer, learner, days_ago: int):
    """A graded answer `days_ago` days back (the ledger records the present, so
    its time is moved back as the demo's history does)."""
    (row,) = answer(learner)
    moment = timezone.now() - timedelta(days=days_ago)
    GradedResponse.objects.filter(pk=row.pk).update(graded_at=moment)
    return moment


def joined_long_ago(user):
    user.date_joined = timezone.now() - timedelta(days=60)
    user.save(update_fields=["date_joined"])
    return user


@pytest.fixture
def cohort(dana, answer, taught):
    """Enrolled learners: Dana fell 15 points, Sam exactly 10, Kim 8 (not at
    risk), Lee has not answered for 20 days; Max practises but is in no course."""
    sam, kim, lee, max_ = (
        make_user(f"{name}@example.test", Role.LEARNER)
        for name in ("sam", "kim", "lee", "max")
    )
    for learner, before, after in ((dana, 0.70, 0.55), (sam, 0.70, 0.60)):
        snapshot(learner, 20, before)
        snapshot(learner, 2, after)
        answered(answer, learner, 2)
    snapshot(kim, 15, 0.70)
    snapshot(kim, 1, 0.62)
    answered(answer, kim, 1)
    last = answered(answer, lee, 20)
    snapshot(max_, 20, 0.9)
    snapshot(max_, 1, 0.3)
    taught(dana, sam, kim, lee)
    return {"sam": sam, "kim": kim, "lee": lee, "max": max_, "lee_last": last}


def at_risk_panel(client) -> str:
    html = client.get("/dashboard/").content.decode()
    assert "Learners at risk" in html
    return html.split('id="at-risk-panel-heading"')[1].split("</section>")[0]


def test_the_panel_lists_falls_of_ten_points_and_inactivity_with_reasons(
    instructor_client, dana, cohort
):
    panel = at_risk_panel(instructor_client)
    assert "Dana Park" in panel
    assert (
        READINESS_FELL.format(
            certification="CPC", points=15, days=14, before=70, after=55
        )
        in panel
    )
    assert "sam@example.test" in panel
    assert "fell 10 points" in panel
    lee_reason = INACTIVE_SINCE.format(
        days=20, last=timezone.localtime(cohort["lee_last"])
    )
    assert lee_reason in panel
    assert "kim@example.test" not in panel
    assert "max@example.test" not in panel


def test_only_a_fall_between_estimates_counts(instructor_client, answer, taught, cpc):
    """The chance of passing shown before an estimate begins is the prior's:
    Ari's 58% to 7% on a handful of answers is no trend, and neither is Bo's
    fall from such a guess to a first estimate; Bo's estimates then fall 15
    points. Cy never reached an estimate and is listed only for inactivity."""
    begin = answers_to_begin(cpc.domains.count())
    ari, bo, cy = (
        make_user(f"{name}@example.test", Role.LEARNER) for name in ("ari", "bo", "cy")
    )
    snapshot(ari, 20, 0.58, responses=3)
    snapshot(ari, 2, 0.07, responses=6)
    answered(answer, ari, 2)
    snapshot(bo, 20, 0.58, responses=3)
    snapshot(bo, 10, 0.55, responses=begin - 1)
    snapshot(bo, 8, 0.60, responses=begin)
    snapshot(bo, 1, 0.45, responses=begin + 6)
    answered(answer, bo, 1)
    snapshot(cy, 30, 0.58, responses=3)
    snapshot(cy, 20, 0.07, responses=6)
    last = answered(answer, cy, 20)
    taught(ari, bo, cy)

    panel = at_risk_panel(instructor_client)
    assert "ari@example.test" not in panel
    assert "bo@example.test" in panel
    assert (
        READINESS_FELL.format(
            certification="CPC", points=15, days=14, before=60, after=45
        )
        in panel
    )
    cy_row = panel.split("cy@example.test")[1].split("</ul>")[0]
    assert INACTIVE_SINCE.format(days=20, last=timezone.localtime(last)) in cy_row
    assert "fell" not in cy_row


def test_each_learner_at_risk_links_to_their_readiness_page(
    instructor_client, dana, cohort
):
    panel = at_risk_panel(instructor_client)
    for learner in (dana, cohort["sam"], cohort["lee"]):
        prefix = reverse("readiness:learner", args=[learner.pk, "cpc"])[: -len("cpc/")]
        (url,) = re.findall(rf'href="({re.escape(prefix)}[\w-]+/)"', panel)
        assert instructor_client.get(url).status_code == 200
    hidden = reverse("readiness:learner", args=[cohort["max"].pk, "cpc"])
    assert instructor_client.get(hidden).status_code == 404


def test_a_learner_who_never_answered_is_at_risk_two_weeks_after_joining(
    instructor_client, taught
):
    newcomer = make_user("new@example.test", Role.LEARNER)
    veteran = joined_long_ago(make_user("old@example.test", Role.LEARNER))
    taught(newcomer, veteran)
    panel = at_risk_panel(instructor_client)
    assert "new@example.test" not in panel
    assert NEVER_ACTIVE.format(joined=timezone.localtime(veteran.date_joined)) in (
        panel
    )


def test_another_apps_learner_source_adds_its_learners(
    monkeypatch, instructor, instructor_client, cohort
):
    outsider = cohort["max"]

    def class_learners(user):
        return [outsider.pk] if user == instructor else []

    monkeypatch.setattr(
        learner_sources, "_sources", [*learner_sources._sources, class_learners]
    )
    panel = at_risk_panel(instructor_client)
    assert "max@example.test" in panel and "fell 60 points" in panel
    url = reverse("readiness:learner", args=[outsider.pk, "cpc"])
    assert instructor_client.get(url).status_code == 200


def test_an_instructor_who_teaches_none_of_them_sees_no_one(client, cohort, dana):
    from tests.support.accounts import log_in_with_two_factor

    stranger = make_user("stranger@example.test", Role.INSTRUCTOR)
    log_in_with_two_factor(client, stranger)
    html = client.get("/dashboard/").content.decode()
    assert "Learners at risk" not in html and "Dana Park" not in html
    assert learner_page(client, dana).status_code == 404


def test_no_one_at_risk_says_so(instructor_client, dana, answer, taught):
    answered(answer, dana, 1)
    taught(dana)
    panel = at_risk_panel(instructor_client)
    assert "None of your 1 learner is at risk" in panel


def test_learners_do_not_get_the_panel(learner_client, cohort):
    html = learner_client.get("/dashboard/").content.decode()
    assert "Learners at risk" not in html
