"""The instructor panel: realistic answers, each with the score band an experienced
coding instructor would give and why (`cases.json`). The engine must land in every
band, and the panel must cover every row of the scoring table."""

import json
from functools import cache
from pathlib import Path

import pytest
from drg.complications import ComplicationResolver

from codeformats import CodeSystem, compact
from grading.engine import (
    POLICIES,
    SCORING_TABLE,
    DictCodeBook,
    grade,
    parse_key,
    parse_response,
)
from grading.engine.policy import Unit

PANEL = json.loads((Path(__file__).parent / "cases.json").read_text())
# Rows that set a line's worth or a floor: they show in the points, not as a
# deduction of their own.
NOT_DEDUCTIONS = {
    name for name, row in SCORING_TABLE.items() if row.unit is Unit.WEIGHT
} | {"pcs_least_credit"}


@cache
def code_book() -> DictCodeBook:
    """The panel's codes, with the CC/MCC status the `drg` package's CMS lists
    give them."""
    data = PANEL["code_book"]
    resolver = ComplicationResolver()
    resolver.load()
    facts = {system: dict(codes) for system, codes in data["facts"].items()}
    for code in data["valid"]["icd10cm"]:
        level = (
            "mcc"
            if resolver.is_mcc(compact(code))
            else "cc"
            if resolver.is_cc(compact(code))
            else ""
        )
        if level:
            facts["icd10cm"].setdefault(code, {})["cc_mcc"] = level
    return DictCodeBook(
        {CodeSystem(system): codes for system, codes in data["valid"].items()},
        {CodeSystem(system): codes for system, codes in data["not_reportable"].items()},
        {CodeSystem(system): codes for system, codes in facts.items()},
    )


def graded(case):
    key = parse_key(case["key"])
    response = parse_response(case["answer"], setting=key.setting)
    return grade(key, response, POLICIES[case["policy"]], code_book())


@pytest.mark.parametrize("case", PANEL["cases"], ids=lambda case: case["id"])
def test_the_engine_scores_within_the_instructors_band(case):
    result = graded(case)
    low, high = case["band"]
    assert low <= result.percentage <= high, (case["why"], result.summary)
    rules = {item.rule for line in result.lines for item in line.deductions}
    assert set(case["rows"]) - NOT_DEDUCTIONS <= rules, result.summary
    if "explanation_contains" in case:
        explanations = " ".join(
            text for line in result.lines for text in line.explanations
        )
        assert case["explanation_contains"] in explanations


def test_the_panel_is_large_and_covers_every_row_of_the_scoring_table():
    assert len(PANEL["cases"]) >= 40
    covered = {row for case in PANEL["cases"] for row in case["rows"]}
    assert covered == set(SCORING_TABLE)


def test_an_attempted_procedure_scores_above_leaving_it_out():
    by_id = {case["id"]: case for case in PANEL["cases"]}
    attempted = graded(by_id["inpatient-excision-for-resection"])
    left_out = graded(by_id["inpatient-procedure-left-out"])
    assert attempted.points > left_out.points


def test_a_bilateral_split_is_charged_once_and_not_again_on_pointers():
    by_id = {case["id"]: case for case in PANEL["cases"]}
    result = graded(by_id["professional-right-and-left-for-bilateral"])
    rules = [item.rule for line in result.lines for item in line.deductions]
    assert rules == ["bilateral_split", "bilateral_split"]
    assert [line.points for line in result.lines if line.status.value == "extra"] == [
        0.0,
        0.0,
    ]
