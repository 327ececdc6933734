"""The content linter reads billing scenarios: the codes of a claim key like any
key's, and whatever would keep a scenario from publishing."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from billing.models import BillingScenarioPage

pytestmark = pytest.mark.usefixtures("billing_world")


def test_the_demo_like_scenarios_have_no_findings(capsys):
    call_command("check_content")
    assert "no findings" in capsys.readouterr().out


def test_an_excludes1_pair_in_a_claim_key_is_found(capsys):
    page = BillingScenarioPage.objects.get(slug="test-epidural-claim")
    key = page.claim_key
    # M54.17 (radiculopathy, lumbosacral) is Excludes1 under M54.1 for M51.1-.
    key["claim"]["diagnoses"] = ["M51.17", "M54.17"]
    BillingScenarioPage.objects.filter(pk=page.pk).update(claim_key=key)
    with pytest.raises(CommandError):
        call_command("check_content")
    out = capsys.readouterr().out
    assert "billing scenario test-epidural-claim: M54.17, M51.17" in out
    assert "[excludes1;" in out


def test_a_scrub_scenario_whose_edits_are_not_the_scrubbers_is_found(capsys):
    BillingScenarioPage.objects.filter(slug="test-epidural-scrub").update(
        expected_edits=["ncci-ptp"]
    )
    with pytest.raises(CommandError):
        call_command("check_content")
    out = capsys.readouterr().out
    assert "billing scenario test-epidural-scrub" in out
    assert "[billing-scenario;" in out


def test_a_scenario_whose_fields_no_longer_parse_is_a_finding_not_a_crash(capsys):
    BillingScenarioPage.objects.filter(slug="test-knee-remittance").update(
        registration={"patient": "nobody"}
    )
    with pytest.raises(CommandError):
        call_command("check_content")
    out = capsys.readouterr().out
    assert "billing scenario test-knee-remittance: -: registration" in out
