"""The claim scrubber: each edit fires on the box it names, with its message,
and a clean claim passes. The reference is a dictionary-backed fake."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest

from billing.engine import scrubber as s
from billing.engine.claim import (
    Address,
    Claim,
    ClaimForm,
    FacilityDiagnosis,
    Institutional,
    Insurance,
    Person,
    Procedure,
    Provider,
    ServiceLine,
)
from billing.engine.reference import CodeCheck, CodeEdit, CoveragePolicy, Payer

BILLING_NPI = "1999999901"
RENDERING_NPI = "1000000053"
ATTENDING_NPI = "2888888817"
DOS = "2026-03-02"
DELETED_MESSAGE = "E11.9X was never a code."
ECHO_POLICY = CoveragePolicy(
    id="DEMO-LCD-1",
    title="Transthoracic echocardiography",
    codes=frozenset({"93306"}),
    diagnosis_prefixes=("I50", "R06.0"),
)
DRAFT_POLICY = CoveragePolicy(
    id="DEMO-LCD-2",
    title="Draft policy",
    codes=frozenset({"99213"}),
    diagnosis_prefixes=("Z00",),
    published=False,
)
PAYER = Payer(
    id="DEMOPPO",
    name="Demo PPO",
    plan_types=("CI",),
    filing_limit_days=365,
    fee_factor=Decimal("1.0"),
    authorization_codes=frozenset({"72148"}),
    policies=(ECHO_POLICY, DRAFT_POLICY),
)


@dataclass
class FakeReference:
    """Answers from dictionaries; records what the scrubber asked."""

    invalid: dict[tuple[str, str], str] = field(default_factory=dict)
    edits: list[CodeEdit] = field(default_factory=list)
    addons: dict[str, frozenset[str]] = field(
        default_factory=lambda: {"17003": frozenset({"17000"})}
    )
    payers: dict[str, Payer] = field(default_factory=lambda: {PAYER.id: PAYER})
    checked: list[tuple[str, str, date]] = field(default_factory=list)
    edit_calls: list[dict] = field(default_factory=list)

    def code_check(self, system, code, on):
        self.checked.append((str(system), code, on))
        message = self.invalid.get((str(system), code))
        return CodeCheck(message is None, message or "")

    def code_edits(self, **query):
        self.edit_calls.append(query)
        return list(self.edits) if query["on"] == date.fromisoformat(DOS) else []

    def addon_primaries(self, code):
        return self.addons.get(code)

    def payer(self, payer_id):
        return self.payers.get(payer_id)

    def fee(self, code, modifiers):
        return None


def address():
    return Address(line1="1 Main St", city="Springfield", state="IL", zip="62701")


def line(**changes) -> ServiceLine:
    values = dict(
        service_date=DOS,
        place_of_service="11",
        code="99213",
        pointers=("A",),
        charge="125.00",
        units="1",
        rendering_npi=RENDERING_NPI,
    )
    return ServiceLine(**(values | changes))


def professional(**changes) -> Claim:
    values = dict(
        patient_control_number="PCN-1",
        patient=Person(
            last_name="Rivera", first_name="Ana", birth_date="1980-05-17", sex="F"
        ),
        insurance=Insurance(
            payer_id="DEMOPPO", member_id="XJQ100200", relationship="18"
        ),
        diagnoses=("E11.9", "I10"),
        lines=(line(),),
        billing_provider=Provider(
            npi=BILLING_NPI, name="Demo Clinic", tax_id="12-3456789", address=address()
        ),
    )
    return Claim(**(values | changes))


def facility(inpatient=True, **changes) -> Claim:
    institutional = dict(
        type_of_bill="0111" if inpatient else "0131",
        statement_from="2026-03-01",
        statement_to="2026-03-04",
        admission_date="2026-03-01",
        admission_type="1",
        admission_source="1",
        discharge_status="01",
        principal_diagnosis=FacilityDiagnosis(code="I50.9", poa="Y"),
        other_diagnoses=(FacilityDiagnosis(code="E11.9", poa="Y"),),
        procedures=(Procedure(code="02HV33Z", date="2026-03-02"),),
        attending=Provider(npi=ATTENDING_NPI, name="DOE, JANE"),
    )
    lines = (
        ServiceLine(revenue_code="0120", charge="3000.00", units="3"),
        ServiceLine(
            revenue_code="0480", code="93306", service_date=DOS, charge="900", units="1"
        ),
    )
    if not inpatient:
        lines = lines[1:]
    claim = professional(
        form=ClaimForm.UB04,
        diagnoses=(),
        lines=lines,
        institutional=Institutional(**(institutional | changes)),
    )
    return claim


def scrub(claim, reference=None):
    return s.scrub(claim, reference or FakeReference())


def found(edits):
    return [(edit.edit_id, edit.field) for edit in edits]


def only(edits, edit_id):
    return [edit for edit in edits if edit.edit_id == edit_id]


# The catalogue ---------------------------------------------------------------


def test_every_edit_in_the_catalogue_has_a_category_title_source_and_severity():
    for edit_id, rule in s.EDITS.items():
        assert rule.edit_id == edit_id
        assert rule.title and rule.source
        assert rule.severity in (s.Severity.REJECT, s.Severity.WARNING)
        assert edit_id == edit_id.lower() and " " not in edit_id


def test_an_edit_carries_its_rule():
    (edit,) = scrub(professional(insurance=Insurance(payer_id="DEMOPPO")))
    rule = s.EDITS["missing-insured-id"]
    assert (edit.category, edit.source, edit.severity) == (
        rule.category,
        rule.source,
        "reject",
    )


def test_clean_professional_and_facility_claims_pass():
    assert scrub(professional()) == ()
    assert scrub(facility()) == ()
    assert scrub(facility(inpatient=False)) == ()


def test_edits_come_in_the_catalogue_order():
    claim = professional(
        patient=Person(last_name="Rivera", first_name="Ana", birth_date="1980-05-17"),
        lines=(line(pointers=("C",), units="x"),),
    )
    order = list(s.EDITS)
    ids = [edit.edit_id for edit in scrub(claim)]
    assert ids == sorted(ids, key=order.index)
    assert ids == ["missing-patient-sex", "invalid-units", "pointer-without-diagnosis"]


# Required fields ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "edit_id", "path", "box"),
    [
        ({"patient": Person(first_name="Ana", birth_date="1980-05-17", sex="F")},
         "missing-patient-name", "patient.last_name", "Box 2"),
        ({"patient": Person(last_name="Rivera", first_name="Ana", sex="F")},
         "missing-patient-birth-date", "patient.birth_date", "Box 3 (birth date)"),
        ({"patient": Person(last_name="Rivera", first_name="Ana",
                            birth_date="1980-05-17")},
         "missing-patient-sex", "patient.sex", "Box 3 (sex)"),
        ({"insurance": Insurance(payer_id="DEMOPPO")},
         "missing-insured-id", "insurance.member_id", "Box 1a"),
        ({"insurance": Insurance(member_id="XJQ100200")},
         "missing-payer", "insurance.payer_id", "The payer block"),
        ({"patient_control_number": ""},
         "missing-account-number", "patient_control_number", "Box 26"),
        ({"billing_provider": Provider(tax_id="123456789", address=address())},
         "missing-billing-npi", "billing_provider.npi", "Box 33a"),
        ({"billing_provider": Provider(npi=BILLING_NPI, address=address())},
         "missing-billing-tax-id", "billing_provider.tax_id", "Box 25"),
        ({"billing_provider": Provider(
            npi=BILLING_NPI, tax_id="123456789",
            address=Address(line1="1 Main St", city="Springfield", state="IL"))},
         "missing-billing-address", "billing_provider.address.zip", "Box 33"),
        ({"diagnoses": ()}, "missing-diagnosis", "diagnoses.0", "Box 21"),
        ({"lines": ()}, "missing-service-line", "lines", "Box 24"),
    ],
)  # fmt: skip
def test_a_missing_claim_box_is_flagged(changes, edit_id, path, box):
    edits = scrub(professional(**changes))
    assert (edit_id, path) in found(edits)
    assert only(edits, edit_id)[0].message.startswith(box)


@pytest.mark.parametrize(
    ("name", "edit_id", "box"),
    [
        ("service_date", "missing-service-date", "Box 24A"),
        ("place_of_service", "missing-place-of-service", "Box 24B"),
        ("code", "missing-procedure-code", "Box 24D"),
        ("charge", "missing-charge", "Box 24F"),
        ("units", "missing-units", "Box 24G"),
    ],
)
def test_a_missing_line_box_is_flagged_on_its_line(name, edit_id, box):
    claim = professional(lines=(line(), line(**({"code": "36415"} | {name: ""}))))
    edit = only(scrub(claim), edit_id)[0]
    assert edit.field == f"lines.1.{name}"
    assert edit.message == s.MISSING_LINE_FIELD.format(
        box=box, line=2, what=edit.message.split("needs ")[1].rstrip(".")
    )


def test_a_line_without_pointers_is_flagged():
    edits = scrub(professional(lines=(line(pointers=()),)))
    assert found(edits) == [("missing-pointer", "lines.0.pointers")]


@pytest.mark.parametrize(
    ("name", "edit_id"),
    [
        ("type_of_bill", "missing-type-of-bill"),
        ("statement_from", "missing-statement-dates"),
        ("statement_to", "missing-statement-dates"),
        ("admission_date", "missing-admission-date"),
        ("admission_type", "missing-admission-type"),
        ("admission_source", "missing-admission-source"),
        ("discharge_status", "missing-discharge-status"),
    ],
)
def test_a_missing_ub04_box_is_flagged(name, edit_id):
    edits = scrub(facility(**{name: ""}))
    assert (edit_id, f"institutional.{name}") in found(edits)


def test_admission_boxes_are_required_on_inpatient_bills_only():
    empty = {"admission_date": "", "admission_type": "", "admission_source": ""}
    assert scrub(facility(inpatient=False, **empty)) == ()
    assert len(scrub(facility(**empty))) == 3


def test_a_ub04_needs_its_principal_diagnosis_and_revenue_codes():
    claim = facility(principal_diagnosis=FacilityDiagnosis())
    claim = claim.model_copy(update={"lines": (ServiceLine(charge="10", units="1"),)})
    assert found(scrub(claim)) == [
        ("missing-revenue-code", "lines.0.revenue_code"),
        ("missing-principal-diagnosis", "institutional.principal_diagnosis.code"),
    ]


def test_inpatient_room_lines_need_no_hcpcs_or_date_but_outpatient_lines_do():
    outpatient = facility(inpatient=False)
    bare = ServiceLine(revenue_code="0450", charge="300", units="1")
    claim = outpatient.model_copy(update={"lines": (bare,)})
    assert {edit.edit_id for edit in scrub(claim)} == {
        "missing-service-date",
        "missing-procedure-code",
    }


def test_missing_poa_on_an_inpatient_diagnosis_is_a_warning():
    claim = facility(other_diagnoses=(FacilityDiagnosis(code="E11.9"),))
    (edit,) = scrub(claim)
    assert (edit.edit_id, edit.field, edit.severity) == (
        "missing-poa",
        "institutional.other_diagnoses.0.poa",
        "warning",
    )
    assert edit.message == s.MISSING_POA.format(box="FL 67", code="E11.9")


# Formats -----------------------------------------------------------------------


def test_a_date_that_is_not_a_date_is_flagged_in_its_box():
    claim = professional(lines=(line(service_date="03/02/2026"),))
    (edit,) = scrub(claim)
    assert (edit.edit_id, edit.field) == ("invalid-date", "lines.0.service_date")
    assert edit.message == s.INVALID_DATE.format(
        box="Box 24A on line 1", value="03/02/2026"
    )


def test_statement_dates_are_checked_on_a_ub04():
    edits = scrub(facility(statement_from="2026-02-30"))
    assert ("invalid-date", "institutional.statement_from") in found(edits)


@pytest.mark.parametrize(
    ("changes", "edit_id", "path"),
    [
        ({"charge": "12O.00"}, "invalid-charge", "lines.0.charge"),
        ({"charge": "-5"}, "invalid-charge", "lines.0.charge"),
        ({"units": "0"}, "invalid-units", "lines.0.units"),
        ({"units": "1.5"}, "invalid-units", "lines.0.units"),
        ({"place_of_service": "1"}, "invalid-place-of-service",
         "lines.0.place_of_service"),
        ({"place_of_service": "O11"}, "invalid-place-of-service",
         "lines.0.place_of_service"),
        ({"modifiers": ("25", "RTX")}, "invalid-modifier", "lines.0.modifiers.1"),
        ({"rendering_npi": "1999999902"}, "invalid-npi", "lines.0.rendering_npi"),
    ],
)  # fmt: skip
def test_a_line_box_in_the_wrong_format_is_flagged(changes, edit_id, path):
    assert found(scrub(professional(lines=(line(**changes),)))) == [(edit_id, path)]


def test_an_npi_failing_the_check_digit_is_flagged():
    billing = Provider(
        npi="1999999910", name="Demo Clinic", tax_id="123456789", address=address()
    )
    (edit,) = scrub(professional(billing_provider=billing))
    assert edit.field == "billing_provider.npi"
    assert edit.message == s.INVALID_NPI.format(box="Box 33a", value="1999999910")


def test_a_tax_id_that_is_not_nine_digits_is_flagged():
    billing = Provider(npi=BILLING_NPI, tax_id="12-34567", address=address())
    assert found(scrub(professional(billing_provider=billing))) == [
        ("invalid-tax-id", "billing_provider.tax_id")
    ]


def test_type_of_bill_and_poa_formats_on_a_ub04():
    claim = facility(
        type_of_bill="011A",
        principal_diagnosis=FacilityDiagnosis(code="I50.9", poa="X"),
    )
    assert found(scrub(claim)) == [
        ("invalid-type-of-bill", "institutional.type_of_bill"),
        ("invalid-poa-indicator", "institutional.principal_diagnosis.poa"),
    ]


# Patient demographics --------------------------------------------------------


def test_a_sex_code_other_than_f_m_or_u_is_flagged():
    patient = Person(last_name="Rivera", first_name="Ana", birth_date="1980-05-17",
                     sex="W")  # fmt: skip
    (edit,) = scrub(professional(patient=patient))
    assert edit.message == s.INVALID_PATIENT_SEX.format(box="Box 3 (sex)", value="W")


def test_a_service_before_the_birth_date_is_flagged():
    patient = Person(last_name="Rivera", first_name="Ana", birth_date="2026-04-01",
                     sex="F")  # fmt: skip
    assert found(scrub(professional(patient=patient))) == [
        ("birth-after-service", "lines.0.service_date")
    ]


@pytest.mark.parametrize(
    ("kind", "edit_id"), [("sex", "sex-conflict"), ("age", "age-conflict")]
)
def test_sex_and_age_conflicts_point_at_the_code(kind, edit_id):
    finding = CodeEdit(kind, ("59400",), "59400 is for female patients only.")
    reference = FakeReference(edits=[finding])
    claim = professional(lines=(line(), line(code="59400")))
    (edit,) = scrub(claim, reference)
    assert (edit.edit_id, edit.field) == (edit_id, "lines.1.code")
    assert edit.message == s.DEMOGRAPHIC_EDIT.format(
        box="Box 24D on line 2",
        detail=finding.message,
        demographics_box="box 3 (sex and birth date)",
    )


def test_the_code_edits_get_the_patients_sex_and_age_on_the_date_of_service():
    reference = FakeReference()
    scrub(professional(), reference)
    (call,) = reference.edit_calls
    assert (call["sex"], call["age"]) == ("F", 45)
    assert call["diagnoses"] == ["E11.9", "I10"]
    assert call["lines"] == [("99213", (), 1)]


def test_an_unknown_sex_is_not_sent_to_the_sex_edits():
    patient = Person(last_name="Rivera", first_name="Ana", birth_date="1980-05-17",
                     sex="U")  # fmt: skip
    reference = FakeReference()
    scrub(professional(patient=patient), reference)
    assert reference.edit_calls[0]["sex"] is None


# Code validity -----------------------------------------------------------------


def test_an_invalid_diagnosis_is_flagged_with_the_code_sets_reason():
    reference = FakeReference(invalid={("icd10cm", "E11.9X"): DELETED_MESSAGE})
    (edit,) = scrub(professional(diagnoses=("I10", "E11.9X")), reference)
    assert (edit.edit_id, edit.field) == ("invalid-diagnosis-code", "diagnoses.1")
    assert edit.message == s.INVALID_CODE.format(box="Box 21", detail=DELETED_MESSAGE)


def test_an_invalid_procedure_code_is_checked_on_its_own_date_and_system():
    reference = FakeReference(invalid={("hcpcs", "G0101"): "G0101 was deleted."})
    claim = professional(lines=(line(), line(code="G0101", service_date="2026-03-09")))
    (edit,) = scrub(claim, reference)
    assert (edit.edit_id, edit.field) == ("invalid-procedure-code", "lines.1.code")
    assert ("hcpcs", "G0101", date(2026, 3, 9)) in reference.checked


def test_a_line_code_that_is_neither_cpt_nor_hcpcs_is_flagged():
    (edit,) = scrub(professional(lines=(line(code="9921"),)))
    assert edit.message == s.UNRECOGNISED_PROCEDURE.format(
        box="Box 24D", line=1, value="9921"
    )


def test_inpatient_codes_are_checked_on_the_discharge_date():
    reference = FakeReference(invalid={("icd10pcs", "02HV33Z"): "Not yet effective."})
    edits = scrub(facility(), reference)
    assert found(edits) == [("invalid-pcs-code", "institutional.procedures.0.code")]
    discharge = date(2026, 3, 4)
    assert ("icd10cm", "I50.9", discharge) in reference.checked
    assert ("icd10pcs", "02HV33Z", discharge) in reference.checked


# Diagnosis pointers and Excludes1 ------------------------------------------------


def test_a_pointer_to_an_empty_letter_is_flagged():
    claim = professional(lines=(line(), line(code="36415", pointers=("A", "D"))))
    (edit,) = scrub(claim)
    assert (edit.edit_id, edit.field) == (
        "pointer-without-diagnosis",
        "lines.1.pointers.1",
    )
    assert (
        edit.message == "Box 24E on line 2 points to D, but box 21 has no diagnosis D."
    )


def test_a_pointer_that_is_not_one_letter_names_no_diagnosis():
    claim = professional(lines=(line(pointers=("AB",)),))
    assert found(scrub(claim)) == [("pointer-without-diagnosis", "lines.0.pointers.0")]


def test_an_excludes1_pair_is_a_warning_on_the_second_code():
    finding = CodeEdit("excludes1", ("E119", "E109"), "E11.9 and E10.9 are ...")
    reference = FakeReference(edits=[finding])
    (edit,) = scrub(professional(diagnoses=("E11.9", "E10.9")), reference)
    assert (edit.edit_id, edit.field, edit.severity) == (
        "excludes1-pair",
        "diagnoses.1",
        "warning",
    )
    assert edit.message == s.EXCLUDES1_PAIR.format(box="Box 21", detail=finding.message)


# NCCI ----------------------------------------------------------------------------


def test_a_ptp_pair_is_flagged_on_the_column_2_line():
    finding = CodeEdit("ptp", ("45380", "45378"), "45378 is bundled into 45380 ...")
    reference = FakeReference(edits=[finding])
    claim = professional(lines=(line(code="45378"), line(code="45380")))
    (edit,) = scrub(claim, reference)
    assert (edit.edit_id, edit.field) == ("ncci-ptp", "lines.0.code")
    assert edit.message == s.NCCI_EDIT.format(
        box="Box 24D", line=1, detail=finding.message
    )


def test_a_ptp_pair_bypassed_by_a_modifier_is_not_flagged():
    bypassed = CodeEdit("ptp", ("27447", "20610"), "bypassed by XS", blocking=False)
    claim = professional(lines=(line(code="27447"), line(code="20610")))
    assert scrub(claim, FakeReference(edits=[bypassed])) == ()


def test_units_above_the_mue_are_flagged_on_the_units_box():
    finding = CodeEdit("mue", ("97110",), "97110: 7 units exceed the MUE of 6.")
    claim = professional(lines=(line(), line(code="97110", units="7")))
    (edit,) = scrub(claim, FakeReference(edits=[finding]))
    assert (edit.edit_id, edit.field) == ("ncci-mue", "lines.1.units")


def test_lines_of_different_days_are_edited_day_by_day():
    reference = FakeReference()
    claim = professional(lines=(line(), line(code="97110", service_date="2026-03-05")))
    scrub(claim, reference)
    days = [
        (call["on"], call["lines"], call["diagnoses"]) for call in reference.edit_calls
    ]
    assert days == [
        (date(2026, 3, 2), [("99213", (), 1)], ["E11.9", "I10"]),
        (date(2026, 3, 5), [("97110", (), 1)], []),
    ]


def test_an_addon_code_without_its_primary_on_the_same_day_is_flagged():
    alone = professional(lines=(line(code="17003", units="3"),))
    (edit,) = scrub(alone)
    assert (edit.edit_id, edit.field) == ("addon-without-primary", "lines.0.code")
    assert edit.message == s.ADDON_WITHOUT_PRIMARY.format(
        box="Box 24D", line=1, code="17003", primaries="17000"
    )
    other_day = line(code="17000", service_date="2026-03-03")
    assert scrub(alone.model_copy(update={"lines": (*alone.lines, other_day)}))
    paired = professional(lines=(line(code="17000"), line(code="17003", units="3")))
    assert scrub(paired) == ()


# The payer's rules ---------------------------------------------------------------


def test_an_unknown_payer_is_flagged():
    insurance = Insurance(payer_id="NOPAYER", member_id="XJQ100200")
    (edit,) = scrub(professional(insurance=insurance))
    assert (edit.edit_id, edit.field) == ("unknown-payer", "insurance.payer_id")


def test_a_service_under_a_policy_needs_a_covered_pointed_diagnosis():
    claim = professional(
        diagnoses=("E11.9", "I50.9"), lines=(line(code="93306", pointers=("A",)),)
    )
    (edit,) = scrub(claim)
    assert (edit.edit_id, edit.field) == ("medical-necessity", "lines.0.pointers")
    assert edit.message == s.NOT_MEDICALLY_NECESSARY.format(
        line=1,
        code="93306",
        payer="Demo PPO",
        policy_id="DEMO-LCD-1",
        policy_title="Transthoracic echocardiography",
        diagnoses="E11.9",
    )
    covered = claim.model_copy(update={"lines": (line(code="93306", pointers=("B",)),)})
    assert scrub(covered) == ()


def test_a_draft_policy_is_not_applied():
    assert scrub(professional(diagnoses=("E11.9",))) == ()


def test_a_ub04_line_is_checked_against_every_diagnosis_on_the_claim():
    not_covered = facility(
        inpatient=False, principal_diagnosis=FacilityDiagnosis(code="E11.9")
    )
    assert found(scrub(not_covered)) == [("medical-necessity", "lines.0.code")]


def test_a_service_needing_authorization_without_box_23_is_flagged():
    claim = professional(lines=(line(code="72148"),))
    (edit,) = scrub(claim)
    assert (edit.edit_id, edit.field) == (
        "missing-prior-authorization",
        "prior_authorization",
    )
    assert edit.message == s.MISSING_PRIOR_AUTHORIZATION.format(
        line=1, code="72148", payer="Demo PPO", box="Box 23"
    )
    assert scrub(claim.model_copy(update={"prior_authorization": "AUTH-5521"})) == ()


# Resubmission ----------------------------------------------------------------------


@pytest.mark.parametrize(("frequency", "kind"), [("7", "replacement"), ("8", "void")])
def test_a_replacement_or_void_needs_the_original_claim_number(frequency, kind):
    (edit,) = scrub(professional(frequency=frequency))
    assert (edit.edit_id, edit.field) == (
        "missing-original-reference",
        "original_reference",
    )
    assert f"a {kind} (frequency {frequency})" in edit.message
    resubmitted = professional(frequency=frequency, original_reference="2026061000123")
    assert scrub(resubmitted) == ()
