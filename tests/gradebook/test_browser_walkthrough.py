"""An instructor's week with a class, in Chromium: create a class, invite, assign
a case set and a mock exam, watch the gradebook fill in as learners (driven by the
test through the real services and pages) submit, open one learner's answer,
export the gradebook as CSV and read it back, and resolve a learner's dispute by
changing the key, after which the learner's answer is regraded and they are told.
"""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from case_studies import services as case_services
from cohorts.models import Cohort
from grading.models import GradedResponseRegrade
from notifications.models import Notification
from tests.gradebook.conftest import (
    INPATIENT_RIGHT,
    OFFICE_NEAR_MISS,
    OFFICE_RIGHT,
    exam_graded,
)
from tests.regrade.conftest import (
    eager_tasks,  # noqa: F401 (a fixture)
    publish_through_review,
)
from tests.regrade.test_case_regrade import accept_e11_9
from tests.support.accounts import make_user
from tests.support.browser import instructor_page, log_in, page_open

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLASS = "CPC evening, spring"


def _submit_case(learner, case, response):
    attempt = case_services.attempt_start(learner=learner, case=case)
    return case_services.attempt_submit(attempt=attempt, response=response)


def _cell(page, learner, assignment_title):
    """The gradebook cell of `learner` under the column `assignment_title`."""
    headers = page.locator("table.gradebook thead th").all_inner_texts()
    column = next(i for i, text in enumerate(headers) if assignment_title in text)
    row = page.locator("table.gradebook tbody tr", has_text=str(learner))
    return row.locator("th, td").nth(column)


@pytest.mark.usefixtures("eager_tasks")
def test_an_instructor_runs_a_class_from_invitation_to_regrade(
    browser_page,
    content,
    instructor,
    learner,
    other_learner,
):
    reviewer = make_user("second.instructor@example.test", Role.INSTRUCTOR)
    office, inpatient, exam = content["office"], content["inpatient"], content["exam"]
    teacher = instructor_page(browser_page, instructor)

    # Create the class and invite a learner by email.
    teacher.goto("/classes/")
    teacher.get_by_role("link", name="Create a class").click()
    teacher.get_by_label("Name").fill(CLASS)
    teacher.get_by_role("button", name="Create the class").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text(CLASS)
    teacher.get_by_label("Email addresses").fill(learner.email)
    teacher.get_by_role("button", name="Send invitations").click()
    expect(teacher.get_by_text(f"{learner.email} invited")).to_be_visible()
    cohort = Cohort.objects.get(name=CLASS)

    # The invited learner joins by logging in; another follows the class's link.
    student = page_open(browser_page.context.browser, browser_page.base_url)
    log_in(student, learner.email)
    expect(student.get_by_text("Your assignments")).to_be_visible()
    join_link = teacher.locator("a[href*='/classes/join/']").first.get_attribute("href")
    classmate = page_open(browser_page.context.browser, browser_page.base_url)
    log_in(classmate, other_learner.email)
    classmate.goto(join_link)
    classmate.get_by_role("button", name="Join the class").click()
    classmate.context.close()
    assert set(cohort.learners.all()) == {learner, other_learner}

    # Assign the two cases as a set, and the mock exam.
    due = (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    teacher.goto(f"/classes/{cohort.pk}/")
    teacher.get_by_role("link", name="Assign work").click()
    teacher.get_by_label("Kind of work").select_option("case_set")
    teacher.get_by_label("Cases of the set").select_option(
        [str(office.pk), str(inpatient.pk)]
    )
    teacher.get_by_label("Title").fill("Diabetes cases")
    teacher.get_by_label("Due").fill(due)
    teacher.get_by_role("button", name="Assign").click()
    teacher.goto(f"/classes/{cohort.pk}/")
    teacher.get_by_role("link", name="Assign work").click()
    teacher.get_by_label("Kind of work").select_option("exam")
    teacher.locator("#id_blueprint").select_option(str(exam.pk))
    teacher.get_by_label("Title").fill("Mock exam")
    teacher.get_by_label("Due").fill(due)
    teacher.get_by_role("button", name="Assign").click()

    # The gradebook fills in as the learners submit.
    teacher.goto(f"/gradebook/{cohort.pk}/")
    expect(_cell(teacher, learner, "Diabetes cases")).to_contain_text("Not started")
    near_miss = _submit_case(learner, office, OFFICE_NEAR_MISS)
    _submit_case(learner, inpatient, INPATIENT_RIGHT)
    _submit_case(other_learner, office, OFFICE_RIGHT)
    _submit_case(other_learner, inpatient, INPATIENT_RIGHT)
    exam_graded(other_learner, exam, right=True)
    teacher.reload()
    before = _cell(teacher, learner, "Diabetes cases").inner_text()
    assert "Submitted" in before
    expect(_cell(teacher, other_learner, "Diabetes cases")).to_contain_text("100.0%")
    expect(_cell(teacher, other_learner, "Mock exam")).to_contain_text("Passed")
    expect(_cell(teacher, learner, "Mock exam")).to_contain_text("Not started")

    # One learner's actual answer, line by line.
    _cell(teacher, learner, "Diabetes cases").get_by_role("link").click()
    expect(teacher.get_by_text("E11.9").first).to_be_visible()
    expect(teacher.get_by_text("99213").first).to_be_visible()

    # The CSV export, read back.
    teacher.goto(f"/gradebook/{cohort.pk}/")
    with teacher.expect_download() as download:
        teacher.get_by_role("link", name="Download CSV").click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text("utf-8-sig"))))
    header = next(row for row in rows if row[:2] == ["Learner", "Email"])
    by_email = {row[1]: dict(zip(header, row, strict=True)) for row in rows[4:-1]}
    assert by_email[other_learner.email]["Diabetes cases (score %)"] == "100.0"
    assert by_email[other_learner.email]["Mock exam (status)"] == "Submitted"
    assert by_email[learner.email]["Mock exam (status)"] == "Not started"

    # The learner disputes their diagnosis line on their feedback page.
    student.goto(near_miss.get_absolute_url())
    student.get_by_role("link", name="Dispute this").first.click()
    student.get_by_label("Why the feedback is wrong").fill(
        "The record documents type 2 diabetes without complications."
    )
    student.get_by_label("Guideline citation").fill("ICD-10-CM Guidelines I.C.4.a")
    student.get_by_role("button", name="Send the dispute").click()

    # The instructor changes the key: the ruling, then the edit through review.
    teacher.goto("/disputes/")
    teacher.get_by_role("link", name="Rule").first.click()
    teacher.get_by_label("Change the key: the learner is right").check()
    teacher.get_by_role("button", name="Rule").click()
    expect(teacher.get_by_role("link", name="Open the editor")).to_be_visible()
    accept_e11_9(office)
    publish_through_review(office, author=instructor, reviewer=reviewer)

    # The learner's answer was regraded, keeping the old result, and they are told.
    assert GradedResponseRegrade.objects.filter(
        graded_response_id=near_miss.graded_response_id
    ).exists()
    teacher.goto(f"/gradebook/{cohort.pk}/")
    expect(_cell(teacher, learner, "Diabetes cases")).not_to_have_text(before)
    assert Notification.objects.filter(user=learner).exists()
    student.goto("/notifications/")
    expect(
        student.get_by_text("Your disputed answer was regraded").first
    ).to_be_visible()
    teacher.goto("/disputes/")
    expect(teacher.get_by_role("link", name="Rule")).to_have_count(0)
