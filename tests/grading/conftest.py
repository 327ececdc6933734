"""A tiny code-set sample for grading through the database code book: the codes of
the documented examples, in releases in force from 2026-01-01. Descriptions are
CoderAcademy's own words."""

import json
from datetime import date
from pathlib import Path

import pytest

from codeformats import CodeSystem
from codesets.factories import ReleaseFactory

DATA = Path(__file__).parent / "data"

# code -> (billable, parent, description)
SAMPLE = {
    CodeSystem.ICD10CM: {
        "M17": (False, "", "Knee osteoarthritis"),
        "M171": (False, "M17", "Primary knee osteoarthritis, one side"),
        "M1711": (True, "M171", "Primary osteoarthritis, right knee"),
        "M1712": (True, "M171", "Primary osteoarthritis, left knee"),
        "M179": (True, "M17", "Knee osteoarthritis, side not stated"),
        "E116": (False, "E11", "Type 2 diabetes with other complications"),
        "E1165": (True, "E116", "Type 2 diabetes with high blood sugar"),
        "E1169": (True, "E116", "Type 2 diabetes with another complication"),
        "E119": (True, "E11", "Type 2 diabetes without complications"),
        "Z794": (True, "Z79", "Long-term use of insulin"),
        "K3580": (True, "K358", "Acute appendicitis, not otherwise described"),
        "I10": (True, "", "High blood pressure, primary"),
    },
    CodeSystem.ICD10PCS: {
        "0DTJ4ZZ": (True, "0DT", "Appendix removal, laparoscopic"),
        "0DTJ0ZZ": (True, "0DT", "Appendix removal, open"),
    },
    CodeSystem.CPT: {
        "99214": (True, "", "Office visit, established patient, moderate"),
        "20610": (True, "", "Major joint injection or aspiration"),
    },
    CodeSystem.HCPCS: {
        "J3301": (True, "", "Triamcinolone injection, per 10 mg"),
    },
}


def document(name: str) -> dict:
    """One of the documented examples in tests/grading/data."""
    return json.loads((DATA / f"{name}.json").read_text())


@pytest.fixture
def code_sample(db):
    """Releases of every system with the sample codes, in force from 2026-01-01."""
    for system, codes in SAMPLE.items():
        ReleaseFactory(
            system=system,
            version="GRADING-TEST",
            effective_from=date(2026, 1, 1),
            source="tests/grading",
            codes=[
                {
                    "code": code,
                    "kind": "code" if billable else "subcategory",
                    "billable": billable,
                    "description": description,
                    "parent": parent,
                }
                for code, (billable, parent, description) in codes.items()
            ],
        )
