"""The billing content of issue #17: the course "From code to cash" loads through
the demo course loader with every lesson's knowledge checks and sources, and the
CCA question pools, billing items included, still load beside the fixed CCA mock
whose per-domain counts they must not disturb."""

import json
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from courses.management.commands.load_demo_courses import DEMO_DIR
from courses.models import CoursePage
from exams.models import Blueprint, Question

COURSE_FILE = DEMO_DIR / "code-to-cash.json"
COURSE_SLUG = "code-to-cash"
QUESTIONS_DIR = DEMO_DIR.parents[1] / "exams" / "demo" / "questions"
CCA_POOLS = ("cca.json", "cca-full-a.json", "cca-full-b.json")
CCA_MOCK = "cca-mock"
BILLING_DOMAINS = ("cca-reimbursement", "cca-compliance")
MIN_BILLING_ITEMS = 12
BILLING_SERIES = "3"
CHECKS_PER_LESSON = range(2, 5)
SOURCES_HEADING = "<h4>Sources</h4>"


def course_file() -> dict:
    return json.loads(COURSE_FILE.read_text(encoding="utf-8"))


def file_lessons() -> list[dict]:
    return [
        lesson for module in course_file()["modules"] for lesson in module["lessons"]
    ]


def cca_items() -> list[dict]:
    return [
        question
        for name in CCA_POOLS
        for question in json.loads((QUESTIONS_DIR / name).read_text())["questions"]
    ]


def billing_items() -> list[dict]:
    """The CCA items of the billing set: numbered 301 and up in their domain."""
    return [
        item
        for item in cca_items()
        if item["domains"][0] in BILLING_DOMAINS
        and item["slug"].rsplit("-", 1)[1].startswith(BILLING_SERIES)
    ]


@pytest.mark.parametrize("lesson", file_lessons(), ids=lambda lesson: lesson["slug"])
def test_each_lesson_cites_its_sources_then_ends_with_its_checks(lesson):
    kinds = [block["type"] for block in lesson["body"]]
    checks = len(kinds) - kinds.index("knowledge_check")
    assert checks in CHECKS_PER_LESSON
    assert set(kinds[-checks:]) == {"knowledge_check"}
    sources = lesson["body"][-checks - 1]
    assert sources["type"] == "rich_text"
    assert sources["value"].startswith(SOURCES_HEADING)


@pytest.mark.django_db
def test_the_course_imports_through_the_demo_loader_with_every_check():
    out, err = StringIO(), StringIO()
    call_command("load_demo_courses", str(COURSE_FILE), stdout=out, stderr=err)

    assert err.getvalue() == ""
    course = CoursePage.objects.get(slug=COURSE_SLUG)
    assert course.certification.slug == "cca"
    lessons = list(course.lessons())
    assert [lesson.slug for lesson in lessons] == [
        lesson["slug"] for lesson in file_lessons()
    ]
    for page, lesson in zip(lessons, file_lessons(), strict=True):
        expected = [
            block["value"]["id"]
            for block in lesson["body"]
            if block["type"] == "knowledge_check"
        ]
        assert list(page.checks()) == expected, page.slug
        assert set(page.domains.values_list("slug", flat=True)) <= set(BILLING_DOMAINS)


@pytest.mark.django_db
def test_a_second_load_changes_nothing():
    call_command("load_demo_courses", str(COURSE_FILE), stdout=StringIO())
    out = StringIO()
    call_command("load_demo_courses", str(COURSE_FILE), stdout=out)

    assert " 0 created, 0 updated" in out.getvalue()


def test_the_billing_items_are_enough_and_cite_their_source():
    items = billing_items()

    assert len(items) >= MIN_BILLING_ITEMS
    for item in items:
        assert item["reference"], item["slug"]
        assert all(option["rationale"] for option in item["options"]), item["slug"]


@pytest.mark.django_db
def test_the_cca_pools_load_and_the_fixed_mock_keeps_its_domain_counts():
    call_command("load_demo_exams", stdout=StringIO())

    slugs = {item["slug"] for item in cca_items()}
    assert (
        set(
            Question.objects.filter(slug__in=slugs, live=True).values_list(
                "slug", flat=True
            )
        )
        == slugs
    )
    billing = Question.objects.filter(slug__in=[i["slug"] for i in billing_items()])
    assert billing.count() == len(billing_items())
    mock = Blueprint.objects.get(slug=CCA_MOCK)
    scored = Counter(
        mock.questions.filter(question__pretest=False).values_list(
            "question__domains__slug", flat=True
        )
    )
    assert scored == Counter(mock.questions_per_domain)
    # The mock sits billing work in its reimbursement and compliance domains.
    billing_in_mock = mock.questions.filter(
        question__slug__in=[i["slug"] for i in billing_items()]
    ).values_list("question__domains__slug", flat=True)
    assert set(billing_in_mock) == set(BILLING_DOMAINS)
