"""Only the class's instructors and administrators read its gradebook: another
instructor, a learner (even one of the class) and a stranger's ids get 404."""

from datetime import timedelta

import pytest
from django.urls import reverse

from cohorts.models import Assignment, Cohort
from tests.gradebook.conftest import assign, member

pytestmark = pytest.mark.django_db

Kind = Assignment.Kind


@pytest.fixture
def urls(cohort, content):
    assignment = assign(
        cohort,
        Kind.CASE,
        title="Office",
        due=timedelta(days=7),
        cases=[content["office"]],
    )
    ada = member(cohort, "ada@example.test")
    return [
        reverse("gradebook:cohort", args=[cohort.pk]),
        reverse("gradebook:assignment", args=[cohort.pk, assignment.pk]),
        reverse(
            "gradebook:learner_assignment", args=[cohort.pk, ada.pk, assignment.pk]
        ),
        reverse("gradebook:export_csv", args=[cohort.pk]),
        reverse("gradebook:export_xlsx", args=[cohort.pk]),
    ]


def test_the_class_instructor_and_an_administrator_open_every_url(
    instructor_client, administrator, urls
):
    from django.test import Client

    from tests.support.accounts import log_in_with_two_factor

    administrator_client = log_in_with_two_factor(Client(), administrator)
    for url in urls:
        assert instructor_client.get(url).status_code == 200, url
        assert administrator_client.get(url).status_code == 200, url


def test_another_instructor_gets_404_everywhere(other_instructor_client, urls):
    for url in urls:
        assert other_instructor_client.get(url).status_code == 404, url


def test_a_learner_of_the_class_gets_404_everywhere(client, cohort, urls):
    ada = cohort.memberships.get().learner
    client.force_login(ada)
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_a_visitor_is_sent_to_log_in(client, urls):
    for url in urls:
        reply = client.get(url)
        assert reply.status_code == 302 and "/accounts/login/" in reply["Location"]


def test_a_learner_outside_the_class_is_not_found(instructor_client, cohort, content):
    assignment = assign(
        cohort,
        Kind.CASE,
        title="Office",
        due=timedelta(days=7),
        cases=[content["office"]],
    )
    outsider = member(Cohort.objects.create(name="Elsewhere"), "out@example.test")
    url = reverse(
        "gradebook:learner_assignment", args=[cohort.pk, outsider.pk, assignment.pk]
    )
    assert instructor_client.get(url).status_code == 404


def test_an_assignment_of_another_class_is_not_found(
    instructor_client, instructor, cohort, content
):
    ada = member(cohort, "ada@example.test")
    # The instructor teaches both classes: the assignment still belongs to the
    # other one.
    other = Cohort.objects.create(name="Second class")
    other.instructors.add(instructor)
    theirs = assign(
        other,
        Kind.CASE,
        title="Office",
        due=timedelta(days=7),
        cases=[content["office"]],
    )
    url = reverse("gradebook:learner_assignment", args=[cohort.pk, ada.pk, theirs.pk])
    assert instructor_client.get(url).status_code == 404
    url = reverse("gradebook:assignment", args=[cohort.pk, theirs.pk])
    assert instructor_client.get(url).status_code == 404
