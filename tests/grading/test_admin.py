"""The read-only ledger in the Wagtail admin, and the instructors' permissions."""

import pytest

from certifications.models import Domain
from grading.factories import GradedResponseFactory

pytestmark = pytest.mark.django_db

LEDGER = "/admin/graded_responses/"


@pytest.fixture
def rows(learner, other_learner):
    anesthesia = Domain.objects.filter(slug="cpc-anesthesia")
    return [
        GradedResponseFactory(
            learner=learner, attempt_ref="a", item_title="Knee injection"
        ),
        GradedResponseFactory(
            learner=other_learner,
            attempt_ref="b",
            item_title="Epidural for labour",
            source="exam_item",
            domains=anesthesia,
        ),
    ]


def test_an_instructor_lists_the_ledger(instructor_client, rows):
    reply = instructor_client.get(LEDGER)
    assert reply.status_code == 200
    assert (
        b"Knee injection" in reply.content and b"Epidural for labour" in reply.content
    )


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("source=exam_item", b"Epidural for labour", b"Knee injection"),
        ("domains={anesthesia}", b"Epidural for labour", b"Knee injection"),
    ],
)
def test_the_ledger_filters_by_source_and_domain(
    instructor_client, rows, query, shown, hidden
):
    anesthesia = Domain.objects.get(slug="cpc-anesthesia").pk
    reply = instructor_client.get(f"{LEDGER}?{query.format(anesthesia=anesthesia)}")
    assert reply.status_code == 200
    assert shown in reply.content and hidden not in reply.content


def test_an_instructor_inspects_a_row(instructor_client, rows):
    reply = instructor_client.get(f"{LEDGER}inspect/{rows[0].pk}/")
    assert reply.status_code == 200 and b"Knee injection" in reply.content


@pytest.mark.parametrize("path", ["new/", "edit/{pk}/", "delete/{pk}/"])
def test_nobody_adds_edits_or_deletes_ledger_rows(instructor_client, rows, path):
    reply = instructor_client.get(LEDGER + path.format(pk=rows[0].pk))
    assert reply.status_code in (302, 403)
    assert reply.status_code == 403 or "/admin/" in reply["Location"]


def test_instructors_hold_exactly_the_grading_permissions(instructor):
    granted = {
        codename
        for codename in instructor.groups.get(name="Instructor")
        .permissions.filter(content_type__app_label="grading")
        .values_list("codename", flat=True)
    }
    assert granted == {
        "view_gradedresponse",
        "view_gradedresponseregrade",
        "add_scoringpolicydefinition",
        "change_scoringpolicydefinition",
        "view_scoringpolicydefinition",
    }


def test_a_learner_cannot_open_the_ledger(learner_client, rows):
    assert learner_client.get(LEDGER).status_code == 302
