"""The pure parts of the content rules: the patient read from a record, and which
tabular notes require their partner (no database)."""

import pytest

from content_checks.rules import (
    CODE_FIRST,
    USE_ADDITIONAL,
    Instruction,
    Patient,
    instruction_findings,
    patient_from_text,
)


@pytest.mark.parametrize(
    ("record", "patient"),
    [
        ("<p>61-year-old man with chest pain</p>", Patient(61, "M")),
        ("A 29-year-old, gravida 2 para 1; a liveborn boy", Patient(29, "F")),
        ("26-year-old G1P0 in labour", Patient(26, "F")),
        ("3-week-old infant", Patient(0, None)),
        ("No demographics here.", Patient(None, None)),
    ],
)
def test_the_patient_is_read_from_the_first_mention(record, patient):
    assert patient_from_text(record) == patient


def note(kind: str, text: str, *references: str, own: bool = True) -> Instruction:
    return Instruction(kind, "X", text, references, own)


ADDITIONAL, FIRST = "use_additional_code", "code_first"


@pytest.mark.parametrize(
    ("instruction", "required"),
    [
        (note(ADDITIONAL, "to identify type of heart failure (I50.-)", "I50"), True),
        (note(ADDITIONAL, "to indicate outcome of delivery (Z37.0)", "Z370"), True),
        (note(ADDITIONAL, "(B95-B97) to identify infectious agent", "B95:B97"), False),
        (
            note(ADDITIONAL, "code, if applicable, to identify: (Z87.891)", "Z87891"),
            False,
        ),
        (
            note(FIRST, "obstetric condition (O09-O60, O80-O82)", "O09:O60", "O80:O82"),
            True,
        ),
        (note(FIRST, "the underlying condition, such as: (G30.-)", "G30"), False),
        (note(FIRST, "tachycardia complicating: abortion (O00-O07)", "O00:O07"), False),
        (note(ADDITIONAL, "hypertension (I10-I16)", "I10:I16", own=False), False),
        (
            note(
                ADDITIONAL, "to identify: alcohol abuse and dependence (F10.-)", "F10"
            ),
            False,
        ),
    ],
)
def test_a_note_requires_its_partner_only_when_unconditional(instruction, required):
    findings = instruction_findings(["A000"], {"A000": (instruction,)}, "here")
    assert bool(findings) is required
    rule = USE_ADDITIONAL if instruction.kind == "use_additional_code" else CODE_FIRST
    assert all(finding.rule is rule for finding in findings)


ADVERSE_EFFECTS_FIRST = note(
    FIRST,
    ", for adverse effects, the nature of the adverse effect, such as:",
    "D56:D76",
    own=False,
)


@pytest.mark.parametrize(
    ("t_code", "reported"), [("T45515A", True), ("T45511A", False)]
)
def test_the_adverse_effect_note_orders_only_adverse_effect_codes(t_code, reported):
    # A poisoning comes before its manifestations (I.C.19.e.5.b); an adverse
    # effect comes after them.
    findings = instruction_findings(
        [t_code, "D62"], {t_code: (ADVERSE_EFFECTS_FIRST,)}, "here"
    )
    assert bool(findings) is reported
