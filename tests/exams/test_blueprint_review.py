"""A blueprint goes through "Answer key review" as a question does: an instructor
submits a new mock exam from the admin, cannot approve it themselves, and
learners are offered it only once another instructor approves."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from accounts.roles import Role
from exams.models import Blueprint, Question
from tests.support.accounts import log_in_with_two_factor, make_user

pytestmark = pytest.mark.django_db

NEW_SLUG = "draft-cpc"


@pytest.fixture
def reviewer_client(db):
    reviewer = make_user("second.instructor@example.test", Role.INSTRUCTOR)
    return log_in_with_two_factor(Client(), reviewer)


@pytest.fixture
def learner_browser(learner):
    client = Client()
    client.force_login(learner)
    return client


def new_blueprint_form(certification_id: int, **actions) -> dict:
    questions = Question.objects.filter(slug__in=["t-em-1", "t-icd-1"])
    return nested_form_data(
        {
            "slug": NEW_SLUG,
            "name": "Draft CPC exam",
            "description": "",
            "certification": certification_id,
            "time_limit_seconds": 1800,
            "passing_kind": "percent",
            "passing_cut": "70",
            "scaled_min": 100,
            "scaled_max": 400,
            "selection": "fixed",
            "questions_per_domain": "{}",
            "questions": inline_formset(
                [{"question": question.pk} for question in questions]
            ),
            "shuffle_options": "on",
            "attempts_allowed": 2,
            "review_policy": "immediately",
            "closes_at": "",
            "grading_policy": "exam",
            "published": "on",
            **actions,
        }
    )


def workflow_action(client, blueprint: Blueprint, action: str):
    blueprint.refresh_from_db()
    state = blueprint.current_workflow_task_state
    url = reverse(
        Blueprint.snippet_viewset.get_url_name("workflow_action"),
        args=[blueprint.pk, action, state.pk],
    )
    return client.post(url)


def test_a_new_blueprint_is_offered_only_after_another_instructor_approves(
    cpc, instructor_client, reviewer_client, learner_browser
):
    add = reverse(Blueprint.snippet_viewset.get_url_name("add"))
    submitted = instructor_client.post(
        add, new_blueprint_form(cpc.certification_id, **{"action-submit": "1"})
    )
    assert submitted.status_code == 302, submitted.context["form"].errors
    blueprint = Blueprint.objects.get(slug=NEW_SLUG)
    assert blueprint.workflow_in_progress and not blueprint.live

    def offered() -> bool:
        index = learner_browser.get(reverse("exams:index")).content.decode()
        return "Draft CPC exam" in index

    assert not offered()
    start = learner_browser.post(reverse("exams:start", args=[NEW_SLUG]))
    assert start.status_code == 404

    refused = workflow_action(instructor_client, blueprint, "approve")
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")
    blueprint.refresh_from_db()
    assert not blueprint.live and not offered()

    assert workflow_action(reviewer_client, blueprint, "approve").status_code == 302
    blueprint.refresh_from_db()
    assert blueprint.live and not blueprint.workflow_in_progress
    assert offered()
