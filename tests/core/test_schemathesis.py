"""schemathesis over /api/openapi.json, in-process against the WSGI app: every
operation, anonymously and as a signed-in learner, must answer no 500 and only
statuses and bodies that its schema documents.

Nothing is excluded: the writes (starting, saving, flagging, submitting an attempt)
only touch the test's own learner and roll back with the test.
"""

import traceback

import hypothesis
import pytest
import schemathesis
from django.conf import settings
from django.core.signals import (
    got_request_exception,
    request_finished,
    request_started,
)
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.middleware.csrf import CSRF_SECRET_LENGTH
from django.utils.crypto import get_random_string
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from exams.models import Blueprint
from exams.services import attempt_start
from tests.exams.conftest import load_test_exams

EXAM = "test-short"

# What the API must hold to: no 500, and only documented statuses, content types and
# bodies. Invalid data is still generated (negative mode); pydantic's lax coercion
# of "1" to 1 or 0 to false is accepted, so negative_data_rejection is not asked for.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Bounded and repeatable: the same examples on every run, about two minutes in all.
FUZZ = hypothesis.settings(
    max_examples=20,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)


@pytest.fixture
def api_schema(db):
    # As Django's test client does: a request must not close the connection that
    # holds the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    # The session cookie is the test's own (none, or the learner's): generated or
    # removed ones would only test that a missing sign-in is refused, which
    # test_api_anonymously does.
    schema.config.generation.update(with_security_parameters=False)
    yield schema
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def server_errors():
    """The exceptions behind any 500, to show with the failure."""
    errors = []

    def record(sender, request, **kwargs):
        errors.append(traceback.format_exc())

    got_request_exception.connect(record)
    yield errors
    got_request_exception.disconnect(record)


def call_and_validate(case, errors, **kwargs):
    try:
        case.call_and_validate(checks=CHECKS, **kwargs)
    except Exception as failure:
        if errors:
            failure.add_note(errors[-1])
        raise


@pytest.fixture
def learner_session(client, learner):
    """The cookies and header of a learner's browser: a session and a CSRF token."""
    client.force_login(learner)
    token = get_random_string(CSRF_SECRET_LENGTH)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    cookies = {settings.SESSION_COOKIE_NAME: session, settings.CSRF_COOKIE_NAME: token}
    return {"cookies": cookies, "headers": {"X-CSRFToken": token}}


@pytest.fixture
def own_attempt_schema(api_schema, learner):
    """The schema with every path id naming the learner's own open exam attempt, so
    the fuzzed queries and bodies reach the code behind the look-up."""
    blueprint = Blueprint.objects.get(slug=EXAM)
    attempt = attempt_start(learner=learner, blueprint=blueprint)
    api_schema.config.update(
        parameters={
            "path.slug": EXAM,
            "path.attempt_id": attempt.pk,
            "path.position": 1,
        }
    )
    return api_schema


@pytest.fixture(autouse=True)
def _exams(db):
    load_test_exams()


schema = schemathesis.pytest.from_fixture("api_schema")
own_attempt = schemathesis.pytest.from_fixture("own_attempt_schema")


@schema.parametrize()
@FUZZ
def test_api_anonymously(case, server_errors):
    call_and_validate(case, server_errors)


@schema.parametrize()
@FUZZ
def test_api_as_a_learner(case, server_errors, learner_session):
    call_and_validate(case, server_errors, **learner_session)


@own_attempt.parametrize()
@FUZZ
def test_api_on_the_learners_own_attempt(case, server_errors, learner_session):
    call_and_validate(case, server_errors, **learner_session)
