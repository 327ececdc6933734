"""The demo as `make run` loads it, shared by the demo-site test and the
accessibility audit: loading it takes about two minutes, once for both (they run
on one worker, one after the other: tests/support/scheduling.py)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from accounts.demo import demo_user
from accounts.roles import Role


@pytest.fixture(scope="package")
def demo(code_sets, django_db_blocker):
    """The demo loaded once for this package's two modules, plus what a first
    visit adds (an exam attempt of the demo learner, an exam sitting the demo
    instructor runs), in a transaction rolled back after them. Each test's own
    changes are rolled back with it (pytest-django's savepoint)."""
    from exams.models import Blueprint, ExamSitting
    from exams.services import attempt_start

    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        learner, instructor = demo_user(Role.LEARNER), demo_user(Role.INSTRUCTOR)
        blueprint = Blueprint.objects.filter(published=True).order_by("slug").first()
        attempt_start(learner=learner, blueprint=blueprint)
        sitting = ExamSitting.objects.create(
            blueprint=blueprint,
            instructor=instructor,
            starts_at=timezone.now(),
            room="Demo room",
        )
        sitting.learners.add(learner)
        yield
        transaction.set_rollback(True)
