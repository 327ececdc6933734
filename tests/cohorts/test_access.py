"""Every class and assignment URL is 404 to an instructor who does not teach the
class, and refused to a learner."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Assignment, Cohort
from cohorts.services import assignment_create, cohort_join


@pytest.fixture
def exam_assignment(cohort, instructor, blueprints, learner):
    cohort_join(cohort=cohort, learner=learner)
    return assignment_create(
        cohort=cohort,
        created_by=instructor,
        kind=Assignment.Kind.EXAM,
        title="Mock",
        instructions="",
        due_at=timezone.now() + timedelta(days=3),
        blueprint=blueprints["test-cpc"],
    )


def class_urls(cohort, assignment, learner):
    return [
        ("get", reverse("cohorts:detail", args=[cohort.pk])),
        ("post", reverse("cohorts:joining", args=[cohort.pk])),
        ("post", reverse("cohorts:code_renew", args=[cohort.pk])),
        ("post", reverse("cohorts:invite", args=[cohort.pk])),
        ("post", reverse("cohorts:remove_learner", args=[cohort.pk, learner.pk])),
        ("get", reverse("cohorts:assignment_create", args=[cohort.pk])),
        ("get", reverse("cohorts:assignment", args=[assignment.pk])),
        ("get", reverse("cohorts:assignment_edit", args=[assignment.pk])),
        ("post", reverse("cohorts:assignment_delete", args=[assignment.pk])),
        ("post", reverse("cohorts:accommodation_create", args=[assignment.pk])),
    ]


def test_another_instructor_gets_404_everywhere(
    other_instructor_client, cohort, exam_assignment, learner
):
    for method, url in class_urls(cohort, exam_assignment, learner):
        response = getattr(other_instructor_client, method)(url)
        assert response.status_code == 404, url
    cohort.refresh_from_db()
    assert cohort.joining_open and cohort.learners.count() == 1
    assert Assignment.objects.exists()
    listing = other_instructor_client.get(reverse("cohorts:list")).content.decode()
    assert cohort.name not in listing


def test_a_learner_is_refused_every_instructor_page(
    learner_client, cohort, exam_assignment, learner
):
    urls = [("get", reverse("cohorts:list")), ("get", reverse("cohorts:create"))]
    for method, url in urls + class_urls(cohort, exam_assignment, learner):
        response = getattr(learner_client, method)(url)
        assert response.status_code == 403, url
    assert Cohort.objects.get().learners.count() == 1
