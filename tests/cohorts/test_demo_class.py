"""The demo class as the demo instructor sees it after `load_demo_class`: a
gradebook with work handed in, late and missing, item analysis of the exam, a
dispute waiting in the queue, and the class and its learners at risk on the
dashboard; a second run changes nothing.

A small class (12 simulated learners) on the test exam keeps it quick; the demo's
own 20 learners on the 100-question CPC mock take about 40 s of CPU on SQLite."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.demo import DEMO_PASSWORD
from case_studies.bundles import bundle_import
from case_studies.models import CaseAttempt
from cohorts.demo import COHORT_NAME, DEMO_INSTRUCTOR, class_learner_email
from cohorts.models import Assignment, Cohort, Membership
from courses.models import CheckResult, LessonProgress
from courses.services import checks_not_passed
from disputes.models import Dispute
from exams.models import Attempt
from grading.models import GradedResponse
from notifications.models import Notification
from tests.case_studies.conftest import bundle, load_small_code_sets
from tests.support.accounts import log_in_with_two_factor

pytestmark = pytest.mark.django_db

TESTS = Path(__file__).parent.parent
SIZE = 12
EXAM = "test-cpc"


@pytest.fixture
def demo_content(settings):
    settings.DEMO_ACCOUNTS_ALLOWED = True
    load_small_code_sets()
    bundle_import(bundle("outpatient.json"))
    bundle_import(bundle("inpatient.json"))
    for command, *args in (
        ("create_demo_accounts",),
        ("load_demo_courses", str(TESTS / "courses" / "data" / "sample-course.json")),
        ("load_demo_readiness",),
    ):
        call_command(command, *args, stdout=StringIO())
    call_command("load_demo_exams", path=TESTS / "exams" / "data", stdout=StringIO())


def load(captured) -> str:
    out = StringIO()
    with captured(execute=True):
        call_command(
            "load_demo_class", learners=SIZE, exam=EXAM, stdout=out, stderr=out
        )
    return out.getvalue()


def history() -> dict:
    """Every row the demo class makes, with its times."""
    return {
        "cohorts": list(Cohort.objects.values()),
        "members": list(Membership.objects.values().order_by("pk")),
        "assignments": list(Assignment.objects.values().order_by("pk")),
        "cases": list(CaseAttempt.objects.values().order_by("pk")),
        "exams": list(Attempt.objects.values().order_by("pk")),
        "checks": list(CheckResult.objects.values().order_by("pk")),
        "ledger": list(GradedResponse.objects.values().order_by("pk")),
        "disputes": list(Dispute.objects.values().order_by("pk")),
        "notifications": list(Notification.objects.values().order_by("pk")),
    }


@pytest.fixture
def instructor_of_demo(demo_content):
    from django.contrib.auth import get_user_model

    instructor = get_user_model().objects.get(email=DEMO_INSTRUCTOR)
    return log_in_with_two_factor(Client(), instructor)


def test_the_demo_class_has_content_in_every_report_and_loads_once(
    instructor_of_demo, django_capture_on_commit_callbacks
):
    summary = load(django_capture_on_commit_callbacks)
    assert f"Demo class: {SIZE + 2} learners" in summary
    cohort = Cohort.objects.get(name=COHORT_NAME)
    client = instructor_of_demo

    gradebook = client.get(f"/gradebook/{cohort.pk}/").content.decode()
    for status in ("Submitted", "Late", "Missing", "Not started"):
        assert f">{status}</span>" in gradebook

    exam = client.get(f"/item-analysis/exams/{EXAM}/").content.decode()
    learners = exam.split('data-figure="learners">')[1].split("<")[0]
    assert int(learners) >= 10

    queue = client.get("/disputes/").content.decode()
    assert "1 open dispute," in queue
    assert Dispute.objects.filter(status=Dispute.Status.REJECTED).count() == 1
    assert Notification.objects.filter(
        user__email="learner@demo.coderacademy.test"
    ).exists()

    dashboard = client.get("/dashboard/").content.decode()
    assert COHORT_NAME in dashboard.replace("&mdash;", "—")
    at_risk = dashboard.split("Learners at risk")[1]
    # Learner 7 stopped after the first assignment, three weeks ago.
    assert "Gale Harper" in at_risk
    assert "No graded answer for" in at_risk

    # Lessons complete through the courses' services: every check passed, some
    # on the second try.
    completed = LessonProgress.objects.filter(completed_at__isnull=False)
    assert completed.exists()
    for progress in completed.select_related("lesson"):
        assert checks_not_passed(progress, progress.lesson) == []
    assert CheckResult.objects.filter(correct_on=2).exists()

    learner = Client()
    assert learner.login(username=class_learner_email(1), password=DEMO_PASSWORD)
    page = learner.get("/dashboard/").content.decode()
    assert COHORT_NAME in page.replace("&mdash;", "—")

    before = history()
    assert "new: 0 case attempts, 0 exam attempts, 0 lessons, 0 disputes" in load(
        django_capture_on_commit_callbacks
    )
    assert history() == before


def test_the_demo_class_is_refused_where_demo_accounts_are(settings):
    settings.DEMO_ACCOUNTS_ALLOWED = False
    with pytest.raises(CommandError, match="DEMO_ACCOUNTS_ALLOWED"):
        call_command("load_demo_class", stdout=StringIO())
