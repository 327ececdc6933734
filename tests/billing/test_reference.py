"""`DatabaseReference`: the billing engine's look-ups answered from the code sets,
the add-on code list and the demo payer data."""

import csv
import sys
from datetime import date
from decimal import Decimal
from types import ModuleType

import pytest

from billing.engine.claim import Claim, ServiceLine
from billing.engine.reference import CodeEdit
from billing.engine.scrubber import scrub
from billing.reference import ADDON_CODES_FILE, DatabaseReference, addon_codes
from codeformats import CodeSystem, check_format
from codesets import edits, validation
from codesets.factories import ReleaseFactory
from codesets.models import PtpEdit

DOS = date(2026, 3, 2)


@pytest.fixture
def releases(db):
    """An ICD-10-CM release with E11 and E11.9, a demo (unlicensed) CPT list
    with 99213, and an NCCI PTP release with one pair."""
    ReleaseFactory(
        system=CodeSystem.ICD10CM,
        codes=[
            {"code": "E11", "billable": False},
            {"code": "E119", "parent": "E11"},
        ],
    )
    ReleaseFactory(system=CodeSystem.CPT, codes=[{"code": "99213"}])
    ptp = ReleaseFactory(system="ncci_ptp")
    PtpEdit.objects.create(
        release=ptp,
        column1="45380",
        column2="45378",
        effective_on=date(2025, 1, 1),
        modifier_indicator=PtpEdit.ModifierIndicator.NOT_ALLOWED,
        digest="45380-45378",
    )


def test_a_billable_code_in_force_is_valid(releases):
    assert DatabaseReference().code_check("icd10cm", "E11.9", DOS).valid


def test_a_header_is_invalid_with_the_code_sets_message(releases):
    check = DatabaseReference().code_check("icd10cm", "E11", DOS)
    assert not check.valid
    assert check.message == validation.HEADER.format(display="E11", examples="E11.9")


def test_a_cpt_code_outside_the_demo_list_is_valid_by_format_alone(releases):
    check = DatabaseReference().code_check("cpt", "99214", DOS)
    assert check.valid
    assert check.message == validation.CPT_UNVERIFIED.format(display="99214")


def test_a_code_with_no_release_in_force_is_invalid(releases):
    check = DatabaseReference().code_check("hcpcs", "G0438", DOS)
    assert not check.valid
    assert check.message == validation.NO_RELEASE.format(
        label="HCPCS Level II", date=DOS.isoformat()
    )


def test_code_edits_come_from_codesets(releases):
    found = DatabaseReference().code_edits(
        on=DOS,
        diagnoses=[],
        lines=[("45380", (), 1), ("45378", ("59",), 1), ("59400", (), 1)],
        pcs_procedures=[],
        sex="M",
        age=40,
    )
    assert (
        CodeEdit(
            "ptp",
            ("45380", "45378"),
            edits.PTP_NEVER.format(column1="45380", column2="45378"),
        )
        in found
    )
    assert [edit.kind for edit in found if edit.codes == ("59400",)] == ["sex"]


def test_add_on_codes_and_their_primaries_come_from_the_data_file():
    reference = DatabaseReference()
    assert reference.addon_primaries("17003") == frozenset({"17000"})
    assert reference.addon_primaries("17000") is None


def test_the_add_on_file_lists_cpt_codes_only_each_with_a_source():
    with ADDON_CODES_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(addon_codes())
    for row in rows:
        codes = [row["addon"], *row["primaries"].split()]
        assert all(check_format(CodeSystem.CPT, code).code == code for code in codes)
        assert all(check_format(CodeSystem.CPT, code).ok for code in codes)
        assert row["source"] and row["addon"] not in row["primaries"].split()


def test_payer_and_fee_come_from_the_payer_data_module(monkeypatch):
    payer_data = ModuleType("billing.payer_data")
    payer_data.payer = {"DEMOPPO": "the demo PPO"}.get
    payer_data.fee = lambda code, modifiers: (
        Decimal("80.00") if code == "99213" else None
    )
    monkeypatch.setitem(sys.modules, "billing.payer_data", payer_data)
    reference = DatabaseReference()
    assert reference.payer("DEMOPPO") == "the demo PPO"
    assert reference.fee("99213", ()) == Decimal("80.00")
    assert reference.fee("99214", ("25",)) is None


def test_the_scrubber_flags_a_header_diagnosis_through_the_database(releases):
    claim = Claim(
        diagnoses=("E11",),
        lines=(
            ServiceLine(service_date=DOS.isoformat(), code="99213", pointers=("A",)),
        ),
    )
    flagged = [
        (edit.edit_id, edit.field)
        for edit in scrub(claim, DatabaseReference())
        if edit.category == "Code validity"
    ]
    assert flagged == [("invalid-diagnosis-code", "diagnoses.0")]
