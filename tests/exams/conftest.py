"""The exams tests' own small bank and blueprints, loaded through the command."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from exams.models import Blueprint

DATA = Path(__file__).parent / "data"


def load_test_exams() -> str:
    out = StringIO()
    call_command("load_demo_exams", path=DATA, stdout=out)
    return out.getvalue()


@pytest.fixture
def exams(db):
    load_test_exams()
    return {blueprint.slug: blueprint for blueprint in Blueprint.objects.all()}


@pytest.fixture
def cpc(exams):
    return exams["test-cpc"]


@pytest.fixture
def short(exams):
    return exams["test-short"]
