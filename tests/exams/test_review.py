"""Exam questions and blueprints go live only through review by another
instructor: an edit saved while a question is in review restarts the review,
learners only ever see the approved version, HTML in a stem is sanitised on every
path in, and each change is in the question's history with its author."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from accounts.roles import Role
from case_studies.models.review import SELF_REVIEW_REFUSED
from core.audit import SYSTEM_EMAIL
from exams.loading import bank_import
from exams.models import Attempt, Blueprint, Question
from exams.wagtail_hooks import PUBLISH_THROUGH_REVIEW
from tests.admin_forms import key_form
from tests.exams.conftest import DATA
from tests.support.accounts import log_in_with_two_factor, make_user

pytestmark = pytest.mark.django_db

HOSTILE = (
    '<p>Which code?</p><meta http-equiv="refresh" content="0;url=https://evil.test">'
    '<iframe src="https://evil.test"></iframe><a href="javascript:alert(1)">hint</a>'
)


@pytest.fixture
def reviewer(db):
    return make_user("second.instructor@example.test", Role.INSTRUCTOR)


@pytest.fixture
def reviewer_client(reviewer):
    return log_in_with_two_factor(Client(), reviewer)


@pytest.fixture
def learner_browser(learner):
    """The learner in a client of their own (`learner_browser` shares `client`)."""
    client = Client()
    client.force_login(learner)
    return client


def question_form(question: Question, **changes) -> dict:
    """The admin edit form of `question` as the browser posts it, with `changes`."""
    options = [
        {
            "id": option.pk,
            "option_id": option.option_id,
            "text": option.text,
            "correct": option.correct,
            "rationale": option.rationale,
        }
        for option in question.options.all()
    ]
    data = {
        "slug": question.slug,
        "kind": question.kind,
        "certification": question.certification_id,
        "difficulty": question.difficulty,
        "pretest": question.pretest,
        "stem": question.stem,
        "choose": question.choose,
        "options": inline_formset(options, initial=len(options)),
        "scenario": question.scenario,
        "case_slug": question.case_slug,
        "key": key_form(question.key),
        "reference": question.reference,
    }
    data.update(changes)
    # nested_form_data would flatten the list of a multiple choice into one value.
    return nested_form_data(data) | {
        "domains": [domain.pk for domain in question.domains.all()]
    }


def edit_url(question: Question) -> str:
    return reverse(question.snippet_viewset.get_url_name("edit"), args=[question.pk])


def approve(client, question: Question):
    question.refresh_from_db()
    state = question.current_workflow_task_state
    url = reverse(
        question.snippet_viewset.get_url_name("workflow_action"),
        args=[question.pk, "approve", state.pk],
    )
    response = client.post(url)
    assert response.status_code == 302
    question.refresh_from_db()
    return state


def learner_stem(client, blueprint: Blueprint, position: int = 1) -> str:
    """The stem of question `position` as the learner's exam page shows it."""
    client.post(reverse("exams:start", args=[blueprint.slug]))
    attempt = Attempt.objects.filter(blueprint=blueprint).latest("pk")
    page = client.get(reverse("exams:question", args=[attempt.pk, position]))
    assert page.status_code == 200
    html = page.content.decode()
    return re.search(r'<div class="exam__stem">(.*?)</div>', html, re.DOTALL)[1]


def test_an_edit_during_review_restarts_it_and_only_approved_text_goes_live(
    exams, cpc, instructor_client, reviewer_client, learner_browser
):
    question = Question.objects.get(slug="t-em-1")
    live_stem = question.stem
    submitted = instructor_client.post(
        edit_url(question),
        question_form(question, stem="<p>K1 stem</p>", **{"action-submit": "1"}),
    )
    assert submitted.status_code == 302
    question.refresh_from_db()
    assert question.workflow_in_progress
    saved = instructor_client.post(
        edit_url(question), question_form(question, stem="<p>K2 stem</p>")
    )
    assert saved.status_code == 302

    seen = approve(reviewer_client, question)
    assert seen.revision.content["stem"] == "<p>K1 stem</p>"
    assert question.stem == live_stem
    assert question.workflow_in_progress
    restarted = question.current_workflow_task_state
    assert restarted.pk != seen.pk
    assert restarted.revision.content["stem"] == "<p>K2 stem</p>"
    assert live_stem in learner_stem(learner_browser, cpc)

    approve(reviewer_client, question)
    assert question.stem == "<p>K2 stem</p>"
    assert not question.workflow_in_progress
    assert question.live_revision.content["stem"] == "<p>K2 stem</p>"


def test_the_submitter_cannot_approve_their_own_question(
    exams, instructor_client, instructor
):
    question = Question.objects.get(slug="t-em-1")
    instructor_client.post(
        edit_url(question),
        question_form(question, stem="<p>Mine</p>", **{"action-submit": "1"}),
    )
    question.refresh_from_db()
    task = question.current_workflow_task
    assert task.get_actions(question, instructor) == []
    with pytest.raises(PermissionError):
        task.on_action(question.current_workflow_task_state, instructor, "approve")


def test_a_reviewer_who_edits_during_review_cannot_approve_their_own_edit(
    exams, instructor_client, reviewer_client, reviewer
):
    question = Question.objects.get(slug="t-em-1")
    instructor_client.post(
        edit_url(question),
        question_form(question, stem="<p>K1 stem</p>", **{"action-submit": "1"}),
    )
    question.refresh_from_db()
    reviewer_client.post(edit_url(question), question_form(question, stem="<p>K2</p>"))
    approve(reviewer_client, question)
    state = question.current_workflow_task_state
    assert state.revision.user == reviewer and question.workflow_in_progress
    task = state.task.specific
    assert task.get_actions(question, reviewer) == []
    assert not task.get_task_states_user_can_moderate(reviewer).exists()
    with pytest.raises(PermissionError, match=SELF_REVIEW_REFUSED):
        task.on_action(state, reviewer, "approve")
    third = log_in_with_two_factor(
        Client(), make_user("third.instructor@example.test", Role.INSTRUCTOR)
    )
    approve(third, question)
    assert question.stem == "<p>K2</p>"


def test_an_instructor_cannot_publish_a_question_directly(exams, instructor_client):
    question = Question.objects.get(slug="t-em-1")
    form = instructor_client.get(edit_url(question)).content.decode()
    assert 'name="action-publish"' not in form
    assert "Submit to Answer key review" in form
    response = instructor_client.post(
        edit_url(question),
        question_form(question, stem="<p>Unreviewed</p>", **{"action-publish": "1"}),
        follow=True,
    )
    assert PUBLISH_THROUGH_REVIEW in response.content.decode()
    question.refresh_from_db()
    assert question.stem != "<p>Unreviewed</p>"
    assert not question.revisions.filter(content__stem="<p>Unreviewed</p>").exists()


def test_an_instructor_cannot_publish_a_blueprint_directly(exams, instructor_client):
    url = reverse(Blueprint.snippet_viewset.get_url_name("add"))
    form = instructor_client.get(url).content.decode()
    assert 'name="action-publish"' not in form
    response = instructor_client.post(url, {"action-publish": "1"}, follow=True)
    assert PUBLISH_THROUGH_REVIEW in response.content.decode()


def test_a_draft_blueprint_is_not_offered_to_learners(exams, cpc, learner_browser):
    cpc.live = False
    cpc.save(update_fields=["live"])
    assert cpc.name not in learner_browser.get(reverse("exams:index")).content.decode()
    start = learner_browser.post(reverse("exams:start", args=[cpc.slug]))
    assert start.status_code == 404


def test_a_draft_question_is_never_drawn(exams, cpc, learner_browser):
    Question.objects.filter(slug="t-em-1").update(live=False)
    learner_browser.post(reverse("exams:start", args=[cpc.slug]))
    attempt = Attempt.objects.get(blueprint=cpc)
    slugs = list(attempt.items.values_list("question__slug", flat=True))
    assert "t-em-1" not in slugs and slugs


def assert_harmless(stem: str) -> None:
    assert "<meta" not in stem
    assert "<iframe" not in stem
    assert "javascript:" not in stem
    assert "Which code?" in stem


def test_html_published_through_the_admin_is_sanitised(
    exams, cpc, administrator_client, learner_browser
):
    question = Question.objects.get(slug="t-em-1")
    response = administrator_client.post(
        edit_url(question), question_form(question, stem=HOSTILE, scenario=HOSTILE)
    )
    assert response.status_code == 302
    question.refresh_from_db()
    stored = question.latest_revision.content
    assert_harmless(stored["stem"])
    assert_harmless(stored["scenario"])
    administrator_client.post(
        edit_url(question),
        question_form(question, stem=HOSTILE, **{"action-publish": "1"}),
    )
    question.refresh_from_db()
    assert_harmless(question.stem)
    assert_harmless(learner_stem(learner_browser, cpc))


def test_html_in_an_imported_question_is_sanitised(exams, cpc, learner_browser):
    raw = {
        "slug": "t-em-1",
        "kind": "single",
        "certification": "cpc",
        "domains": ["cpc-evaluation-management"],
        "difficulty": "beginner",
        "stem": HOSTILE,
        "options": [
            {"id": letter, "text": letter, "correct": letter == "a"}
            for letter in "abcd"
        ],
    }
    bank_import(
        {"format": "coderacademy-question-bank", "version": 1, "questions": [raw]}
    )
    assert_harmless(Question.objects.get(slug="t-em-1").stem)
    assert_harmless(learner_stem(learner_browser, cpc))


def test_each_change_is_a_revision_with_its_author_and_a_diff(
    exams, instructor_client, instructor
):
    question = Question.objects.get(slug="t-em-1")
    first = question.latest_revision
    instructor_client.post(
        edit_url(question), question_form(question, stem="<p>Reworded stem</p>")
    )
    question.refresh_from_db()
    latest = question.latest_revision
    assert latest.pk != first.pk and latest.user == instructor
    entry = ModelLogEntry.objects.for_instance(question).filter(action="wagtail.edit")
    assert entry.filter(user=instructor).exists()
    compare = reverse(
        question.snippet_viewset.get_url_name("revisions_compare"),
        args=[question.pk, first.pk, latest.pk],
    )
    diff = instructor_client.get(compare)
    assert diff.status_code == 200
    assert "Reworded stem" in diff.content.decode()


def test_the_exam_import_records_its_actor_once_per_change(db, instructor):
    call_command(
        "load_demo_exams", path=DATA, actor=instructor.email, stdout=StringIO()
    )
    question = Question.objects.get(slug="t-em-1")
    blueprint = Blueprint.objects.get(slug="test-cpc")
    for row in (question, blueprint):
        assert row.live and row.live_revision.user == instructor
        assert (
            ModelLogEntry.objects.for_instance(row)
            .filter(action="wagtail.publish", user=instructor)
            .exists()
        )
    call_command("load_demo_exams", path=DATA, stdout=StringIO())
    assert question.revisions.count() == 1


def test_the_exam_import_runs_as_the_system_user_by_default(db):
    call_command("load_demo_exams", path=DATA, stdout=StringIO())
    user = Question.objects.get(slug="t-em-1").live_revision.user
    assert user.email == SYSTEM_EMAIL and not user.is_active
