"""The claim as an 837P/837I and the demo payer's 835: built by x12sdk, checked
by pyx12 against the 5010 TR3 maps, and read back. All people and NPIs are
fictional; the NPIs pass the check digit with prefix 80840."""

from datetime import datetime
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from x12sdk.io import X12ModelReader

from billing.engine.claim import (
    Address,
    Claim,
    FacilityDiagnosis,
    Institutional,
    Insurance,
    Occurrence,
    Person,
    Procedure,
    Provider,
    ServiceLine,
)
from billing.engine.npi import npi_is_valid
from billing.engine.remittance import (
    Adjustment,
    ClaimStatus,
    Group,
    LineRemittance,
    Remittance,
)
from billing.x12 import (
    PROBLEM_EMPTY,
    PROBLEM_ICD9_ERA,
    PROBLEM_MALFORMED,
    PROBLEM_POINTER,
    annotated_segments,
    build_835,
    build_837,
    parse_835,
    validate,
)

BILLING_NPI = "1234567893"
RENDERING_NPI = "1987654302"
ATTENDING_NPI = "1555000102"
CREATED = datetime(2026, 12, 1, 12, 0)
HOME = Address(line1="12 ELM ST", city="SPRINGFIELD", state="IL", zip="62704")
CLINIC = Address(line1="100 MAIN ST", city="SPRINGFIELD", state="IL", zip="627010001")


def professional_claim(**changes) -> Claim:
    claim = Claim(
        patient_control_number="PCN1001",
        patient=Person(
            last_name="Quill",
            first_name="Ada",
            birth_date="1984-03-09",
            sex="F",
            address=HOME,
        ),
        insurance=Insurance(
            payer_id="DEMOPPO",
            plan_type="CI",
            member_id="DPX00012345",
            relationship="18",
        ),
        diagnoses=("M17.11", "E11.9"),
        lines=(
            ServiceLine(
                service_date="2026-11-16",
                place_of_service="11",
                code="99214",
                modifiers=("25",),
                pointers=("B", "A"),
                charge="180.00",
                units="1",
                rendering_npi=RENDERING_NPI,
            ),
            ServiceLine(
                service_date="2026-11-16",
                place_of_service="11",
                code="20610",
                modifiers=("RT",),
                pointers=("A",),
                charge="150.00",
                units="1",
                rendering_npi=RENDERING_NPI,
            ),
        ),
        billing_provider=Provider(
            npi=BILLING_NPI,
            name="Maple Family Practice",
            tax_id="123456789",
            address=CLINIC,
        ),
        rendering_provider=Provider(npi=RENDERING_NPI, name="Fenn, Orla"),
    )
    return claim.model_copy(update=changes)


def facility_claim() -> Claim:
    return Claim(
        form="ub04",
        patient_control_number="IP2002",
        patient=Person(
            last_name="Quill",
            first_name="Ada",
            birth_date="1984-03-09",
            sex="F",
            address=HOME,
        ),
        insurance=Insurance(
            payer_id="DEMOPPO", plan_type="CI", member_id="DPX00012345"
        ),
        lines=(
            ServiceLine(
                service_date="2026-11-14",
                revenue_code="0120",
                charge="3000.00",
                units="3",
            ),
            ServiceLine(
                service_date="2026-11-14",
                revenue_code="0360",
                charge="5200.00",
                units="1",
            ),
        ),
        billing_provider=Provider(
            npi=BILLING_NPI,
            name="Springfield General Hospital",
            tax_id="123456789",
            address=CLINIC,
        ),
        institutional=Institutional(
            type_of_bill="0111",
            statement_from="2026-11-14",
            statement_to="2026-11-17",
            admission_date="2026-11-14",
            admission_type="1",
            admission_source="7",
            discharge_status="01",
            occurrence_codes=(Occurrence(code="11", date="2026-11-13"),),
            principal_diagnosis=FacilityDiagnosis(code="K35.80", poa="Y"),
            other_diagnoses=(
                FacilityDiagnosis(code="E11.9", poa="Y"),
                FacilityDiagnosis(code="I10", poa="1"),
            ),
            admitting_diagnosis="R10.31",
            procedures=(
                Procedure(code="0DTJ4ZZ", date="2026-11-14"),
                Procedure(code="0DJ08ZZ", date="2026-11-15"),
            ),
            attending=Provider(npi=ATTENDING_NPI, name="Fenn, Orla"),
        ),
    )


def remittance() -> Remittance:
    return Remittance(
        payer_id="DEMOPPO",
        payer_name="Demo PPO",
        patient_control_number="PCN1001",
        payer_claim_number="DP2026000123",
        status="1",
        paid_on="2026-12-01",
        charge=Decimal("330.00"),
        paid=Decimal("64.00"),
        patient_responsibility=Decimal("56.00"),
        plan_type="CI",
        patient_last_name="Quill",
        patient_first_name="Ada",
        member_id="DPX00012345",
        lines=(
            LineRemittance(
                line_number=1,
                code="99214",
                modifiers=("25",),
                service_date="2026-11-16",
                charge=Decimal("180.00"),
                allowed=Decimal("120.00"),
                paid=Decimal("64.00"),
                adjustments=(
                    Adjustment(group="CO", reason="45", amount=Decimal("60.00")),
                    Adjustment(group="PR", reason="1", amount=Decimal("40.00")),
                    Adjustment(group="PR", reason="2", amount=Decimal("16.00")),
                ),
            ),
            LineRemittance(
                line_number=2,
                code="20610",
                service_date="2026-11-16",
                charge=Decimal("150.00"),
                allowed=Decimal("0.00"),
                paid=Decimal("0.00"),
                adjustments=(
                    Adjustment(group="CO", reason="50", amount=Decimal("150.00")),
                ),
                remarks=("N115",),
            ),
        ),
    )


def build(claim: Claim):
    return build_837(claim, control_number=17, created=CREATED, payer_name="Demo PPO")


def read_back(text: str):
    with X12ModelReader(text) as reader:
        (transaction,) = list(reader.models())
    return transaction


def segment(text: str, prefix: str) -> list[str]:
    return [s.text for s in annotated_segments(text) if s.text.startswith(prefix)]


def test_cms1500_claim_becomes_a_valid_837p_that_reads_back():
    assert all(npi_is_valid(n) for n in (BILLING_NPI, RENDERING_NPI, ATTENDING_NPI))

    built = build(professional_claim())

    assert built.problems == ()
    assert validate(built.text) == ()
    transaction = read_back(built.text)
    (claim,) = list(transaction.claims())
    assert claim.patient_control_number == "PCN1001"
    assert claim.charge == Decimal("330.00")
    services = [line.sv1_segment for line in claim.service_lines]
    assert [s.product_service_id_qualifier for s in services] == [
        "HC:99214:25",
        "HC:20610:RT",
    ]
    assert [s.line_item_charge_amount for s in services] == [
        Decimal("180.00"),
        Decimal("150.00"),
    ]
    assert [s.composite_diagnosis_code_pointer for s in services] == ["2:1", "1"]
    assert segment(built.text, "HI") == ["HI*ABK:M1711*ABF:E119"]
    assert segment(built.text, "NM1*82") == [
        f"NM1*82*1*FENN*ORLA****XX*{RENDERING_NPI}"
    ]


def test_ub04_claim_becomes_a_valid_837i_that_reads_back():
    built = build(facility_claim())

    assert built.problems == ()
    assert validate(built.text) == ()
    (claim,) = list(read_back(built.text).claims())
    assert claim.charge == Decimal("8200.00")
    assert [
        line.sv2_segment.service_line_revenue_code for line in claim.service_lines
    ] == [
        "0120",
        "0360",
    ]
    assert segment(built.text, "CLM") == ["CLM*IP2002*8200.00***11:A:1**A*Y*Y"]
    assert segment(built.text, "CL1") == ["CL1*1*7*01"]
    assert segment(built.text, "HI") == [
        "HI*ABK:K3580:::::::Y",
        "HI*ABJ:R1031",
        # The paper form's exempt "1" is left empty in the 5010 837I.
        "HI*ABF:E119:::::::Y*ABF:I10",
        "HI*BBR:0DTJ4ZZ:D8:20261114",
        "HI*BBQ:0DJ08ZZ:D8:20261115",
        "HI*BH:11:D8:20261113",
    ]
    assert segment(built.text, "NM1*71") == [
        f"NM1*71*1*FENN*ORLA****XX*{ATTENDING_NPI}"
    ]


def test_replacement_claim_carries_the_original_reference():
    built = build(professional_claim(frequency="7", original_reference="DP2026000123"))

    assert validate(built.text) == ()
    assert segment(built.text, "CLM")[0].split("*")[5] == "11:B:7"
    assert segment(built.text, "REF*F8") == ["REF*F8*DP2026000123"]


def test_replacement_claim_without_the_original_reference_is_a_problem():
    built = build(professional_claim(frequency="7"))

    assert built.text is None
    assert built.problems == (
        PROBLEM_EMPTY.format(
            box="Box 22 (original ref. no.)",
            transaction="837P",
            where="REF02 (F8) of loop 2300",
        ),
    )


def test_incomplete_claim_gives_problems_not_an_exception():
    built = build(Claim())

    assert built.text is None
    assert (
        "Box 1a (insured's ID number) is empty: the 837P needs it in NM109 of "
        "loop 2010BA."
    ) in built.problems
    assert (
        PROBLEM_EMPTY.format(
            box="Box 33a (billing provider NPI)",
            transaction="837P",
            where="NM109 of loop 2010AA",
        )
        in built.problems
    )


def test_junk_in_boxes_is_named_in_the_learners_words():
    claim = professional_claim(diagnoses=("M17.11", "E11.9x!"))
    junk_line = claim.lines[1].model_copy(update={"charge": "lots", "pointers": ("D",)})
    claim = claim.model_copy(update={"lines": (claim.lines[0], junk_line)})

    built = build(claim)

    assert built.text is None
    assert (
        PROBLEM_MALFORMED.format(
            box="Box 24F (charges, line 2)",
            value="lots",
            expected="a dollar amount",
            transaction="837P",
            where="SV102 of SV1 of loop 2400 (line 2)",
        )
        in built.problems
    )
    assert PROBLEM_POINTER.format(line=2, value="D") in built.problems
    assert any(p.startswith("Box 21 B ('E11.9x!')") for p in built.problems)


def test_pointers_follow_the_filled_diagnosis_boxes():
    claim = professional_claim(diagnoses=("M17.11", "", "E11.9"))
    line = claim.lines[0].model_copy(update={"pointers": ("C",)})

    built = build(claim.model_copy(update={"lines": (line, claim.lines[1])}))

    assert validate(built.text) == ()
    assert segment(built.text, "SV1")[0].endswith("*11**2")


def test_dates_before_icd10_are_not_exported():
    line = (
        professional_claim().lines[0].model_copy(update={"service_date": "2015-09-30"})
    )

    built = build(professional_claim(lines=(line,)))

    assert built.problems == (PROBLEM_ICD9_ERA.format(line=1, value="2015-09-30"),)


def test_remittance_becomes_a_valid_835_that_parses_back():
    text = build_835(
        remittance(),
        control_number=21,
        created=datetime(2026, 12, 2, 9, 30),
        payee=Provider(npi=BILLING_NPI, name="Maple Family Practice"),
    )

    assert validate(text) == ()
    (claim,) = parse_835(text).claims
    assert (claim.patient_control_number, claim.status) == ("PCN1001", "1")
    assert (claim.charge, claim.paid, claim.patient_responsibility) == (
        Decimal("330.00"),
        Decimal("64.00"),
        Decimal("56.00"),
    )
    assert claim.payer_claim_number == "DP2026000123"
    paid_line, denied_line = claim.lines
    assert (paid_line.code, paid_line.modifiers) == ("99214", ("25",))
    assert [(a.group, a.reason, a.amount) for a in paid_line.adjustments] == [
        ("CO", "45", Decimal("60.00")),
        ("PR", "1", Decimal("40.00")),
        ("PR", "2", Decimal("16.00")),
    ]
    assert paid_line.remarks == ()
    assert (denied_line.code, denied_line.paid) == ("20610", Decimal("0.00"))
    assert [(a.group, a.reason, a.amount) for a in denied_line.adjustments] == [
        ("CO", "50", Decimal("150.00"))
    ]
    assert denied_line.remarks == ("N115",)


def test_claim_level_adjustments_and_remarks_round_trip():
    denied = remittance().model_copy(
        update={
            "status": ClaimStatus.DENIED,
            "paid": Decimal("0.00"),
            "patient_responsibility": Decimal("0.00"),
            "claim_adjustments": (
                Adjustment(
                    group=Group.CONTRACTUAL, reason="29", amount=Decimal("330.00")
                ),
            ),
            "claim_remarks": ("MA130",),
            "lines": (),
        }
    )

    text = build_835(
        denied,
        control_number=22,
        created=CREATED,
        payee=Provider(npi=BILLING_NPI, name="Maple Family Practice"),
    )

    assert validate(text) == ()
    (claim,) = parse_835(text).claims
    assert [(a.group, a.reason, a.amount) for a in claim.adjustments] == [
        ("CO", "29", Decimal("330.00"))
    ]
    assert claim.remarks == ("MA130",)


def test_835_with_a_wrong_segment_count_fails_validation():
    text = build_835(
        remittance(),
        control_number=21,
        created=CREATED,
        payee=Provider(npi=BILLING_NPI, name="Maple Family Practice"),
    )
    (trailer,) = segment(text, "SE*")
    _, count, control = trailer.split("*")
    wrong = text.replace(trailer, f"SE*{int(count) - 1}*{control}")

    errors = validate(wrong)

    assert errors
    assert any("SE count" in e.message for e in errors)


def test_every_segment_is_explained():
    for text in (
        build(professional_claim()).text,
        build(facility_claim()).text,
        build_835(
            remittance(),
            control_number=21,
            created=CREATED,
            payee=Provider(npi=BILLING_NPI, name="Maple Family Practice"),
        ),
    ):
        unexplained = [s.text for s in annotated_segments(text) if not s.explanation]
        assert unexplained == []
    (clm,) = [
        s
        for s in annotated_segments(build(professional_claim()).text)
        if s.segment_id == "CLM"
    ]
    assert "box 26" in clm.explanation


@settings(max_examples=80, deadline=None)
@given(
    box=st.sampled_from(
        [
            "patient_control_number",
            "frequency",
            "original_reference",
            "prior_authorization",
        ]
    ),
    line_box=st.sampled_from(
        ["service_date", "place_of_service", "code", "charge", "units", "rendering_npi"]
    ),
    junk=st.text(max_size=60)
    | st.sampled_from(["A*B", "~", "12:3", "x^y", "Zoë", "²"]),
)
def test_junk_never_raises(box, line_box, junk):
    claim = professional_claim(**{box: junk})
    line = claim.lines[0].model_copy(update={line_box: junk})

    built = build(claim.model_copy(update={"lines": (line,)}))

    assert (built.text is None) == bool(built.problems)
    if built.text is not None:
        assert validate(built.text) == ()


def test_a_dependent_patient_gets_the_patient_loop():
    claim = professional_claim(
        insurance=Insurance(
            payer_id="DEMOPPO",
            plan_type="CI",
            member_id="DPX00012345",
            relationship="19",
            insured=Person(
                last_name="Quill",
                first_name="Bram",
                birth_date="1980-05-02",
                sex="M",
                address=HOME,
            ),
        ),
        patient=Person(
            last_name="Quill",
            first_name="Tess",
            birth_date="2015-07-21",
            sex="F",
            address=HOME,
        ),
    )

    built = build(claim)

    assert validate(built.text) == ()
    assert segment(built.text, "PAT") == ["PAT*19"]
    assert segment(built.text, "NM1*IL") == ["NM1*IL*1*QUILL*BRAM****MI*DPX00012345"]
    assert segment(built.text, "NM1*QC") == ["NM1*QC*1*QUILL*TESS"]
    assert segment(built.text, "DMG") == ["DMG*D8*20150721*F"]


def inpatient_lines() -> tuple[ServiceLine, ...]:
    """Room and board, pharmacy and OR time: revenue codes, no HCPCS, no date."""
    return (
        ServiceLine(revenue_code="0120", charge="2900.00", units="2"),
        ServiceLine(revenue_code="0250", charge="640.00", units="1"),
        ServiceLine(revenue_code="0360", charge="6800.00", units="1"),
    )


def test_inpatient_lines_without_dates_or_hcpcs_make_a_valid_837i():
    claim = facility_claim().model_copy(update={"lines": inpatient_lines()})

    built = build(claim)

    assert built.problems == ()
    assert validate(built.text) == ()
    assert segment(built.text, "SV2") == [
        "SV2*0120**2900.00*UN*2",
        "SV2*0250**640.00*UN*1",
        "SV2*0360**6800.00*UN*1",
    ]
    assert segment(built.text, "DTP") == [
        "DTP*434*RD8*20261114-20261117",
        "DTP*435*D8*20261114",
    ]


def test_inpatient_claim_needs_its_admission_date():
    claim = facility_claim()
    facility = claim.institutional.model_copy(update={"admission_date": ""})

    built = build(claim.model_copy(update={"institutional": facility}))

    assert built.problems == (
        PROBLEM_EMPTY.format(
            box="FL 12 (admission date)", transaction="837I", where="DTP*435"
        ),
    )


def test_outpatient_facility_lines_still_need_their_dates():
    claim = facility_claim()
    facility = claim.institutional.model_copy(update={"type_of_bill": "0131"})
    line = ServiceLine(revenue_code="0610", code="70553", charge="2850.00", units="1")

    built = build(
        claim.model_copy(update={"institutional": facility, "lines": (line,)})
    )

    assert built.problems == (
        PROBLEM_EMPTY.format(
            box="FL 45 (service date, line 1)",
            transaction="837I",
            where="DTP03 (472) of loop 2400",
        ),
    )


def percent_of(charge: str, percent: int) -> Decimal:
    return (Decimal(charge) * percent / 100).quantize(Decimal("0.01"))


def inpatient_remittance() -> Remittance:
    lines = tuple(
        LineRemittance(
            line_number=number,
            code="",
            revenue_code=revenue_code,
            units=units,
            charge=Decimal(charge),
            allowed=percent_of(charge, 60),
            paid=percent_of(charge, 60),
            adjustments=(
                Adjustment(group="CO", reason="45", amount=percent_of(charge, 40)),
            ),
        )
        for number, (revenue_code, charge, units) in enumerate(
            (("0120", "2900.00", 2), ("0360", "6800.00", 1)), start=1
        )
    )
    return remittance().model_copy(
        update={
            "charge": Decimal("9700.00"),
            "paid": Decimal("5820.00"),
            "patient_responsibility": Decimal("0.00"),
            "statement_from": "2026-11-14",
            "statement_to": "2026-11-17",
            "lines": lines,
        }
    )


def test_inpatient_remittance_reports_lines_by_revenue_code():
    text = build_835(
        inpatient_remittance(),
        control_number=23,
        created=CREATED,
        payee=Provider(npi=BILLING_NPI, name="Springfield General Hospital"),
    )

    assert validate(text) == ()
    assert segment(text, "SVC") == [
        "SVC*NU:0120*2900.00*1740.00**2",
        "SVC*NU:0360*6800.00*4080.00**1",
    ]
    assert segment(text, "DTM*23") == ["DTM*232*20261114", "DTM*233*20261117"]
    (claim,) = parse_835(text).claims
    assert [(line.code, line.paid) for line in claim.lines] == [
        ("0120", Decimal("1740.00")),
        ("0360", Decimal("4080.00")),
    ]


def test_outpatient_facility_remittance_carries_the_revenue_code_in_svc04():
    paid = remittance()
    line = paid.lines[0].model_copy(update={"revenue_code": "0510"})
    text = build_835(
        paid.model_copy(update={"lines": (line, paid.lines[1])}),
        control_number=24,
        created=CREATED,
        payee=Provider(npi=BILLING_NPI, name="Springfield General Hospital"),
    )

    assert validate(text) == ()
    assert segment(text, "SVC")[0] == "SVC*HC:99214:25*180.00*64.00*0510*1"
