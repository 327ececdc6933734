"""The demo payers' files load, hold together, and explain every code the payer
can send."""

import csv
from decimal import Decimal

from billing import payer_data
from billing.engine.payer import RULES

PAYER_IDS = {"DEMOMCR", "DEMOPPO", "DEMOMCD", "DEMOHMO"}


def test_every_payer_loads_with_its_plan_limit_and_factor():
    payers = payer_data.payers()
    assert set(payers) == PAYER_IDS
    expected = {
        "DEMOMCR": (("MB",), 365, Decimal("1.00")),
        "DEMOPPO": (("CI",), 180, Decimal("1.25")),
        "DEMOMCD": (("MC",), 365, Decimal("0.80")),
        "DEMOHMO": (("HM",), 90, Decimal("1.10")),
    }
    for payer_id, (plan_types, limit, factor) in expected.items():
        found = payers[payer_id]
        assert (found.plan_types, found.filing_limit_days, found.fee_factor) == (
            plan_types,
            limit,
            factor,
        )
    assert not payers["DEMOMCR"].authorization_codes
    assert {"70551", "72148", "73721"} <= payers["DEMOPPO"].authorization_codes


def test_payer_lookup_forgives_case_and_spaces():
    assert payer_data.payer(" demoppo ").id == "DEMOPPO"
    assert payer_data.payer("NOPAYER") is None


def test_policies_are_priced_and_unique():
    policies = [p for payer in payer_data.payers().values() for p in payer.policies]
    assert len({p.id for p in policies}) == len(policies)
    for policy in policies:
        assert policy.codes and policy.diagnosis_prefixes
        assert all(payer_data.fee(code) for code in policy.codes), policy.id


def test_ppo_has_an_unpublished_records_review_policy():
    hidden = [p for p in payer_data.payer("DEMOPPO").policies if not p.published]
    assert hidden and all(p.records_review for p in hidden)


def test_every_fee_is_positive_and_each_row_unique():
    with payer_data.FEE_SCHEDULE_FILE.open(encoding="utf-8", newline="") as handle:
        handle.readline()
        rows = list(csv.DictReader(handle))
    keys = [(row["code"], row["modifier"]) for row in rows]
    assert len(set(keys)) == len(keys)
    assert all(Decimal(row["allowed"]) > 0 for row in rows)
    assert {row["modifier"] for row in rows} == {"", "26", "TC"}


def test_components_add_up_to_the_global_fee():
    schedule = payer_data.fee_schedule()
    split = {code for code, modifier in schedule if modifier}
    for code in split:
        assert schedule[(code, "26")] + schedule[(code, "TC")] == schedule[(code, "")]


def test_fee_picks_the_component_row_the_line_carries():
    assert payer_data.fee("70551", ("26",)) == Decimal("80.00")
    assert payer_data.fee("70551", ("RT", "tc")) == Decimal("170.00")
    assert payer_data.fee("70551", ("59",)) == Decimal("250.00")
    assert payer_data.fee("99213", ("26",)) is None
    assert payer_data.fee("00000") is None


def test_every_code_the_payer_can_send_has_a_text():
    for rule in RULES.values():
        assert payer_data.carc_text(rule.reason), rule.name
        for remark in rule.remarks:
            assert payer_data.rarc_text(remark), (rule.name, remark)


def test_the_teaching_codes_have_texts():
    carcs = "1 2 3 4 5 11 16 18 22 23 27 29 31 45 50 96 97 107 109 119 151 167 170"
    carcs += " 181 182 183 185 197 204 234 236 252"
    rarcs = "M15 M20 M51 M76 M77 M80 M127 MA04 MA130 N4 N20 N115 N130 N211 N290"
    rarcs += " N362 N382 N517 N522 N657"
    assert all(payer_data.carc_text(code) for code in carcs.split())
    assert all(payer_data.rarc_text(code) for code in rarcs.split())
    assert payer_data.carc_text("999") is None
