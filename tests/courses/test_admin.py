"""An instructor authors a course, a module and a lesson with knowledge checks in
the Wagtail admin, through its HTTP forms, and submits each for review (they go
live when another instructor approves: tests/courses/test_review_gate.py);
editors cannot build a wrong tree."""

import pytest
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from certifications.models import Certification, Domain
from core.models import HomePage
from courses.blocks import SINGLE_NEEDS_ONE_CORRECT
from courses.factories import ModulePageFactory
from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from tests.admin_forms import key_form

pytestmark = pytest.mark.django_db


def listblock(items) -> dict:
    data = {
        str(index): {"value": item, "deleted": "", "order": str(index)}
        for index, item in enumerate(items)
    }
    data["count"] = str(len(items))
    return data


def add_page(client, model, parent, data):
    url = reverse(
        "wagtailadmin_pages:add",
        args=[model._meta.app_label, model._meta.model_name, parent.pk],
    )
    return client.post(url, nested_form_data({**data, "action-submit": "submit"}))


def created(response, model, slug):
    assert response.status_code == 302, response.content.decode()[:3000]
    page = model.objects.get(slug=slug)
    assert not page.live and page.workflow_in_progress
    return page


def test_the_course_index_exists_once_under_home():
    index = CourseIndexPage.objects.get()
    assert index.url == "/courses/"
    assert isinstance(index.get_parent().specific, HomePage)
    assert not CourseIndexPage.can_create_at(index.get_parent())


@pytest.mark.parametrize(
    ("parent", "child", "allowed"),
    [
        (CourseIndexPage, CoursePage, True),
        (CoursePage, ModulePage, True),
        (ModulePage, LessonPage, True),
        (HomePage, CoursePage, False),
        (CoursePage, LessonPage, False),
        (CourseIndexPage, ModulePage, False),
        (LessonPage, LessonPage, False),
    ],
)
def test_page_tree_rules(parent, child, allowed):
    assert (child in parent.allowed_subpage_models()) is allowed


def test_an_instructor_authors_a_course_module_and_lesson_with_checks(
    icd10cm_chapter_4, instructor_client, instructor
):
    index = CourseIndexPage.objects.get()
    response = add_page(
        instructor_client,
        CoursePage,
        index,
        {
            "title": "Modifiers in depth",
            "slug": "modifiers-in-depth",
            "certification": str(Certification.objects.get(slug="cpc").pk),
            "summary": "Every common modifier, when and why.",
            "overview": rich_text("<p>Modifiers refine a service line.</p>"),
            "prerequisites": rich_text("<p>CPT basics.</p>"),
            "learning_outcomes": streamfield([("outcome", "Choose modifier 25")]),
            "estimated_hours": "3",
            "instructors": inline_formset([{"user": str(instructor.pk)}]),
        },
    )
    course = created(response, CoursePage, "modifiers-in-depth")
    assert [i.user for i in course.instructors.all()] == [instructor]

    response = add_page(
        instructor_client,
        ModulePage,
        course,
        {"title": "E/M modifiers", "slug": "em-modifiers", "summary": "25 and 57."},
    )
    module = created(response, ModulePage, "em-modifiers")

    key = {
        "setting": "professional",
        "date_of_service": "2026-05-04",
        "diagnoses": [{"code": "E11.65", "rationale": "Documented."}],
    }
    response = add_page(
        instructor_client,
        LessonPage,
        module,
        {
            "title": "Modifier 25",
            "slug": "modifier-25",
            "summary": "A significant, separately identifiable E/M.",
            "estimated_minutes": "20",
            "difficulty": "intermediate",
            "domains": [str(Domain.objects.get(slug="cpc-evaluation-management").pk)],
            "body": streamfield(
                [
                    ("rich_text", rich_text("<p>Use 25 on the E/M.</p>")),
                    (
                        "knowledge_check",
                        {
                            "check_id": "q1",
                            "kind": "single",
                            "prompt": rich_text("<p>Which line gets 25?</p>"),
                            "options": listblock(
                                [
                                    {
                                        "option_id": "a",
                                        "text": "The E/M",
                                        "correct": "on",
                                        "feedback": "Yes.",
                                    },
                                    {
                                        "option_id": "b",
                                        "text": "The procedure",
                                        "feedback": "No.",
                                    },
                                ]
                            ),
                            "explanation": rich_text("<p>25 goes on the E/M.</p>"),
                        },
                    ),
                    (
                        "code_entry_check",
                        {
                            "check_id": "q2",
                            "prompt": rich_text("<p>Code the diagnosis.</p>"),
                            "documentation": rich_text("<p>T2DM, glucose 320.</p>"),
                            "key": key_form(key),
                        },
                    ),
                ]
            ),
        },
    )
    lesson = created(response, LessonPage, "modifier-25")
    assert lesson.check_ids() == ["q1", "q2"]
    kind, check = lesson.checks()["q1"]
    assert [o["correct"] for o in check["options"]] == [True, False]
    assert lesson.checks()["q2"][1]["key"]["diagnoses"][0]["code"] == "E11.65"
    assert lesson.get_parent().get_parent().specific == course

    edit = instructor_client.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk]))
    assert edit.status_code == 200
    assert "E11.65" in edit.content.decode()


@pytest.mark.parametrize("model", [CoursePage, ModulePage, LessonPage])
def test_the_add_forms_render_for_an_instructor(instructor_client, course, model):
    parent = {
        CoursePage: CourseIndexPage.objects.get(),
        ModulePage: course,
        LessonPage: ModulePage.objects.child_of(course).first(),
    }[model]
    url = reverse(
        "wagtailadmin_pages:add",
        args=[model._meta.app_label, model._meta.model_name, parent.pk],
    )
    assert instructor_client.get(url).status_code == 200


def test_a_check_without_exactly_one_right_option_is_refused(instructor_client):
    module = ModulePageFactory()
    response = add_page(
        instructor_client,
        LessonPage,
        module,
        {
            "title": "L",
            "slug": "l",
            "estimated_minutes": "5",
            "difficulty": "beginner",
            "body": streamfield(
                [
                    (
                        "knowledge_check",
                        {
                            "check_id": "q1",
                            "kind": "single",
                            "prompt": rich_text("<p>?</p>"),
                            "options": listblock(
                                [
                                    {"option_id": "a", "text": "A", "feedback": ""},
                                    {"option_id": "b", "text": "B", "feedback": ""},
                                ]
                            ),
                            "explanation": rich_text(""),
                        },
                    )
                ]
            ),
        },
    )
    assert response.status_code == 200
    assert SINGLE_NEEDS_ONE_CORRECT in response.content.decode()
    assert not LessonPage.objects.exists()


def test_instructors_may_not_add_pages_outside_the_course_index(instructor_client):
    home = Page.objects.get(depth=2)
    url = reverse(
        "wagtailadmin_pages:add", args=["courses", "courseindexpage", home.pk]
    )
    assert instructor_client.get(url).status_code in (302, 403)


def test_the_admin_menu_links_to_the_course_reports(instructor_client):
    html = instructor_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("courses:teach") in html
