"""A course lists as instructors the users the instruct permission is granted
to, by any group or directly, never by a group's name."""

import pytest
from django.contrib.auth.models import Permission
from django.forms import modelform_factory

from courses.models import CourseInstructor

pytestmark = pytest.mark.django_db


def instructor_choices():
    form = modelform_factory(CourseInstructor, fields=["user"])()
    return set(form.fields["user"].queryset)


def test_instructors_by_group_or_by_direct_grant_are_offered_learners_not(
    learner, other_learner, instructor
):
    other_learner.user_permissions.add(
        Permission.objects.get(content_type__app_label="accounts", codename="instruct")
    )
    offered = instructor_choices()
    assert instructor in offered and other_learner in offered
    assert learner not in offered


def test_an_inactive_instructor_is_not_offered(instructor):
    instructor.is_active = False
    instructor.save(update_fields=["is_active"])
    assert instructor not in instructor_choices()
