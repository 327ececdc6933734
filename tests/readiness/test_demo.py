from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.roles import Role
from case_studies.bundles import bundle_import
from grading.models import GradedResponse
from readiness.demo import DEMO_LEARNER
from readiness.models import ReadinessSnapshot
from tests.case_studies.conftest import bundle, load_small_code_sets
from tests.support.accounts import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    load_small_code_sets()
    bundle_import(bundle("outpatient.json"))
    bundle_import(bundle("inpatient.json"))
    return make_user(DEMO_LEARNER, Role.LEARNER)


def run() -> str:
    out = StringIO()
    call_command("load_demo_readiness", stdout=out)
    return out.getvalue()


def test_demo_readiness_is_built_through_the_ledger_and_is_idempotent(demo, client):
    from tests.support.accounts import PASSWORD

    assert "2 new graded answers" in run()
    rows = GradedResponse.objects.filter(learner=demo)
    assert rows.count() == 2
    assert ReadinessSnapshot.objects.filter(learner=demo).exists()
    before = list(ReadinessSnapshot.objects.filter(learner=demo).values())
    assert "0 new graded answers" in run()
    assert rows.count() == 2
    assert list(ReadinessSnapshot.objects.filter(learner=demo).values()) == before
    client.login(username=DEMO_LEARNER, password=PASSWORD)
    certification = ReadinessSnapshot.objects.filter(learner=demo).first()
    page = client.get(f"/readiness/{certification.certification.slug}/")
    assert page.status_code == 200
    assert "to begin estimating" in page.content.decode()
    assert client.get("/dashboard/").status_code == 200


def test_demo_needs_the_demo_learner(db):
    with pytest.raises(CommandError, match="create_demo_accounts"):
        run()
