"""At 375 px no page of the learner's and the instructor's daily round scrolls
sideways: wide tables scroll inside their own box (`.table-scroll`), not the page.
The demo class (a small one) gives the dashboards, the gradebook and item analysis
their widest content."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from case_studies.models import CaseAttempt
from cohorts.demo import COHORT_NAME, DEMO_INSTRUCTOR
from cohorts.models import Assignment, Cohort
from tests.cohorts.test_demo_class import EXAM, SIZE, demo_content  # noqa: F401
from tests.support.accounts import PASSWORD
from tests.support.browser import PHONE, instructor_page, log_in

pytestmark = pytest.mark.browser

DEMO_LEARNER = "learner@demo.coderacademy.test"
ACCOUNT_PAGES = [
    "/account/name/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/",
    "/account/privacy/",
]
# What sticks out past the right edge, outside a scrolling box: the assertion
# names it, so a failure says which element to fix.
OVERFLOWING = """() => [...document.querySelectorAll("body *")]
    .filter((element) => element.getBoundingClientRect().right > innerWidth + 0.5
        && !element.parentElement.closest(".table-scroll"))
    .slice(0, 5)
    .map((element) => `${element.tagName} .${element.className} `
        + (element.textContent || "").trim().slice(0, 40))"""


def _user(email):
    user = get_user_model().objects.get(email=email)
    # The browser log-in types the tests' password.
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def _assert_fits(page, paths):
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, path
        scroll_width, inner_width = page.evaluate(
            "() => [document.documentElement.scrollWidth, innerWidth]"
        )
        assert scroll_width <= inner_width, (path, page.evaluate(OVERFLOWING))


@pytest.fixture
def demo_class(demo_content, settings):  # noqa: F811
    settings.CELERY_TASK_ALWAYS_EAGER = True
    call_command("load_demo_class", learners=SIZE, exam=EXAM, stdout=StringIO())
    return Cohort.objects.get(name=COHORT_NAME)


def test_the_learners_pages_fit_a_phone(browser_page, demo_class):
    page = browser_page
    page.set_viewport_size(PHONE)
    log_in(page, _user(DEMO_LEARNER).email)
    _assert_fits(
        page, ["/dashboard/", "/notifications/", "/disputes/mine/", *ACCOUNT_PAGES]
    )


def test_the_instructors_pages_fit_a_phone(browser_page, demo_class):
    cohort = demo_class
    page = instructor_page(browser_page, _user(DEMO_INSTRUCTOR))
    page.set_viewport_size(PHONE)
    learner = get_user_model().objects.get(email=DEMO_LEARNER)
    gradebook = f"/gradebook/{cohort.pk}"
    work = [
        f"{gradebook}/learners/{learner.pk}/assignments/{assignment.pk}/"
        for assignment in Assignment.objects.filter(cohort=cohort)
    ]
    case_id = CaseAttempt.objects.values_list("case_id", flat=True).first()
    _assert_fits(
        page,
        [
            "/dashboard/",
            "/notifications/",
            "/classes/",
            f"/classes/{cohort.pk}/",
            f"{gradebook}/",
            f"{gradebook}/assignments/{Assignment.objects.first().pk}/",
            *work,
            "/disputes/",
            "/item-analysis/",
            f"/item-analysis/exams/{EXAM}/",
            "/item-analysis/cases/",
            f"/item-analysis/cases/{case_id}/",
            *ACCOUNT_PAGES,
        ],
    )
