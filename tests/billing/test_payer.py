"""The demo payer's rules, one test each through `adjudicate`, and the 835's
balancing over any claim."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from billing.engine.claim import (
    Claim,
    ClaimForm,
    Institutional,
    Insurance,
    Person,
    ServiceLine,
)
from billing.engine.payer import (
    ADDON_WITHOUT_PRIMARY,
    AUTHORIZATION_ABSENT,
    INPATIENT_UNPRICED,
    RULES,
    SERVICE_DATE_MISSING,
    adjudicate,
)
from billing.engine.reference import (
    CodeCheck,
    CodeEdit,
    Coverage,
    CoveragePolicy,
    Payer,
)
from billing.engine.remittance import (
    ClaimStatus,
    DenialAction,
    DenialCategory,
    Group,
)

SERVICE = date(2026, 3, 2)
FEES = {
    ("99213", ""): Decimal("90.00"),
    ("82306", ""): Decimal("40.00"),
    ("64483", ""): Decimal("270.00"),
    ("64484", ""): Decimal("110.00"),
    ("70551", ""): Decimal("250.00"),
    ("70551", "26"): Decimal("80.00"),
    ("43235", ""): Decimal("220.00"),
    ("43239", ""): Decimal("255.00"),
    ("20610", ""): Decimal("70.00"),
    ("93000", ""): Decimal("20.00"),
    ("99396", ""): Decimal("135.00"),
    ("90471", ""): Decimal("25.00"),
    ("90686", ""): Decimal("20.00"),
}
VITAMIN_D = CoveragePolicy(
    id="T-LCD-1",
    title="Vitamin D",
    codes=frozenset({"82306"}),
    diagnosis_prefixes=("E55", "N18"),
)
INJECTION_REVIEW = CoveragePolicy(
    id="T-PPO-1",
    title="Injection review",
    codes=frozenset({"64483"}),
    diagnosis_prefixes=("M54.1",),
    published=False,
    records_review=True,
)
PAYER = Payer(
    id="TESTPPO",
    name="Test PPO",
    plan_types=("CI",),
    filing_limit_days=180,
    fee_factor=Decimal("1.25"),
    authorization_codes=frozenset({"70551"}),
    policies=(VITAMIN_D, INJECTION_REVIEW),
    inpatient_percent_of_charges=Decimal("60"),
)
COVERAGE = Coverage(
    member_id="TST123456",
    last_name="RIVERA",
    first_name="ANA",
    birth_date=date(1970, 5, 6),
    effective=date(2026, 1, 1),
)


@dataclass
class FakeReference:
    invalid: frozenset[str] = frozenset()
    edits: list[CodeEdit] = field(default_factory=list)
    addons: dict[str, frozenset[str]] = field(default_factory=dict)
    edit_calls: list[dict] = field(default_factory=list)

    def code_check(self, system, code, on):
        if code in self.invalid:
            return CodeCheck(False, "deleted")
        return CodeCheck(True)

    def code_edits(self, **kwargs):
        self.edit_calls.append(kwargs)
        return list(self.edits)

    def addon_primaries(self, code):
        return self.addons.get(code)

    def payer(self, payer_id):
        return PAYER if payer_id == PAYER.id else None

    def fee(self, code, modifiers):
        component = next((m for m in modifiers if m in {"26", "TC"}), "")
        return FEES.get((code, component))


def line(code="99213", charge="150.00", units="1", **boxes):
    return ServiceLine(
        service_date=boxes.pop("service_date", SERVICE.isoformat()),
        code=code,
        charge=charge,
        units=units,
        pointers=boxes.pop("pointers", ("A",)),
        **boxes,
    )


def make_claim(*lines, diagnoses=("E55.9",), **fields):
    insurance = fields.pop(
        "insurance",
        Insurance(
            payer_id=PAYER.id,
            member_id="TST123456",
            relationship="18",
            insured=Person(
                last_name="Rivera", first_name="Ana", birth_date="1970-05-06"
            ),
        ),
    )
    return Claim(
        patient_control_number=fields.pop("patient_control_number", "PCN-1"),
        patient=Person(last_name="Rivera", first_name="Ana", birth_date="1970-05-06"),
        insurance=insurance,
        diagnoses=diagnoses,
        lines=lines or (line(),),
        **fields,
    )


def run(
    claim,
    *,
    coverage=COVERAGE,
    reference=None,
    submitted_on=None,
    earlier=(),
    payer=PAYER,
):
    return adjudicate(
        claim,
        coverage=coverage,
        payer=payer,
        reference=reference or FakeReference(),
        submitted_on=submitted_on or date(2026, 3, 9),
        earlier_claims=earlier,
        claim_number="TC-0001",
        paid_on=date(2026, 3, 23),
    )


def cas(line_remittance):
    return [(a.group, a.reason, a.amount) for a in line_remittance.adjustments]


def assert_balanced(remittance):
    for ln in remittance.lines:
        assert ln.charge == ln.paid + sum(a.amount for a in ln.adjustments)
    assert remittance.charge == sum(ln.charge for ln in remittance.lines)
    assert remittance.paid == sum(ln.paid for ln in remittance.lines)
    patient_share = sum(
        a.amount for ln in remittance.lines for a in ln.adjustments if a.group == "PR"
    )
    assert remittance.patient_responsibility == patient_share


def only_denial(remittance):
    [(line_number, denial)] = remittance.denials()
    return line_number, denial


# Claim-level rules


def test_identity_mismatch_denies_the_claim_co31():
    insurance = make_claim().insurance.model_copy(update={"member_id": "TST999999"})
    remittance = run(make_claim(insurance=insurance))
    assert remittance.status == ClaimStatus.DENIED
    assert remittance.claim_denial.rule == "identity"
    assert remittance.claim_denial.category == DenialCategory.ELIGIBILITY
    assert remittance.claim_denial.action == DenialAction.CORRECTED_CLAIM
    assert "member ID" in remittance.claim_denial.explanation
    assert cas(remittance.lines[0]) == [(Group.CONTRACTUAL, "31", Decimal("150.00"))]
    assert remittance.paid == 0
    assert_balanced(remittance)


def test_identity_reads_the_patient_when_self_and_insured_boxes_are_blank():
    insurance = make_claim().insurance.model_copy(update={"insured": Person()})
    remittance = run(make_claim(insurance=insurance))
    assert remittance.claim_denial is None


def test_identity_mismatch_on_birth_date():
    insured = Person(last_name="RIVERA", first_name="ANA", birth_date="1970-06-05")
    insurance = make_claim().insurance.model_copy(update={"insured": insured})
    denial = run(make_claim(insurance=insurance)).claim_denial
    assert denial.rule == "identity"
    assert denial.explanation.count("birth date") == 1


def test_filed_after_the_limit_denies_co29():
    remittance = run(make_claim(), submitted_on=date(2026, 8, 30))  # day 181
    assert remittance.claim_denial.rule == "timely_filing"
    assert remittance.claim_denial.category == DenialCategory.TIMELY_FILING
    assert remittance.claim_denial.action == DenialAction.WRITE_OFF
    assert cas(remittance.lines[0])[0][:2] == (Group.CONTRACTUAL, "29")


def test_filed_on_the_last_day_is_timely():
    remittance = run(make_claim(), submitted_on=date(2026, 8, 29))  # day 180
    assert remittance.claim_denial is None


def test_an_original_already_on_file_is_a_duplicate_oa18_n522():
    remittance = run(make_claim(), earlier=("PCN-1",))
    assert remittance.claim_denial.rule == "duplicate"
    assert remittance.claim_denial.category == DenialCategory.DUPLICATE
    assert remittance.claim_remarks == ("N522",)
    assert cas(remittance.lines[0])[0][:2] == (Group.OTHER, "18")
    assert remittance.status == ClaimStatus.DENIED


def test_a_replacement_is_processed_normally():
    claim = make_claim(frequency="7", original_reference="TC-0000")
    remittance = run(claim, earlier=("PCN-1",))
    assert remittance.denials() == []
    assert remittance.status == ClaimStatus.PROCESSED_PRIMARY


def test_a_void_reverses_the_claim_with_every_amount_negated():
    original = run(make_claim(line(), line("82306", "60.00")))
    void = run(
        make_claim(line(), line("82306", "60.00"), frequency="8"), earlier=("PCN-1",)
    )
    assert void.status == ClaimStatus.REVERSAL
    assert void.denials() == []
    assert void.paid == -original.paid and void.charge == -original.charge
    assert [cas(ln) for ln in void.lines] == [
        [(g, r, -a) for g, r, a in cas(ln)] for ln in original.lines
    ]
    assert_balanced(void)


# Line-level rules


def test_unreadable_boxes_deny_the_line_co16():
    remittance = run(
        make_claim(
            line(service_date="03/02/2026"),
            line(charge="abc"),
            line(units="0"),
        )
    )
    assert [ln.denial.rule for ln in remittance.lines] == [
        "service_date",
        "charge",
        "units",
    ]
    assert [ln.remarks for ln in remittance.lines] == [("M52",), ("M79",), ("M53",)]
    assert remittance.lines[1].charge == 0
    assert_balanced(remittance)


def test_service_before_coverage_is_the_patients_pr26():
    coverage = Coverage(**{**COVERAGE.__dict__, "effective": date(2026, 4, 1)})
    remittance = run(make_claim(), coverage=coverage)
    _, denial = only_denial(remittance)
    assert denial.rule == "before_coverage"
    assert denial.action == DenialAction.BILL_PATIENT
    assert cas(remittance.lines[0]) == [(Group.PATIENT, "26", Decimal("150.00"))]
    assert remittance.patient_responsibility == Decimal("150.00")


def test_service_after_coverage_ended_is_the_patients_pr27():
    coverage = Coverage(**{**COVERAGE.__dict__, "terminated": date(2026, 2, 28)})
    remittance = run(make_claim(), coverage=coverage)
    _, denial = only_denial(remittance)
    assert denial.rule == "after_coverage"
    assert denial.category == DenialCategory.ELIGIBILITY
    assert cas(remittance.lines[0])[0][:2] == (Group.PATIENT, "27")


def test_code_invalid_on_the_date_denies_co181_n56():
    remittance = run(
        make_claim(), reference=FakeReference(invalid=frozenset({"99213"}))
    )
    _, denial = only_denial(remittance)
    assert denial.rule == "code_invalid"
    assert denial.category == DenialCategory.CODING
    assert "deleted" in denial.explanation
    assert remittance.lines[0].remarks == ("N56",)
    assert cas(remittance.lines[0])[0][:2] == (Group.CONTRACTUAL, "181")


def test_component_modifier_on_a_code_that_does_not_split_is_co4():
    remittance = run(make_claim(line(modifiers=("26",))))
    _, denial = only_denial(remittance)
    assert denial.rule == "component_modifier"
    assert cas(remittance.lines[0])[0][:2] == (Group.CONTRACTUAL, "4")


def test_professional_component_is_priced_from_its_own_row():
    remittance = run(
        make_claim(line("70551", "300.00", modifiers=("26",))),
        coverage=Coverage(**{**COVERAGE.__dict__, "authorizations": {"70551": "A1"}}),
    )
    assert remittance.lines[0].denial.rule == "authorization_number"
    claim = make_claim(
        line("70551", "300.00", modifiers=("26",)), prior_authorization="A1"
    )
    priced = run(
        claim,
        coverage=Coverage(**{**COVERAGE.__dict__, "authorizations": {"70551": "A1"}}),
    )
    assert priced.lines[0].allowed == Decimal("100.00")  # 80.00 x 1.25


def test_a_code_without_a_fee_is_co16_m51():
    remittance = run(make_claim(line("99499")))
    _, denial = only_denial(remittance)
    assert denial.rule == "unpriced"
    assert remittance.lines[0].remarks == ("M51",)


def test_ptp_column_two_is_denied_co97_m80():
    edit = CodeEdit("ptp", ("43239", "43235"), "43235 is bundled into 43239.")
    remittance = run(
        make_claim(line("43239", "400.00"), line("43235", "300.00")),
        reference=FakeReference(edits=[edit]),
    )
    line_number, denial = only_denial(remittance)
    assert (line_number, denial.rule) == (2, "ptp")
    assert remittance.lines[1].remarks == ("M80",)
    assert cas(remittance.lines[1]) == [(Group.CONTRACTUAL, "97", Decimal("300.00"))]
    assert remittance.status == ClaimStatus.PROCESSED_PRIMARY


def test_a_bypassed_ptp_edit_pays_both_lines():
    edit = CodeEdit("ptp", ("43239", "43235"), "bypassed by XS", blocking=False)
    remittance = run(
        make_claim(line("43239", "400.00"), line("43235", "300.00", modifiers=("XS",))),
        reference=FakeReference(edits=[edit]),
    )
    assert remittance.denials() == []


def test_mue_exceeded_denies_the_line_co151_n362():
    edit = CodeEdit("mue", ("20610",), "20610: 3 units exceed the MUE of 2.")
    reference = FakeReference(edits=[edit])
    remittance = run(
        make_claim(line("20610", "300.00", units="3")), reference=reference
    )
    _, denial = only_denial(remittance)
    assert denial.rule == "mue"
    assert remittance.lines[0].remarks == ("N362",)
    assert cas(remittance.lines[0])[0][:2] == (Group.CONTRACTUAL, "151")
    assert reference.edit_calls[0]["lines"] == [("20610", (), 3)]
    assert reference.edit_calls[0]["age"] == 55


def test_addon_without_its_primary_is_co107_n122():
    reference = FakeReference(addons={"64484": frozenset({"64483"})})
    remittance = run(make_claim(line("64484", "200.00")), reference=reference)
    _, denial = only_denial(remittance)
    assert denial.rule == "addon_without_primary"
    assert denial.explanation == ADDON_WITHOUT_PRIMARY.format(
        line=1, code="64484", primaries="64483"
    )
    assert remittance.lines[0].remarks == ("N122",)


def test_addon_with_its_primary_on_the_same_day_passes_the_rule():
    reference = FakeReference(addons={"64484": frozenset({"64483"})})
    claim = make_claim(
        line("64483", "400.00"), line("64484", "200.00"), diagnoses=("M54.16",)
    )
    remittance = run(claim.model_copy(update={"frequency": "7"}), reference=reference)
    assert remittance.denials() == []


def test_authorization_absent_is_co197_written_off():
    remittance = run(make_claim(line("70551", "400.00")))
    _, denial = only_denial(remittance)
    assert denial.rule == "authorization_absent"
    assert denial.category == DenialCategory.AUTHORIZATION
    assert denial.action == DenialAction.WRITE_OFF
    assert denial.explanation == AUTHORIZATION_ABSENT.format(
        line=1, payer="Test PPO", code="70551"
    )
    assert cas(remittance.lines[0]) == [(Group.CONTRACTUAL, "197", Decimal("400.00"))]


def test_authorization_on_file_but_not_on_the_claim_is_co16_m62():
    coverage = Coverage(**{**COVERAGE.__dict__, "authorizations": {"70551": "AUTH7"}})
    remittance = run(make_claim(line("70551", "400.00")), coverage=coverage)
    _, denial = only_denial(remittance)
    assert denial.rule == "authorization_number"
    assert denial.action == DenialAction.CORRECTED_CLAIM
    assert remittance.lines[0].remarks == ("M62",)
    claim = make_claim(line("70551", "400.00"), prior_authorization="auth7")
    assert run(claim, coverage=coverage).denials() == []


def test_policy_not_met_by_the_pointed_diagnosis_is_co50_n115():
    claim = make_claim(
        line("82306", "60.00", pointers=("B",)), diagnoses=("E55.9", "R53.83")
    )
    remittance = run(claim)
    _, denial = only_denial(remittance)
    assert denial.rule == "medical_necessity"
    assert denial.category == DenialCategory.MEDICAL_NECESSITY
    assert "R53.83" in denial.explanation and "T-LCD-1" in denial.explanation
    assert remittance.lines[0].remarks == ("N115",)
    assert cas(remittance.lines[0])[0][:2] == (Group.CONTRACTUAL, "50")


def test_policy_met_by_a_pointed_diagnosis_pays():
    claim = make_claim(
        line("82306", "60.00", pointers=("B", "A")), diagnoses=("R53.83", "N18.30")
    )
    assert run(claim).denials() == []


def test_records_review_policy_denies_an_original_co50_m127_for_appeal():
    claim = make_claim(line("64483", "400.00"), diagnoses=("M54.16",))
    remittance = run(claim)
    _, denial = only_denial(remittance)
    assert denial.rule == "records_review"
    assert denial.action == DenialAction.APPEAL
    assert remittance.lines[0].remarks == ("M127",)
    replacement = claim.model_copy(update={"frequency": "7"})
    assert run(replacement).denials() == []


# Pricing and the patient's share


def test_pricing_contractual_copay_deductible_coinsurance():
    coverage = Coverage(
        **{
            **COVERAGE.__dict__,
            "copay": Decimal("20.00"),
            "deductible_remaining": Decimal("50.00"),
            "coinsurance_percent": 20,
        }
    )
    claim = make_claim(
        line("99213", "150.00"), line("82306", "60.00"), line("93000", "20.00")
    )
    remittance = run(claim, coverage=coverage)
    visit, assay, ecg = remittance.lines
    # 99213: allowed 112.50; copay 20.00; deductible 50.00; 20% of 42.50.
    assert visit.allowed == Decimal("112.50")
    assert cas(visit) == [
        (Group.CONTRACTUAL, "45", Decimal("37.50")),
        (Group.PATIENT, "3", Decimal("20.00")),
        (Group.PATIENT, "1", Decimal("50.00")),
        (Group.PATIENT, "2", Decimal("8.50")),
    ]
    assert visit.paid == Decimal("34.00")
    # 82306: allowed 50.00, deductible already met: 20% coinsurance only.
    assert cas(assay) == [
        (Group.CONTRACTUAL, "45", Decimal("10.00")),
        (Group.PATIENT, "2", Decimal("10.00")),
    ]
    # 93000: the charge is below the fee times the factor, so it is the allowed.
    assert ecg.allowed == Decimal("20.00")
    assert cas(ecg) == [(Group.PATIENT, "2", Decimal("4.00"))]
    assert remittance.patient_responsibility == Decimal("92.50")
    assert_balanced(remittance)


def test_copay_is_taken_once_and_only_on_a_visit():
    coverage = Coverage(
        **{**COVERAGE.__dict__, "copay": Decimal("20.00"), "coinsurance_percent": 0}
    )
    claim = make_claim(
        line("82306", "60.00"),
        line("99213", "150.00"),
        line("99213", "150.00", modifiers=("25",)),
    )
    reasons = [
        [a.reason for a in ln.adjustments] for ln in run(claim, coverage=coverage).lines
    ]
    assert reasons == [["45"], ["45", "3"], ["45"]]


def test_patient_amounts_are_whole_cents():
    coverage = Coverage(
        **{
            **COVERAGE.__dict__,
            "copay": Decimal("5"),
            "deductible_remaining": Decimal("30"),
        }
    )
    remittance = run(make_claim(), coverage=coverage)
    amounts = [str(a.amount) for a in remittance.lines[0].adjustments]
    assert amounts == ["37.50", "5.00", "30.00", "15.50"]


def test_units_multiply_the_fee():
    remittance = run(make_claim(line("93000", "100.00", units="3")))
    assert remittance.lines[0].allowed == Decimal("75.00")


def test_every_line_denied_is_status_4():
    remittance = run(make_claim(line("70551", "400.00"), line("99499", "10.00")))
    assert remittance.status == ClaimStatus.DENIED
    assert remittance.claim_denial is None and len(remittance.denials()) == 2


def test_every_denial_rule_has_a_category_and_an_action():
    for rule in RULES.values():
        assert (rule.category is None) == (rule.action is None), rule.name
        assert rule.source, rule.name


# Balance over any claim

codes = st.sampled_from(sorted({code for code, _ in FEES} | {"99499", "64484"}))
lines = st.builds(
    line,
    code=codes,
    charge=st.one_of(
        st.decimals("0", "2000", places=2).map(str), st.sampled_from(["", "x"])
    ),
    units=st.sampled_from(["1", "2", "3", "0", ""]),
    modifiers=st.sampled_from([(), ("26",), ("TC",), ("XS",)]),
    pointers=st.sampled_from([("A",), ("B",), ()]),
)


@given(
    claim_lines=st.lists(lines, min_size=1, max_size=6),
    frequency=st.sampled_from(["1", "7", "8"]),
    deductible=st.decimals("0", "500", places=2),
    coinsurance=st.integers(0, 100),
    copay=st.decimals("0", "60", places=2),
    duplicate=st.booleans(),
)
def test_every_remittance_balances(
    claim_lines, frequency, deductible, coinsurance, copay, duplicate
):
    coverage = Coverage(
        **{
            **COVERAGE.__dict__,
            "deductible_remaining": deductible,
            "coinsurance_percent": coinsurance,
            "copay": copay,
        }
    )
    reference = FakeReference(
        edits=[CodeEdit("ptp", ("43239", "43235"), "bundled")],
        addons={"64484": frozenset({"64483"})},
    )
    claim = make_claim(*claim_lines, diagnoses=("E55.9", "M54.16"), frequency=frequency)
    remittance = run(
        claim,
        coverage=coverage,
        reference=reference,
        earlier=("PCN-1",) if duplicate else (),
    )
    assert_balanced(remittance)
    if frequency != "8":
        assert all(ln.paid >= 0 and ln.allowed <= ln.charge for ln in remittance.lines)
        assert (
            sum(
                a.amount
                for ln in remittance.lines
                for a in ln.adjustments
                if a.reason == "1"
            )
            <= deductible
        )


# Inpatient stays (UB-04, type of bill 011x)


def stay_line(revenue_code, charge, units="1", **boxes):
    return ServiceLine(revenue_code=revenue_code, charge=charge, units=units, **boxes)


def facility_claim(*lines, type_of_bill="0111", start="2026-03-02", end="2026-03-04"):
    return make_claim(
        *lines,
        diagnoses=(),
        form=ClaimForm.UB04,
        institutional=Institutional(
            type_of_bill=type_of_bill,
            statement_from=start,
            statement_to=end,
            admission_date=start,
        ),
    )


def test_an_inpatient_stay_is_paid_at_the_percent_of_charges_by_revenue_code():
    coverage = Coverage(
        **{
            **COVERAGE.__dict__,
            "copay": Decimal("20.00"),
            "deductible_remaining": Decimal("500.00"),
            "coinsurance_percent": 20,
        }
    )
    claim = facility_claim(
        stay_line("0120", "2900.00", units="2"),
        stay_line("0250", "640.00"),
        stay_line("0360", "6800.00"),
    )
    remittance = run(claim, coverage=coverage)
    room, pharmacy, operating_room = remittance.lines
    assert remittance.status == ClaimStatus.PROCESSED_PRIMARY
    assert remittance.denials() == []
    # 60% of each charge; the deductible on the first line, 20% of the rest.
    assert room.allowed == Decimal("1740.00")
    assert cas(room) == [
        (Group.CONTRACTUAL, "45", Decimal("1160.00")),
        (Group.PATIENT, "1", Decimal("500.00")),
        (Group.PATIENT, "2", Decimal("248.00")),
    ]
    assert cas(pharmacy) == [
        (Group.CONTRACTUAL, "45", Decimal("256.00")),
        (Group.PATIENT, "2", Decimal("76.80")),
    ]
    assert operating_room.paid == Decimal("3264.00")
    assert [ln.revenue_code for ln in remittance.lines] == ["0120", "0250", "0360"]
    assert (remittance.statement_from, remittance.statement_to) == (
        "2026-03-02",
        "2026-03-04",
    )
    assert_balanced(remittance)


def test_an_inpatient_stay_skips_the_code_rules():
    reference = FakeReference(edits=[CodeEdit("mue", ("70551",), "too many")])
    claim = facility_claim(stay_line("0610", "900.00", code="70551"))
    remittance = run(claim, reference=reference)
    assert remittance.denials() == []
    assert remittance.lines[0].allowed == Decimal("540.00")
    assert reference.edit_calls == []


def test_an_inpatient_stay_without_a_contract_rate_is_unpriced():
    payer = Payer(**{**PAYER.__dict__, "inpatient_percent_of_charges": None})
    remittance = run(facility_claim(stay_line("0120", "1450.00")), payer=payer)
    line_number, denial = only_denial(remittance)
    assert denial.rule == "unpriced"
    assert denial.explanation == INPATIENT_UNPRICED.format(
        line=1, code="", service_date="2026-03-02", payer=PAYER.name
    )


def test_an_inpatient_stay_before_coverage_is_the_patients_pr26():
    remittance = run(
        facility_claim(
            stay_line("0120", "1450.00"), start="2025-12-30", end="2026-01-02"
        )
    )
    assert [cas(ln) for ln in remittance.lines] == [
        [(Group.PATIENT, "26", Decimal("1450.00"))]
    ]


def test_an_inpatient_stay_is_timed_from_its_through_date():
    claim = facility_claim(
        stay_line("0120", "1450.00"), start="2026-02-20", end="2026-03-02"
    )
    assert run(claim, submitted_on=date(2026, 8, 29)).claim_denial is None
    late = run(claim, submitted_on=date(2026, 8, 30))
    assert late.claim_denial.rule == "timely_filing"


def test_an_outpatient_facility_line_still_needs_its_date():
    claim = facility_claim(
        stay_line("0610", "900.00", code="70551"), type_of_bill="0131"
    )
    line_number, denial = only_denial(run(claim))
    assert denial.explanation == SERVICE_DATE_MISSING.format(line=1, value="")


# Bilateral surgery and preventive services


def test_modifier_50_is_one_line_paid_at_150_percent_of_the_fee():
    remittance = run(make_claim(line("20610", "320.00", modifiers=("50",))))
    # 70.00 x 150% x 1.25
    assert remittance.lines[0].allowed == Decimal("131.25")
    assert cas(remittance.lines[0])[0] == (
        Group.CONTRACTUAL,
        "45",
        Decimal("188.75"),
    )


def test_preventive_lines_carry_no_patient_share_and_no_copay():
    coverage = Coverage(
        **{
            **COVERAGE.__dict__,
            "copay": Decimal("20.00"),
            "deductible_remaining": Decimal("50.00"),
            "coinsurance_percent": 20,
        }
    )
    claim = make_claim(
        line("99396", "210.00"),
        line("90686", "38.00"),
        line("90471", "35.00"),
        line("99213", "150.00", modifiers=("25",)),
    )
    remittance = run(claim, coverage=coverage)
    visit, vaccine, administration, problem_visit = remittance.lines
    for preventive in (visit, vaccine, administration):
        assert [a.group for a in preventive.adjustments] == [Group.CONTRACTUAL]
        assert preventive.paid == preventive.allowed
    # The copay and the deductible fall on the problem-oriented visit.
    assert [a.reason for a in problem_visit.adjustments] == ["45", "3", "1", "2"]
    assert_balanced(remittance)
