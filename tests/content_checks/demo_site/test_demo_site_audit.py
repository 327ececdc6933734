"""Every page type of the demo, in Chromium at 375 x 800 px, as each role: no page
scrolls sideways (at 320 px either), and axe-core finds no serious or critical
violation (tests/support/audit.py; docs/accessibility.md).

Page types are the inventory test_demo_site.py walks, one page each: every URL
name of the apps (plus the apps that test leaves out), one live Wagtail page of
each page type, the login and account pages, and the states a
visit alone does not reach: an exam in progress, a graded exam's results, a case's
feedback, a lesson with knowledge checks, a page that does not exist.

It shares the demo-site test's demo (this package's conftest.py: loaded once in a
transaction, rolled back after both modules) and runs on the same worker right
after it (tests/support/scheduling.py). A live server on its own connection
could not see rows that were never committed, so the site is served from a thread
of this process on the connection that holds the transaction.
"""

import threading
from urllib.parse import urlsplit

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import WSGIServer
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connections
from django.test.testcases import QuietWSGIRequestHandler
from django.urls import reverse
from playwright.sync_api import expect
from wagtail.models import Page

from accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, demo_user
from accounts.roles import Role
from tests.content_checks.demo_site import test_demo_site as demo_site
from tests.support.audit import axe_violations, horizontal_overflow
from tests.support.browser import DESKTOP, NARROWEST, PHONE, log_in, page_open
from tests.support.scheduling import file_runs

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Apps whose pages the demo-site test does not fetch.
MORE_NAMESPACES = (
    "accounts",
    "cohorts",
    "gradebook",
    "item_analysis",
    "disputes",
    "notifications",
)
# Not pages: files the browser would download, and forms' actions, which answer a
# GET with an empty 405 (Chromium shows its own error page).
NOT_PAGES = {
    "billing:download_837",
    "gradebook:export_csv",
    "gradebook:export_xlsx",
    "privacy:export",
    "cohorts:joining",
    "cohorts:code_renew",
    "cohorts:invite",
    "cohorts:remove_learner",
    "cohorts:accommodation_create",
    *demo_site.POST_ONLY,
}
# allauth's pages a person meets: logging in and managing the account.
ACCOUNT_PAGES = (
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_email",
    "account_change_password",
    "mfa_index",
)
MISSING_PAGE = "/no-such-page/"
# The Wagtail admin is Wagtail's own interface, audited upstream, and runs under
# its own CSP (CONTENT_SECURITY_POLICY_ADMIN): only its header avatar, which the
# site's settings decide, is checked here.
ADMIN_AVATAR = ".avatar img"


@pytest.fixture(scope="module")
def item_analysis(demo, django_db_blocker):
    """The statistics a visit to item analysis queues for the Celery worker (on
    commit, which never comes inside the demo's transaction), computed now."""
    from item_analysis.selectors import CASES_SCOPE
    from item_analysis.services import snapshot_recompute

    with django_db_blocker.unblock():
        for scope in (CASES_SCOPE, f"exam:{graded_attempt().blueprint.slug}"):
            snapshot_recompute(scope=scope)


@pytest.fixture(scope="module")
def site_url(demo):
    """The site served from a thread of this process on the test's own database
    connection: its requests see the demo's uncommitted rows, one at a time (a
    single-threaded server, as one connection must not run two queries at once)."""
    connection = connections[DEFAULT_DB_ALIAS]
    server = WSGIServer(
        ("127.0.0.1", 0), QuietWSGIRequestHandler, allow_reuse_address=False
    )
    server.set_app(WSGIHandler())

    def serve():
        connections[DEFAULT_DB_ALIAS] = connection
        server.serve_forever()

    # Between requests Django closes a connection that is not in autocommit mode:
    # here that would end the demo's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    connection.inc_thread_sharing()
    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
        connection.dec_thread_sharing()
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def graded_attempt():
    """The demo learner's graded exam (the demo class's mock exam)."""
    from exams.models import Attempt

    learner = demo_user(Role.LEARNER)
    return Attempt.objects.filter(learner=learner, status=Attempt.Status.GRADED).first()


def more_samples() -> dict[str, list[dict]]:
    """Arguments from the demo's rows for the URLs of MORE_NAMESPACES: the demo
    class, its first assignment, the demo learner in it, their open dispute and
    their notification."""
    from case_studies.models import CaseStudyPage
    from cohorts.models import Assignment, Cohort
    from disputes.models import Dispute
    from notifications.models import Notification

    learner = demo_user(Role.LEARNER)
    cohort = Cohort.objects.get(memberships__learner=learner)
    assignment = Assignment.objects.filter(cohort=cohort).order_by("pk").first()
    in_cohort = {"cohort_id": cohort.pk}
    of_assignment = {"assignment_id": assignment.pk}
    return {
        "cohorts:detail": [in_cohort],
        "cohorts:joining": [in_cohort],
        "cohorts:code_renew": [in_cohort],
        "cohorts:invite": [in_cohort],
        "cohorts:remove_learner": [{**in_cohort, "learner_id": learner.pk}],
        "cohorts:assignment_create": [in_cohort],
        "cohorts:assignment": [of_assignment],
        "cohorts:assignment_edit": [of_assignment],
        "cohorts:assignment_delete": [of_assignment],
        "cohorts:accommodation_create": [of_assignment],
        "cohorts:join": [{"code": cohort.join_code}],
        "gradebook:cohort": [in_cohort],
        "gradebook:assignment": [{**in_cohort, **of_assignment}],
        "gradebook:learner_assignment": [
            {**in_cohort, **of_assignment, "learner_id": learner.pk}
        ],
        "gradebook:export_csv": [in_cohort],
        "gradebook:export_xlsx": [in_cohort],
        "item_analysis:exam": [{"slug": graded_attempt().blueprint.slug}],
        "item_analysis:case": [
            {"case_id": CaseStudyPage.objects.live().order_by("pk").first().pk}
        ],
        "disputes:ruling": [
            {"pk": Dispute.objects.filter(learner=learner).order_by("-pk").first().pk}
        ],
        "notifications:open": [
            {"pk": Notification.objects.filter(user=learner).first().pk}
        ],
    }


def page_types() -> list[tuple[str, str]]:
    """(what, path) of one page of each type, in a stable order."""
    from case_studies.models import CaseAttempt
    from courses.models import Enrolment, LessonPage

    visits = {}
    for name, path in [
        *demo_site.site_urls(),
        *demo_site.site_urls(MORE_NAMESPACES, more_samples()),
    ]:
        if name not in NOT_PAGES:
            visits.setdefault(name, path)
    for name in ACCOUNT_PAGES:
        visits[name] = reverse(name)
    for page in Page.objects.live().filter(depth__gt=1).order_by("path").specific():
        visits.setdefault(type(page).__name__, page.url)
    learner = demo_user(Role.LEARNER)
    # A lesson of the demo learner's course, with knowledge checks to answer.
    course = Enrolment.objects.filter(learner=learner).first().course
    visits["LessonPage"] = next(
        lesson.url
        for lesson in LessonPage.objects.live().descendant_of(course).order_by("path")
        if lesson.check_ids()
    )
    # The demo-site test's sample may be a case attempt not yet submitted (a 404).
    feedback = CaseAttempt.objects.filter(
        learner=learner, submitted_at__isnull=False
    ).first()
    visits["case_studies:attempt"] = reverse(
        "case_studies:attempt", kwargs={"pk": feedback.pk}
    )
    visits["graded exam results"] = reverse(
        "exams:results", kwargs={"attempt_id": graded_attempt().pk}
    )
    visits["missing page"] = MISSING_PAGE
    return list(visits.items())


def browser_for(chromium, site_url: str, role):
    page = page_open(chromium, site_url)
    page.set_viewport_size(PHONE)
    if role != "anonymous":
        totp = DEMO_TOTP_SECRET if role != Role.LEARNER else None
        log_in(page, demo_user(role).email, totp, DEMO_PASSWORD)
    return page


def audit(page, path: str, seen: set) -> str | None:
    """What is wrong with the page at `path` as `page`'s person sees it, or None.
    A page this person already audited (where a refusal or a redirect lands) is
    passed over."""
    response = page.goto(path)
    content_type = response.headers.get("content-type", "")
    if not content_type.startswith("text/html"):
        return None
    landed = urlsplit(page.url).path
    key = (response.status, page.title()) if response.status >= 400 else landed
    if key in seen:
        return None
    seen.add(key)
    overflows = [horizontal_overflow(page)]
    violations = axe_violations(page)
    # The narrowest phones too: a resize, no second visit.
    page.set_viewport_size(NARROWEST)
    overflows.append(horizontal_overflow(page))
    page.set_viewport_size(PHONE)
    overflows = [overflow for overflow in overflows if overflow]
    if not overflows and not violations:
        return None
    where = path if landed == path else f"{path} -> {landed}"
    lines = [f"{where} ({response.status})"]
    lines += [f"    {overflow}" for overflow in overflows]
    lines += [f"    {violation}" for violation in violations]
    return "\n".join(lines)


def admin_avatar_broken(page) -> bool:
    """Whether the avatar in the Wagtail admin's header fails to load. At a
    desktop width: on a phone the sidebar that holds it starts closed, and a lazy
    image out of sight never loads."""
    page.set_viewport_size(DESKTOP)
    page.goto("/admin/")
    return page.wait_for_function(
        """(selector) => {
          const avatar = document.querySelector(selector);
          return avatar && avatar.complete && {broken: avatar.naturalWidth === 0};
        }""",
        arg=ADMIN_AVATAR,
    ).json_value()["broken"]


@pytest.mark.parametrize("role", demo_site.ROLES)
def test_every_page_type_fits_a_phone_and_passes_axe(
    chromium, site_url, item_analysis, role
):
    visits = page_types()
    page = browser_for(chromium, site_url, role)
    seen: set = set()
    try:
        found = [audit(page, path, seen) for _, path in visits]
        if role in (Role.INSTRUCTOR, Role.ADMINISTRATOR) and admin_avatar_broken(page):
            found.append(f"/admin/: the header avatar ({ADMIN_AVATAR}) does not load")
    finally:
        page.context.close()
    failures = [problem for problem in found if problem]
    assert len(visits) > 60
    assert not failures, (
        f"As {role}, {len(failures)} of {len(seen)} pages fail:\n" + "\n".join(failures)
    )


def test_on_a_phone_the_menu_folds_behind_a_button_a_keyboard_opens(chromium, site_url):
    page = browser_for(chromium, site_url, Role.INSTRUCTOR)
    try:
        page.goto(reverse("core:dashboard"))
        header = page.locator(".site-header").bounding_box()
        # One line, however many links a role has (four lines unfolded).
        assert header["height"] < 80
        toggle = page.get_by_role("button", name="Menu")
        expect(page.get_by_role("link", name="Courses")).to_be_hidden()

        toggle.focus()
        page.keyboard.press("Enter")
        expect(toggle).to_have_attribute("aria-expanded", "true")
        expect(page.get_by_role("link", name="Courses")).to_be_visible()
        assert horizontal_overflow(page) is None
        assert axe_violations(page) == []

        page.keyboard.press("Escape")
        expect(toggle).to_have_attribute("aria-expanded", "false")
        expect(toggle).to_be_focused()
        expect(page.get_by_role("link", name="Courses")).to_be_hidden()
    finally:
        page.context.close()


def test_the_audit_joins_the_demo_site_tests_run():
    demo_site_file = "tests/content_checks/demo_site/test_demo_site.py"
    audit_file = "tests/content_checks/demo_site/test_demo_site_audit.py"
    runs = file_runs(
        [
            f"{demo_site_file}::test_every_demo_page_answers_each_role[Learner]",
            f"{audit_file}::test_every_page_type_fits_a_phone_and_passes_axe[Learner]",
            "tests/content_checks/test_em_settings.py::test_one",
        ]
    )
    assert list(runs.values()) == [
        f"1::{demo_site_file}",
        f"1::{demo_site_file}",
        "2::tests/content_checks/test_em_settings.py",
    ]
