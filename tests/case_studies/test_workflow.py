"""Authoring: the library, the "Answer key review" workflow with a second
instructor, keys validated against the code sets, and the key change log."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from wagtail.models import GroupPagePermission, WorkflowPage

from accounts.roles import Role
from case_studies.models import AnswerKeyChange, CaseLibraryPage, CaseStudyPage
from case_studies.wagtail_hooks import PUBLISH_THROUGH_REVIEW
from grading.keys import blocks_from_key
from tests.case_studies.conftest import bundle
from tests.support.accounts import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(db):
    return make_user("second.instructor@example.test", Role.INSTRUCTOR)


def draft_case(key: dict, **fields) -> CaseStudyPage:
    source = bundle("outpatient.json")["cases"][0]
    page = CaseStudyPage(
        title=fields.get("title", "Draft case"),
        slug=fields.get("slug", "draft-case"),
        setting="physician_office",
        specialty="Family medicine",
        difficulty="beginner",
        date_of_service=datetime.date.fromisoformat(key["date_of_service"]),
        claim_setting=key["setting"],
        documentation=source["documentation"],
        answer_key=blocks_from_key(key),
        live=False,
    )
    return page


def test_migration_sets_up_library_workflow_and_permissions():
    library = CaseLibraryPage.objects.get()
    assert library.slug == "cases" and library.get_parent().specific_class.__name__ == (
        "HomePage"
    )
    workflow = WorkflowPage.objects.get(page=library).workflow
    assert workflow.name == "Answer key review"
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == [Role.INSTRUCTOR]
    codenames = set(
        GroupPagePermission.objects.filter(
            page=library, group__name=Role.INSTRUCTOR
        ).values_list("permission__codename", flat=True)
    )
    assert codenames == {"add_page", "change_page", "publish_page"}
    assert Permission.objects.filter(codename="publish_page").exists()


def test_key_with_unknown_code_cannot_be_saved(code_sets):
    key = bundle("outpatient.json")["cases"][0]["key"]
    key["diagnoses"][1]["code"] = "E11.6"
    key["service_lines"][0]["modifiers"] = ["ZZZ"]
    page = draft_case(key)
    with pytest.raises(ValidationError) as raised:
        page.full_clean()
    messages = raised.value.message_dict["answer_key"]
    assert "Service line 1 → modifier 1: " in " ".join(messages)
    assert "service_lines[" not in " ".join(messages)
    key["service_lines"][0]["modifiers"] = []
    with pytest.raises(ValidationError) as raised:
        draft_case(key).full_clean()
    [message] = raised.value.message_dict["answer_key"]
    assert message.startswith("Diagnosis 2: E11.6 is a category")


def test_second_instructor_approves_and_case_goes_live(code_sets, instructor, reviewer):
    library = CaseLibraryPage.objects.get()
    page = draft_case(bundle("outpatient.json")["cases"][0]["key"])
    library.add_child(instance=page)
    page.save_revision(user=instructor)
    workflow = page.get_workflow()
    workflow.start(page, instructor)
    page.refresh_from_db()
    task_state = page.current_workflow_task_state
    task = task_state.task.specific
    assert task.get_actions(page, instructor) == []
    assert not task.get_task_states_user_can_moderate(instructor).exists()
    with pytest.raises(PermissionError):
        task.on_action(task_state, instructor, "approve")
    assert task.get_task_states_user_can_moderate(reviewer).exists()
    assert any(name == "approve" for name, *_ in task.get_actions(page, reviewer))
    task.on_action(task_state, reviewer, "approve")
    page.refresh_from_db()
    assert page.live
    change = AnswerKeyChange.objects.get(case=page)
    assert change.summary.startswith("First published key: 3 lines")


def test_key_changes_are_logged_and_shown_in_admin(code_sets, instructor_client):
    from case_studies.bundles import bundle_import

    data = bundle("outpatient.json")
    bundle_import(data)
    data["cases"][0]["key"]["diagnoses"][1]["code"] = "E78.00"
    bundle_import(data)
    page = CaseStudyPage.objects.get(slug="test-office-diabetes")
    changes = list(page.key_changes.all())
    assert len(changes) == 2
    assert "Diagnosis 2 (E78.5) changed: code 'E78.5' → 'E78.00'" in changes[0].summary
    edit = instructor_client.get(f"/admin/pages/{page.pk}/edit/")
    assert edit.status_code == 200
    assert "Diagnosis 2 (E78.5) changed" in edit.content.decode()


def test_instructor_can_open_the_add_form(instructor_client):
    library = CaseLibraryPage.objects.get()
    response = instructor_client.get(
        f"/admin/pages/add/case_studies/casestudypage/{library.pk}/"
    )
    assert response.status_code == 200
    assert "Answer key" in response.content.decode()


def test_instructor_cannot_publish_a_case_directly(code_sets, instructor_client):
    library = CaseLibraryPage.objects.get()
    page = draft_case(bundle("outpatient.json")["cases"][0]["key"])
    library.add_child(instance=page)
    edit_url = f"/admin/pages/{page.pk}/edit/"
    form = instructor_client.get(edit_url).content.decode()
    assert 'name="action-publish"' not in form
    assert "Submit to Answer key review" in form
    response = instructor_client.post(edit_url, {"action-publish": "1"}, follow=True)
    assert PUBLISH_THROUGH_REVIEW in response.content.decode()
    page.refresh_from_db()
    assert not page.live
