"""Claim grading: one test per instructor band (/work docs, "Grading billing
work"), then normalisation, order, lines, the UB-04 and the key format."""

import json

import pytest

from billing.engine.claim import Claim
from billing.engine.claim_grading import (
    FIRST_OUT_OF_PLACE,
    LINE_EXTRA,
    MODIFIER_MISSING,
    POINTER_CHARGED,
    POINTER_NOTHING,
    POINTER_SUBSET,
    UNKNOWN_POLICY,
    FieldStatus,
    grade_claim,
    normalise_date,
    normalise_money,
)
from billing.engine.claim_key import (
    MUST_NAME_A_DIAGNOSIS,
    NO_RATIONALE,
    UNKNOWN_PATH,
    UNKNOWN_WEIGHT,
    ClaimKeyError,
    key_problems,
    parse_claim_key,
)

# Fictional: NPIs pass the Luhn check over the 80840 prefix.
BILLING_NPI = "1555000128"
RENDERING_NPI = "1987654328"
PERSON = {
    "last_name": "Rivera",
    "first_name": "Ana",
    "birth_date": "1980-04-12",
    "sex": "F",
    "address": {
        "line1": "42 Larkspur Lane",
        "city": "Springfield",
        "state": "IL",
        "zip": "62704",
    },
}
OFFICE_CLAIM = {
    "form": "cms1500",
    "patient": PERSON,
    "insurance": {
        "payer_id": "DEMOPPO",
        "plan_type": "CI",
        "member_id": "XJD123456789",
        "group_number": "G5501",
        "relationship": "18",
        "insured": PERSON,
    },
    "diagnoses": ["M17.11", "E11.9", "I10"],
    "lines": [
        {
            "service_date": "2026-03-02",
            "place_of_service": "11",
            "code": "99213",
            "modifiers": ["25"],
            "pointers": ["A", "B", "C"],
            "charge": "125.00",
            "units": "1",
            "rendering_npi": RENDERING_NPI,
        },
        {
            "service_date": "2026-03-02",
            "place_of_service": "11",
            "code": "20610",
            "modifiers": ["RT"],
            "pointers": ["A"],
            "charge": "180.00",
            "units": "1",
            "rendering_npi": RENDERING_NPI,
        },
    ],
    "billing_provider": {
        "npi": BILLING_NPI,
        "name": "Prairie Family Medicine",
        "tax_id": "361234567",
    },
    "rendering_provider": {"npi": RENDERING_NPI, "name": "OKAFOR, JUNE"},
}
NOTES = {
    "lines.0.code": {"rationale": "Established patient, low MDM."},
    "lines.0.modifiers": {
        "rationale": "A significant, separately identifiable E/M on the day of a "
        "minor procedure.",
        "reference": "NCCI Policy Manual ch. I §D",
    },
    "lines.0.pointers": {"rationale": "Knee pain first, then the chronic care."},
    "lines.1.code": {"rationale": "Major joint injection."},
    "lines.1.modifiers": {"rationale": "Right knee."},
    "lines.1.pointers": {"rationale": "The knee."},
}


def office_key(**changes):
    claim = dict(OFFICE_CLAIM, **changes)
    return parse_claim_key({"claim": claim, "fields": NOTES})


def answer(**changes):
    """The key's claim with some boxes changed (nested dicts replace whole)."""
    return Claim.model_validate(dict(OFFICE_CLAIM, **changes))


def line(index, **changes):
    lines = [dict(item) for item in OFFICE_CLAIM["lines"]]
    lines[index].update(changes)
    return lines


def result_at(grade, path):
    return next(item for item in grade.fields if item.path == path)


def lost(grade):
    return round(grade.max_points - grade.points, 4)


# -- the bands ---------------------------------------------------------------
def test_band_perfect_claim_scores_100():
    grade = grade_claim(office_key(), answer())
    assert grade.percentage == 100
    assert grade.ledger_counts()["correct"] == len(grade.fields)


def test_band_wrong_member_id_costs_a_quarter_of_the_claim():
    insurance = dict(OFFICE_CLAIM["insurance"], member_id="XJD987654321")
    grade = grade_claim(office_key(), answer(insurance=insurance))
    assert 70 <= grade.percentage <= 80
    assert grade.percentage == 75
    member = result_at(grade, "insurance.member_id")
    assert member.status == FieldStatus.WRONG
    assert "CARC 31" in member.deductions[0].reason


def test_band_wrong_payer_costs_fifteen_percent():
    insurance = dict(OFFICE_CLAIM["insurance"], payer_id="DEMOHMO")
    grade = grade_claim(office_key(), answer(insurance=insurance))
    assert grade.percentage == 85


def test_band_missing_modifier_25_costs_the_line_code_share():
    grade = grade_claim(office_key(), answer(lines=line(0, modifiers=[])))
    code_share = result_at(grade, "lines.0.code").max_points
    assert lost(grade) == code_share
    modifiers = result_at(grade, "lines.0.modifiers")
    assert modifiers.deductions[0].rule == "modifier_payment"
    assert MODIFIER_MISSING.format(modifier="25") in modifiers.deductions[0].reason
    assert "NCCI Policy Manual" in modifiers.reference
    assert 90 <= grade.percentage <= 97


def test_band_pointers_naming_the_same_diagnoses_in_another_order_cost_nothing():
    # Box 21 reordered: B is now I10 and C is E11.9; the letters A B C name the
    # same three conditions in another order.
    given = answer(diagnoses=["M17.11", "I10", "E11.9"])
    assert grade_claim(office_key(), given).percentage == 100


def test_band_first_pointer_on_a_secondary_diagnosis_costs_half_the_pointers():
    grade = grade_claim(office_key(), answer(lines=line(0, pointers=["B", "A", "C"])))
    pointers = result_at(grade, "lines.0.pointers")
    assert pointers.status == FieldStatus.PARTIAL
    assert [d.rule for d in pointers.deductions] == ["pointer_order"]
    assert lost(grade) == pointers.max_points / 2


def test_band_box_21_secondaries_in_another_order_cost_nothing():
    given = answer(
        diagnoses=["M17.11", "I10", "E11.9"], lines=line(0, pointers=["A", "C", "B"])
    )
    assert grade_claim(office_key(), given).percentage == 100


def test_band_box_21_first_listed_swapped_costs_two_of_its_three_points():
    lines = line(0, pointers=["B", "A", "C"])
    lines[1]["pointers"] = ["B"]
    grade = grade_claim(
        office_key(), answer(diagnoses=["E11.9", "M17.11", "I10"], lines=lines)
    )
    first = result_at(grade, "diagnoses.0")
    assert first.status == FieldStatus.PARTIAL
    assert FIRST_OUT_OF_PLACE.format(code="M17.11") in first.deductions[0].reason
    assert lost(grade) == 2
    assert 95 <= grade.percentage <= 99


def test_band_street_address_typo_costs_little():
    patient = dict(PERSON, address=dict(PERSON["address"], line1="42 Larkspr Lane"))
    grade = grade_claim(office_key(), answer(patient=patient))
    street = result_at(grade, "patient.address.line1")
    assert street.status == FieldStatus.PARTIAL
    assert street.deductions[0].rule == "near_miss"
    assert lost(grade) == 0.25
    assert grade.percentage >= 99


def test_band_street_address_typo_is_a_wrong_box_in_the_exam_policy():
    patient = dict(PERSON, address=dict(PERSON["address"], line1="42 Larkspr Lane"))
    grade = grade_claim(office_key(), answer(patient=patient), policy_name="exam")
    assert lost(grade) == 1


def test_band_charge_off_the_fee_schedule_costs_the_charge_box():
    grade = grade_claim(office_key(), answer(lines=line(1, charge="150.00")))
    charge = result_at(grade, "lines.1.charge")
    assert charge.status == FieldStatus.WRONG
    assert lost(grade) == charge.max_points == 2


def test_band_extra_line_costs_a_code_share():
    lines = [*OFFICE_CLAIM["lines"], dict(OFFICE_CLAIM["lines"][1], code="J3301")]
    grade = grade_claim(office_key(), answer(lines=lines))
    extra = result_at(grade, "lines.2")
    assert extra.status == FieldStatus.EXTRA
    assert extra.points == -4
    assert LINE_EXTRA.format(code="J3301") in extra.deductions[0].reason
    assert lost(grade) == 4


def test_band_missing_key_line_costs_its_points():
    full = grade_claim(office_key(), answer())
    line_points = sum(
        item.max_points for item in full.fields if item.path.startswith("lines.1.")
    )
    grade = grade_claim(office_key(), answer(lines=OFFICE_CLAIM["lines"][:1]))
    missing = result_at(grade, "lines.1")
    assert missing.status == FieldStatus.MISSING
    assert missing.max_points == line_points
    assert lost(grade) == line_points


def test_band_unwarranted_modifier_59_costs_half_a_code_share():
    key = office_key(lines=line(1, modifiers=[]))
    grade = grade_claim(key, answer(lines=line(1, modifiers=["59"])))
    modifiers = result_at(grade, "lines.1.modifiers")
    assert modifiers.status == FieldStatus.EXTRA
    assert modifiers.deductions[0].rule == "modifier_extra_payment"
    assert lost(grade) == 2


def test_band_pricing_modifier_not_first_costs_half_a_point():
    key = office_key(lines=line(1, code="73562", modifiers=["26", "RT"]))
    grade = grade_claim(
        key, answer(lines=line(1, code="73562", modifiers=["RT", "26"]))
    )
    assert [d.rule for d in result_at(grade, "lines.1.modifiers").deductions] == [
        "modifier_sequence"
    ]
    assert lost(grade) == 0.5


def test_band_modifiers_in_another_order_cost_nothing_otherwise():
    key = office_key(lines=line(1, modifiers=["RT", "59"]))
    grade = grade_claim(key, answer(lines=line(1, modifiers=["59", "RT"])))
    assert grade.percentage == 100


def test_band_date_of_service_in_the_form_s_own_format_costs_nothing():
    lines = line(0, service_date="03/02/2026")
    lines[1]["service_date"] = "03 02 26"
    assert grade_claim(office_key(), answer(lines=lines)).percentage == 100


# -- UB-04 -------------------------------------------------------------------
FACILITY = {
    "type_of_bill": "0111",
    "statement_from": "2026-02-10",
    "statement_to": "2026-02-13",
    "admission_date": "2026-02-10",
    "admission_type": "1",
    "admission_source": "1",
    "discharge_status": "01",
    "condition_codes": ["A1"],
    "occurrence_codes": [{"code": "11", "date": "2026-02-09"}],
    "principal_diagnosis": {"code": "K35.80", "poa": "Y"},
    "other_diagnoses": [{"code": "E11.9", "poa": "Y"}, {"code": "N39.0", "poa": "N"}],
    "admitting_diagnosis": "R10.31",
    "procedures": [{"code": "0DTJ4ZZ", "date": "2026-02-10"}],
    "attending": {"npi": RENDERING_NPI},
}
UB04_CLAIM = dict(
    OFFICE_CLAIM,
    form="ub04",
    diagnoses=[],
    lines=[
        {"service_date": "", "revenue_code": "0120", "charge": "4800", "units": "3"},
        {"revenue_code": "0360", "code": "", "charge": "9,200.00", "units": "1"},
    ],
    institutional=FACILITY,
)


def facility_answer(**changes):
    return Claim.model_validate(
        dict(UB04_CLAIM, institutional=dict(FACILITY, **changes))
    )


def facility_key():
    return parse_claim_key({"claim": UB04_CLAIM})


def test_ub04_key_claim_scores_100_with_revenue_lines_paired_by_revenue_code():
    given = Claim.model_validate(
        dict(UB04_CLAIM, lines=list(reversed(UB04_CLAIM["lines"])))
    )
    grade = grade_claim(facility_key(), given)
    assert grade.percentage == 100
    assert result_at(grade, "lines.1.revenue_code").label.startswith("FL 42-47")


def test_band_ub04_wrong_type_of_bill_costs_the_box():
    grade = grade_claim(facility_key(), facility_answer(type_of_bill="0131"))
    assert result_at(grade, "institutional.type_of_bill").status == FieldStatus.WRONG
    assert lost(grade) == 4


def test_ub04_type_of_bill_without_its_leading_zero_is_the_same():
    grade = grade_claim(facility_key(), facility_answer(type_of_bill="111"))
    assert grade.percentage == 100


def test_band_ub04_principal_diagnosis_swapped_costs_four_of_six():
    grade = grade_claim(
        facility_key(),
        facility_answer(
            principal_diagnosis={"code": "E11.9", "poa": "Y"},
            other_diagnoses=[
                {"code": "K35.80", "poa": "Y"},
                {"code": "N39.0", "poa": "N"},
            ],
        ),
    )
    principal = result_at(grade, "institutional.principal_diagnosis.code")
    assert principal.status == FieldStatus.PARTIAL
    assert principal.points == 2
    assert lost(grade) == 4


def test_ub04_wrong_poa_costs_the_indicator():
    grade = grade_claim(
        facility_key(),
        facility_answer(
            other_diagnoses=[
                {"code": "E11.9", "poa": "Y"},
                {"code": "N39.0", "poa": "Y"},
            ]
        ),
    )
    poa = result_at(grade, "institutional.other_diagnoses.1.poa")
    assert poa.status == FieldStatus.WRONG
    assert "Appendix I" in poa.deductions[0].reason
    assert lost(grade) == 1


def test_ub04_discharge_status_procedure_and_occurrence_date():
    grade = grade_claim(
        facility_key(),
        facility_answer(
            discharge_status="3",
            procedures=[{"code": "0DTJ0ZZ", "date": "2026-02-10"}],
            occurrence_codes=[{"code": "11", "date": "2026-02-08"}],
            condition_codes=["A1", "C1"],
        ),
    )
    assert result_at(grade, "institutional.discharge_status").status == "wrong"
    assert result_at(grade, "institutional.procedures.0.code").status == "wrong"
    assert result_at(grade, "institutional.occurrence_codes.0").status == "partial"
    extras = [item for item in grade.fields if item.status == FieldStatus.EXTRA]
    assert {item.given for item in extras} == {"0DTJ0ZZ", "C1"}
    # discharge 2, principal procedure 4, occurrence date 0.25, extra procedure
    # 1, extra condition code 0.5
    assert lost(grade) == 7.75


# -- normalisation and order -------------------------------------------------
def test_normalised_forms_compare_equal():
    insurance = dict(OFFICE_CLAIM["insurance"], member_id="xjd 1234-56789")
    provider = dict(OFFICE_CLAIM["billing_provider"], tax_id="36-1234567")
    patient = dict(PERSON, last_name="  RIVERA ", birth_date="04/12/1980")
    lines = line(0, charge="$125", code=" 99213 ", modifiers=["25 "])
    lines[1]["charge"] = "180"
    given = answer(
        insurance=insurance,
        billing_provider=provider,
        patient=patient,
        diagnoses=["m1711", "E11.9", " i10"],
        lines=lines,
    )
    assert grade_claim(office_key(), given).percentage == 100


@pytest.mark.parametrize(
    ("typed", "iso"),
    [
        ("2026-03-02", "2026-03-02"),
        ("03/02/2026", "2026-03-02"),
        ("03022026", "2026-03-02"),
        ("03 02 26", "2026-03-02"),
        ("march 2", "MARCH 2"),
    ],
)
def test_normalise_date(typed, iso):
    assert normalise_date(typed) == iso


@pytest.mark.parametrize("typed", ["125", "125.00", "$125.00", " 125.0 "])
def test_normalise_money(typed):
    assert normalise_money(typed) == "125.00"


def test_service_lines_in_another_order_are_paired_by_code():
    given = answer(lines=list(reversed(OFFICE_CLAIM["lines"])))
    assert grade_claim(office_key(), given).percentage == 100


def test_accepted_alternative_modifier_is_correct_and_explained():
    data = {
        "claim": dict(OFFICE_CLAIM, lines=line(1, modifiers=["59"])),
        "fields": {"lines.1.modifiers": {"accept": ["XS"], "rationale": "Separate."}},
    }
    grade = grade_claim(parse_claim_key(data), answer(lines=line(1, modifiers=["XS"])))
    modifiers = result_at(grade, "lines.1.modifiers")
    assert modifiers.status == FieldStatus.CORRECT
    assert modifiers.explanation.startswith("XS is accepted in place of 59.")


def test_extra_diagnosis_costs_a_point_and_is_shown_with_its_letter():
    grade = grade_claim(
        office_key(), answer(diagnoses=["M17.11", "E11.9", "I10", "R52"])
    )
    extra = result_at(grade, "diagnoses.3")
    assert (extra.status, extra.label, extra.points) == (
        "extra",
        "Box 21D: diagnosis",
        -1,
    )


def test_pointer_to_no_diagnosis_costs_the_pointers():
    grade = grade_claim(office_key(), answer(lines=line(1, pointers=["E"])))
    pointers = result_at(grade, "lines.1.pointers")
    assert POINTER_NOTHING.format(letter="E") in pointers.deductions[0].reason
    assert pointers.points == 0


def test_pointer_to_a_diagnosis_missing_from_box_21_is_not_charged_again():
    grade = grade_claim(
        office_key(),
        answer(diagnoses=["E11.9", "I10"], lines=line(1, pointers=["A"])),
    )
    pointers = result_at(grade, "lines.1.pointers")
    assert pointers.deductions == ()
    assert POINTER_CHARGED.format(expected="M17.11") in pointers.explanation
    assert result_at(grade, "diagnoses.0").status == FieldStatus.MISSING


def test_fewer_pointers_than_the_key_is_valid_but_strict_charges_it():
    given = answer(lines=line(0, pointers=["A"]))
    practice = grade_claim(office_key(), given)
    assert practice.percentage == 100
    explanation = result_at(practice, "lines.0.pointers").explanation
    assert explanation.startswith(POINTER_SUBSET.format(missing="E11.9, I10"))
    strict = grade_claim(office_key(), given, policy_name="strict")
    assert lost(strict) == 0.2


def test_ignored_paths_are_not_graded():
    data = {"claim": OFFICE_CLAIM, "ignore": ["patient.address", "lines.1"]}
    grade = grade_claim(parse_claim_key(data), answer(lines=OFFICE_CLAIM["lines"][:1]))
    assert grade.percentage == 100
    assert not any(item.path.startswith("patient.address") for item in grade.fields)


def test_key_weights_change_a_row():
    data = {"claim": OFFICE_CLAIM, "weights": {"line_charge": 5}}
    grade = grade_claim(parse_claim_key(data), answer(lines=line(1, charge="1")))
    assert lost(grade) == 5


def test_empty_claim_earns_only_the_default_frequency_code():
    grade = grade_claim(office_key(), Claim())
    frequency = result_at(grade, "frequency")
    assert grade.points == frequency.points == 1
    counts = grade.ledger_counts()
    assert counts["correct"] == 1
    assert counts["missing"] == len(grade.fields) - 1


def test_unknown_policy_is_refused():
    with pytest.raises(ValueError, match=UNKNOWN_POLICY.format(name="lenient")):
        grade_claim(office_key(), answer(), policy_name="lenient")


def test_as_dict_is_json_ready_and_carries_the_explanation():
    grade = grade_claim(office_key(), answer(lines=line(0, modifiers=[])))
    payload = json.loads(json.dumps(grade.as_dict()))
    modifiers = next(f for f in payload["fields"] if f["path"] == "lines.0.modifiers")
    assert modifiers["label"] == "Box 24, line 1: modifiers"
    assert modifiers["deductions"][0]["rule"] == "modifier_payment"
    assert modifiers["explanation"].startswith("A significant")
    assert payload["counts"] == grade.ledger_counts()


# -- the key format ----------------------------------------------------------
def test_parse_claim_key_names_every_problem_by_path():
    data = {
        "claim": dict(OFFICE_CLAIM, lines=[{"code": "99213", "colour": "red"}]),
        "fields": {"lines.7.code": {"rationale": "x"}},
        "weights": {"generosity": 1},
    }
    with pytest.raises(ClaimKeyError) as raised:
        parse_claim_key(data)
    assert raised.value.problems == [
        "claim.lines.0.colour: Extra inputs are not permitted"
    ]
    data["claim"] = OFFICE_CLAIM
    with pytest.raises(ClaimKeyError) as raised:
        parse_claim_key(data)
    assert raised.value.problems == [
        f"fields.lines.7.code: {UNKNOWN_PATH}",
        f"weights.generosity: {UNKNOWN_WEIGHT}",
    ]


def test_key_problems_finds_pointers_to_nothing_and_missing_rationales():
    key = parse_claim_key({"claim": dict(OFFICE_CLAIM, lines=line(1, pointers=["D"]))})
    problems = key_problems(key)
    assert f"lines.1.pointers: {MUST_NAME_A_DIAGNOSIS.format(letter='D')}" in problems
    assert f"lines.0.code: {NO_RATIONALE}" in problems
    assert key_problems(office_key()) == []
