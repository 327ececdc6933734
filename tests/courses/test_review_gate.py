"""Courses, modules and lessons go live only through "Answer key review", as cases
and exam content do: an instructor cannot publish them from the admin, only
submit them; the submitter cannot approve; another instructor's approval
publishes; and a learner never sees a draft or an unapproved change."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text

from accounts.roles import Role
from case_studies.wagtail_hooks import PUBLISH_THROUGH_REVIEW
from courses.models import (
    CourseIndexPage,
    CoursePage,
    Enrolment,
    LessonPage,
    ModulePage,
)
from courses.services import enrolment_create
from tests.admin_forms import stream_form
from tests.courses.conftest import lesson
from tests.courses.test_review import approve, lesson_form
from tests.support.accounts import log_in_with_two_factor, make_user

pytestmark = pytest.mark.django_db

UNREVIEWED = "Unreviewed title"


@pytest.fixture
def reviewer_client(db):
    reviewer = make_user("second.instructor@example.test", Role.INSTRUCTOR)
    return log_in_with_two_factor(Client(), reviewer)


@pytest.fixture
def learner_browser(learner, course):
    enrolment_create(learner=learner, course=course)
    client = Client()
    client.force_login(learner)
    return client


def edit_form(page) -> dict:
    """The page's admin edit form as posted, with the title changed to
    UNREVIEWED."""
    page = page.specific
    if isinstance(page, LessonPage):
        page.title = UNREVIEWED
        return lesson_form(page, summary=page.summary)
    if isinstance(page, ModulePage):
        return nested_form_data(
            {"title": UNREVIEWED, "slug": page.slug, "summary": page.summary}
        )
    return nested_form_data(
        {
            "title": UNREVIEWED,
            "slug": page.slug,
            "certification": page.certification_id,
            "summary": page.summary,
            "overview": rich_text(page.overview),
            "prerequisites": rich_text(page.prerequisites),
            "learning_outcomes": stream_form(page.learning_outcomes),
            "estimated_hours": page.estimated_hours,
            "instructors-TOTAL_FORMS": "0",
            "instructors-INITIAL_FORMS": "0",
            "instructors-MIN_NUM_FORMS": "0",
            "instructors-MAX_NUM_FORMS": "1000",
        }
    )


def pages_of(course) -> dict:
    module = ModulePage.objects.child_of(course).order_by("path").first()
    return {
        "course": course,
        "module": module,
        "lesson": LessonPage.objects.child_of(module).order_by("path").first(),
    }


@pytest.mark.parametrize("kind", ["course", "module", "lesson"])
def test_an_instructor_cannot_publish_directly_only_submit(
    course, instructor_client, learner_browser, kind
):
    page = pages_of(course)[kind]
    live_title = page.title
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    form = instructor_client.get(edit).content.decode()
    assert 'name="action-publish"' not in form
    assert "Submit to Answer key review" in form

    refused = instructor_client.post(
        edit, edit_form(page) | {"action-publish": "1"}, follow=True
    )
    assert PUBLISH_THROUGH_REVIEW in refused.content.decode()
    page.refresh_from_db()
    assert page.title == live_title
    assert not page.revisions.filter(content__title=UNREVIEWED).exists()

    submitted = instructor_client.post(edit, edit_form(page) | {"action-submit": "1"})
    assert submitted.status_code == 302, submitted.context["form"].errors
    page.refresh_from_db()
    assert page.workflow_in_progress and page.title == live_title
    outline = reverse("courses:outline", args=[Enrolment.objects.get().pk])
    for url in (page.url, outline):
        seen = learner_browser.get(url, follow=True).content.decode()
        assert live_title in seen and UNREVIEWED not in seen


def test_a_new_course_cannot_be_published_directly(instructor_client):
    index = CourseIndexPage.objects.get()
    add = reverse("wagtailadmin_pages:add", args=["courses", "coursepage", index.pk])
    assert 'name="action-publish"' not in instructor_client.get(add).content.decode()
    response = instructor_client.post(add, {"action-publish": "1"}, follow=True)
    assert PUBLISH_THROUGH_REVIEW in response.content.decode()
    assert not CoursePage.objects.exists()


def test_a_draft_lesson_reaches_learners_only_after_another_instructor_approves(
    course, instructor_client, reviewer_client, learner_browser
):
    module = pages_of(course)["module"]
    draft = lesson("diabetes-categories").copy(
        to=module,
        update_attrs={"slug": "draft-lesson", "title": "Draft lesson", "live": False},
        keep_live=False,
    )
    edit = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    submitted = instructor_client.post(
        edit, lesson_form(draft, summary="Awaiting review", **{"action-submit": "1"})
    )
    assert submitted.status_code == 302, submitted.context["form"].errors
    draft.refresh_from_db()
    assert draft.workflow_in_progress and not draft.live

    assert learner_browser.get(draft.url).status_code == 404
    assert "Draft lesson" not in learner_browser.get(course.url).content.decode()
    outline = reverse("courses:outline", args=[Enrolment.objects.get().pk])
    assert "Draft lesson" not in learner_browser.get(outline).content.decode()
    search = learner_browser.get(reverse("courses:search"), {"q": "Draft lesson"})
    assert f'href="{draft.url}"' not in search.content.decode()

    state = draft.current_workflow_task_state
    own = reverse(
        "wagtailadmin_pages:workflow_action", args=[draft.pk, "approve", state.pk]
    )
    refused = instructor_client.post(own)
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")
    draft.refresh_from_db()
    assert not draft.live and draft.workflow_in_progress

    approve(reviewer_client, draft)
    assert draft.live and not draft.workflow_in_progress
    assert draft.live_revision.content["summary"] == "Awaiting review"
    assert learner_browser.get(draft.url).status_code == 200
    assert "Draft lesson" in learner_browser.get(outline).content.decode()


def test_an_administrator_may_still_publish_directly(course, administrator_client):
    page = pages_of(course)["module"]
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    form = administrator_client.get(edit).content.decode()
    assert 'name="action-publish"' in form
    response = administrator_client.post(
        edit, edit_form(page) | {"action-publish": "1"}
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live and page.title == UNREVIEWED
