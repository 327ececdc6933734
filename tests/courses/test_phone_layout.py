"""At 375 px the course pages fit the phone: the course and its outline, a
lesson with its tables and a check's feedback, the learner's progress and the
instructors' reports never scroll the page sideways (wide tables scroll inside
their own box)."""

import pytest
from playwright.sync_api import expect

from courses.management.commands.load_demo_courses import DEMO_DIR
from courses.models import CourseInstructor, CoursePage, LessonPage
from courses.services import enrolment_create
from tests.courses.conftest import load_sample
from tests.support.audit import horizontal_overflow
from tests.support.browser import PHONE, instructor_page, log_in

pytestmark = pytest.mark.browser


def fits(page, path: str) -> None:
    page.goto(path)
    assert page.evaluate(
        "() => document.documentElement.scrollWidth <= window.innerWidth"
    ), f"{path} {horizontal_overflow(page)}"


def test_course_pages_fit_a_375px_phone(browser_page, learner, instructor):
    load_sample(DEMO_DIR / "cpc-exam-prep.json")
    course = CoursePage.objects.get(slug="cpc-exam-prep")
    enrolment = enrolment_create(learner=learner, course=course)
    lessons = list(LessonPage.objects.live().descendant_of(course).order_by("path"))
    with_table = next(
        item for item in lessons if "table" in {b.block_type for b in item.body}
    )
    page = browser_page
    page.set_viewport_size(PHONE)
    log_in(page, learner.email)

    fits(page, course.get_parent().url)
    fits(page, course.url)
    fits(page, with_table.url)
    # A check's feedback at phone width too: a wrong choice twice, then the reveal.
    check_id, (_, value) = next(
        (check_id, check)
        for check_id, check in with_table.checks().items()
        if check[0] == "knowledge_check"
    )
    wrong = next(o["option_id"] for o in value["options"] if not o["correct"])
    check = page.locator(f"#check-{check_id}")
    for after in ("Try 1 of 2.", "Not yet right after 2 tries"):
        check.locator(f"#check-{check_id}-{wrong}").check()
        check.locator("button[type=submit]").click()
        expect(check.locator(".check-record")).to_contain_text(after)
    fits(page, with_table.url)
    fits(page, f"/learn/enrolments/{enrolment.pk}/")

    CourseInstructor.objects.create(page=course, user=instructor)
    teacher = instructor_page(browser_page, instructor)
    teacher.set_viewport_size(PHONE)
    fits(teacher, "/learn/teach/")
    fits(teacher, f"/learn/teach/{course.pk}/")
    fits(teacher, f"/learn/teach/{course.pk}/learners/{enrolment.pk}/")
