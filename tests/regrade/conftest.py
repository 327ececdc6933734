"""Code sets, accounts and Celery run in-process for the regrade tests."""

import pytest

from accounts.roles import Role
from coderacademy.celery import app
from codesets.models import Release
from tests.case_studies.conftest import load_small_code_sets
from tests.support.accounts import make_user


@pytest.fixture(scope="package")
def code_sets(django_db_setup, django_db_blocker):
    """Committed for the package, removed after it."""
    with django_db_blocker.unblock():
        load_small_code_sets()
        yield
        Release.objects.all().delete()


@pytest.fixture
def reviewer(db):
    return make_user("second.instructor@example.test", Role.INSTRUCTOR)


@pytest.fixture
def third_learner(db):
    return make_user("third.learner@example.test", Role.LEARNER)


@pytest.fixture
def eager_tasks(settings, monkeypatch):
    """Tasks queued with core.tasks.enqueue run at once, in this process."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    monkeypatch.setattr(app.conf, "task_always_eager", True)


def publish_through_review(obj, *, author, reviewer):
    """Save `obj` (a case page or an exam question) as a revision by `author`,
    submit it to the "Answer key review" workflow and have `reviewer` approve it,
    which publishes it."""
    obj.save_revision(user=author)
    obj.get_workflow().start(obj, author)
    obj.refresh_from_db()
    task_state = obj.current_workflow_task_state
    task_state.task.specific.on_action(task_state, reviewer, "approve")
    obj.refresh_from_db()


@pytest.fixture
def regraded_signals():
    """The keyword arguments of each `responses_regraded` sent."""
    from grading.signals import responses_regraded

    sent = []

    def receiver(sender, **kwargs):
        sent.append(kwargs)

    responses_regraded.connect(receiver, dispatch_uid="tests_regrade_capture")
    yield sent
    responses_regraded.disconnect(dispatch_uid="tests_regrade_capture")
