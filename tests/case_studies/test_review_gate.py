"""A new case reaches learners only through "Answer key review": submitted from
the admin, it is nowhere a learner looks (its page, the practice form, the
library, the API) until another instructor approves; its submitter cannot."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from case_studies.models import CaseLibraryPage
from tests.case_studies.conftest import bundle
from tests.case_studies.test_review import approve, case_form
from tests.case_studies.test_workflow import draft_case
from tests.support.accounts import log_in_with_two_factor, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer_client(db):
    reviewer = make_user("second.instructor@example.test", Role.INSTRUCTOR)
    return log_in_with_two_factor(Client(), reviewer)


def test_a_draft_case_reaches_learners_only_after_another_instructor_approves(
    code_sets, instructor_client, reviewer_client, learner
):
    page = draft_case(bundle("outpatient.json")["cases"][0]["key"])
    CaseLibraryPage.objects.get().add_child(instance=page)
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    submitted = instructor_client.post(
        edit, case_form(page, rationale="Reviewed", **{"action-submit": "1"})
    )
    assert submitted.status_code == 302, submitted.context["form"].errors
    page.refresh_from_db()
    assert page.workflow_in_progress and not page.live

    learner_browser = Client()
    learner_browser.force_login(learner)
    practice = reverse("case_studies:practice", args=[page.slug])
    library = reverse("case_studies:library")

    def seen() -> bool:
        listed = learner_browser.get(library).content.decode()
        return page.title in listed

    assert learner_browser.get(page.url).status_code == 404
    assert learner_browser.get(practice).status_code == 404
    assert learner_browser.get(f"/api/cases/{page.pk}").status_code == 404
    assert not seen()

    state = page.current_workflow_task_state
    own = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.pk]
    )
    refused = instructor_client.post(own)
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")
    page.refresh_from_db()
    assert not page.live and not seen()

    approve(reviewer_client, page)
    assert page.live and not page.workflow_in_progress
    assert learner_browser.get(practice).status_code == 200
    assert seen()
