"""Review means the reviewed revision: a case key edited while it is in review
goes back to the reviewer; and a command-line import records who ran it."""

import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from wagtail.models import PageLogEntry
from wagtail.test.utils.form_data import nested_form_data

from accounts.roles import Role
from case_studies.bundles import bundle_import
from case_studies.models import CaseStudyPage
from core.audit import SYSTEM_EMAIL, UNKNOWN_ACTOR
from tests.admin_forms import stream_form
from tests.case_studies.conftest import DATA, bundle
from tests.support.accounts import log_in_with_two_factor, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer_client(db):
    reviewer = make_user("second.instructor@example.test", Role.INSTRUCTOR)
    return log_in_with_two_factor(Client(), reviewer)


@pytest.fixture
def case(code_sets):
    bundle_import(bundle("outpatient.json"))
    return CaseStudyPage.objects.get(slug="test-office-diabetes")


def case_form(page: CaseStudyPage, *, rationale: str, **actions) -> dict:
    """The case's edit form with the first key line's rationale set."""
    key = page.answer_key
    key[0].value["rationale"] = rationale
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "summary": page.summary,
            "setting": page.setting,
            "specialty": page.specialty,
            "difficulty": page.difficulty,
            "estimated_minutes": page.estimated_minutes,
            "date_of_service": page.date_of_service.isoformat(),
            "claim_setting": page.claim_setting,
            "documentation": stream_form(page.documentation),
            "answer_key": stream_form(key),
            **actions,
        }
    )
    return data | {
        "exams": [exam.pk for exam in page.exams.all()],
        "domains": [domain.pk for domain in page.domains.all()],
    }


def live_rationale(page: CaseStudyPage) -> str:
    return CaseStudyPage.objects.get(pk=page.pk).key_data["diagnoses"][0]["rationale"]


def approve(client, page: CaseStudyPage):
    page.refresh_from_db()
    state = page.current_workflow_task_state
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.pk]
    )
    assert client.post(url).status_code == 302
    page.refresh_from_db()
    return state


def test_a_key_edited_during_review_is_reviewed_again_before_it_goes_live(
    case, instructor_client, reviewer_client
):
    published = live_rationale(case)
    edit = reverse("wagtailadmin_pages:edit", args=[case.pk])
    submitted = instructor_client.post(
        edit, case_form(case, rationale="K1 rationale", **{"action-submit": "1"})
    )
    assert submitted.status_code == 302, submitted.context["form"].errors
    case.refresh_from_db()
    assert case.workflow_in_progress
    saved = instructor_client.post(edit, case_form(case, rationale="K2 rationale"))
    assert saved.status_code == 302

    seen = approve(reviewer_client, case)
    assert "K1 rationale" in json.dumps(seen.revision.content)
    assert live_rationale(case) == published
    assert case.workflow_in_progress
    restarted = case.current_workflow_task_state
    assert restarted.pk != seen.pk
    assert "K2 rationale" in json.dumps(restarted.revision.content)

    approve(reviewer_client, case)
    assert not case.workflow_in_progress
    assert live_rationale(case) == "K2 rationale"


def test_an_import_records_its_actor(code_sets, instructor):
    call_command(
        "import_cases",
        str(DATA / "outpatient.json"),
        actor=instructor.email,
        stdout=StringIO(),
    )
    page = CaseStudyPage.objects.get(slug="test-office-diabetes")
    assert page.live_revision.user == instructor
    assert PageLogEntry.objects.filter(
        page=page, action="wagtail.publish", user=instructor
    ).exists()


def test_an_import_without_actor_is_the_system_users(code_sets):
    call_command("import_cases", str(DATA / "outpatient.json"), stdout=StringIO())
    user = CaseStudyPage.objects.get(slug="test-office-diabetes").live_revision.user
    assert user.email == SYSTEM_EMAIL
    assert not user.is_active and not user.has_usable_password()


def test_an_unknown_actor_is_refused(code_sets):
    message = UNKNOWN_ACTOR.format(email="nobody@example.test")
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command(
            "import_cases",
            str(DATA / "outpatient.json"),
            actor="nobody@example.test",
            stdout=StringIO(),
        )
    assert not CaseStudyPage.objects.filter(slug="test-office-diabetes").exists()
