"""The demo as `make run` loads it (`manage.py load_demo`), every page of it fetched
as each role: every live Wagtail page, and every URL of the site's own apps with
its arguments taken from the demo's rows. Each answers 200, or the refusal the
role is documented to get (docs/security.md): the login page for an anonymous
visitor, 403 for a page of another role, 404 for another person's object.

It lives beside the content checks because it needs the full code sets they load
once for the package: `load_demo` then skips them as unchanged."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from wagtail.models import Page

from accounts.demo import demo_user
from accounts.roles import Role
from tests.support.accounts import log_in_with_two_factor

pytestmark = pytest.mark.django_db

SITE_NAMESPACES = (
    "core",
    "codesets",
    "case_studies",
    "courses",
    "exams",
    "readiness",
    "privacy",
    "billing",
)
ROLES = ("anonymous", Role.LEARNER, Role.INSTRUCTOR, Role.ADMINISTRATOR)
# The code book and the course catalogue are open to visitors; every other page
# of the apps sends them to the login page.
OPEN_TO_VISITORS = {
    "codesets:index",
    "codesets:browse",
    "codesets:code",
    "courses:index",
    "courses:search",
}
# Pages for teaching staff only.
STAFF_ONLY = {
    "courses:teach",
    "courses:teach_course",
    "courses:teach_learner",
    "exams:sitting",
    "readiness:cohort",
    "readiness:calibration",
    "readiness:learner",
    "billing:appeals",
    "billing:appeal_score",
}
# The demo learner's own attempts and enrolment: nobody else's to open.
LEARNERS_OWN = {
    "case_studies:attempt",
    "courses:outline",
    "courses:resume",
    "exams:resume",
    "exams:question",
    "exams:review",
    "exams:results",
    "billing:attempt",
    "billing:download_837",
}
# Actions, not pages: they answer a form's POST and refuse a GET.
POST_ONLY = {
    "privacy:delete",
    "courses:enrol",
    "courses:complete_lesson",
    "courses:answer_check",
    "exams:submit",
    "billing:work_denial",
    "billing:appeal",
    "billing:correct",
}


def url_samples() -> dict[str, list[dict]]:
    """Arguments from the demo's rows for each URL that takes some: every exam,
    case, course and certification, the demo learner's own attempts and
    enrolment, a code of each system."""
    from billing.models import BillingScenarioPage, DenialWork
    from case_studies.models import CaseAttempt, CaseStudyPage
    from certifications.models import Certification
    from codesets.models import Code
    from courses.models import CoursePage, Enrolment, LessonPage
    from exams.models import Attempt, Blueprint, ExamSitting

    learner = demo_user(Role.LEARNER)
    # The demo learner's appeal, waiting for an instructor (billing/demo.py).
    appeal = DenialWork.objects.get(attempt__learner=learner)
    # The attempt the fixture started (the demo class has a graded one too).
    started = Attempt.objects.get(learner=learner, status=Attempt.Status.IN_PROGRESS)
    attempt = {"attempt_id": started.pk}
    enrolment = Enrolment.objects.filter(learner=learner).first()
    lesson = LessonPage.objects.live().descendant_of(enrolment.course).first()
    lesson_ids = {"enrolment_id": enrolment.pk, "lesson_id": lesson.pk}
    certifications = [
        {"slug": slug} for slug in Certification.objects.values_list("slug", flat=True)
    ]
    courses = [
        {"course_id": pk}
        for pk in CoursePage.objects.live().values_list("pk", flat=True)
    ]
    codes = [
        {
            "system": system,
            "code": Code.objects.filter(release__system=system, billable=True)
            .values_list("display", flat=True)
            .first(),
        }
        for system in ("icd10cm", "icd10pcs", "hcpcs", "cpt")
    ]
    return {
        "codesets:browse": [{"system": code["system"]} for code in codes],
        "codesets:code": codes,
        "case_studies:practice": [
            {"slug": slug}
            for slug in CaseStudyPage.objects.live().values_list("slug", flat=True)
        ],
        "case_studies:attempt": [
            {"pk": CaseAttempt.objects.filter(learner=learner).first().pk}
        ],
        "courses:enrol": courses,
        "courses:outline": [{"enrolment_id": enrolment.pk}],
        "courses:resume": [{"enrolment_id": enrolment.pk}],
        "courses:complete_lesson": [lesson_ids],
        "courses:answer_check": [{**lesson_ids, "check_id": "q1"}],
        "courses:teach_course": courses,
        "courses:teach_learner": [
            {"course_id": enrolment.course_id, "enrolment_id": enrolment.pk}
        ],
        "exams:start": [
            {"slug": slug}
            for slug in Blueprint.objects.filter(published=True).values_list(
                "slug", flat=True
            )
        ],
        "exams:sitting": [
            {"sitting_id": pk}
            for pk in ExamSitting.objects.values_list("pk", flat=True)
        ],
        "exams:resume": [attempt],
        "exams:question": [{**attempt, "position": 1}],
        "exams:review": [attempt],
        "exams:submit": [attempt],
        "exams:results": [attempt],
        "readiness:cohort": certifications,
        "readiness:calibration": certifications,
        "readiness:detail": certifications,
        "readiness:learner": [{"learner_id": learner.pk, **c} for c in certifications],
        "billing:scenario": [
            {"slug": slug}
            for slug in BillingScenarioPage.objects.live().values_list(
                "slug", flat=True
            )
        ],
        "billing:attempt": [{"pk": appeal.attempt_id}],
        "billing:work_denial": [{"pk": appeal.attempt_id}],
        "billing:download_837": [{"pk": appeal.attempt_id}],
        "billing:appeal": [{"pk": appeal.attempt_id, "work_id": appeal.pk}],
        "billing:correct": [{"pk": appeal.attempt_id, "work_id": appeal.pk}],
        "billing:appeal_score": [{"work_id": appeal.pk}],
    }


def site_urls(namespaces=SITE_NAMESPACES, samples=None):
    """(URL name, path) of every URL of the site's own apps (or of `namespaces`,
    with `samples` for their arguments), walked from the resolver, with each set of
    sample arguments."""
    samples = url_samples() if samples is None else samples
    for resolver in get_resolver().url_patterns:
        if (
            not isinstance(resolver, URLResolver)
            or resolver.namespace not in namespaces
        ):
            continue
        for pattern in resolver.url_patterns:
            assert isinstance(pattern, URLPattern)
            name = f"{resolver.namespace}:{pattern.name}"
            if pattern.pattern.converters:
                assert name in samples, f"add sample arguments for {name}"
                arguments = samples[name]
                assert arguments, f"the demo has nothing to show at {name}"
            else:
                arguments = [{}]
            for kwargs in arguments:
                yield name, reverse(name, kwargs=kwargs)


def client_for(role) -> Client:
    client = Client()
    if role == "anonymous":
        return client
    user = demo_user(role)
    if role == Role.LEARNER:
        client.force_login(user)
        return client
    return log_in_with_two_factor(client, user)


def outcome(response):
    if response.status_code in (301, 302):
        if response.url.startswith("/accounts/login/"):
            return "login"
        return "redirect"
    return response.status_code


def expected(role, name: str) -> set:
    """What `role` is documented to get at the URL `name` (a Wagtail page: "page"):
    the page (or its redirect to the canonical address), or a refusal."""
    shown = {200, "redirect"}
    if role == "anonymous":
        return shown if name == "page" or name in OPEN_TO_VISITORS else {"login"}
    if name in POST_ONLY:
        return {405}
    if role == Role.LEARNER and name in STAFF_ONLY:
        return {403, 404}
    if role != Role.LEARNER and name in LEARNERS_OWN:
        return {404}
    return shown


def served_by(path: str) -> str:
    """Which rule a page's address falls under: "page" for a Wagtail page, or the
    app's URL name where an app's view answers at that address first (the case
    library at /practice/, say)."""
    match = resolve(path)
    if match.namespace in SITE_NAMESPACES:
        return f"{match.namespace}:{match.url_name}"
    return "page"


@pytest.mark.parametrize("role", ROLES)
def test_every_demo_page_answers_each_role(demo, role):
    client = client_for(role)
    visits = [
        (served_by(page.url), page.url)
        for page in Page.objects.live().filter(depth__gt=1).specific()
    ]
    visits += list(site_urls())
    wrong = []
    for name, path in visits:
        got = outcome(client.get(path))
        if got not in expected(role, name):
            wrong.append((path, name, got))
    assert len(visits) > 150
    assert not wrong, "\n".join(map(str, wrong))
