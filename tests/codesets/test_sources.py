"""The parsers, on sample files in the official layouts (no database)."""

from datetime import date

import pytest

from codesets.loaders import excludes1_references
from codesets.sources import ama_cpt, bundled, cms_order, hcpcs_anweb, ncci
from codesets.sources.pcs_axes import axis_labels
from codesets.sources.records import Kind, ParseError
from codesets.validation import placeholder_variants
from tests.codesets.conftest import DATA


def test_icd10cm_order_file_gives_hierarchy_and_billable_flags():
    records = {
        r.code: r
        for r in cms_order.parse_icd10cm_order(DATA / "icd10cm-order-sample.txt")
    }
    assert records["E1165"].billable and records["E1165"].parent == "E116"
    assert not records["E116"].billable
    assert records["E1165"].display == "E11.65"
    assert records["T360X1A"].parent == "T360X1"
    assert records["I10"].chapter == "9"


def test_pcs_order_file_gives_tables_and_axes():
    records = {
        r.code: r
        for r in cms_order.parse_icd10pcs_order(DATA / "icd10pcs_order-sample.txt")
    }
    assert records["0DT"].kind == Kind.TABLE
    assert records["0DT"].long_description == "Gastrointestinal System, Resection"
    assert records["0D"].long_description == "Gastrointestinal System"
    axes = records["0DTJ4ZZ"].axes
    assert axes[:4] == (
        "Medical and Surgical",
        "Gastrointestinal System",
        "Resection",
        "Appendix",
    )
    assert axes[4] == "Percutaneous Endoscopic"
    assert axes[5:] == ("No Device", "No Qualifier")


def test_pcs_axis_labels_come_from_sibling_descriptions():
    labels = axis_labels(
        {
            "0FT40ZZ": "Resection of Gallbladder, Open Approach",
            "0FT44ZZ": "Resection of Gallbladder, Percutaneous Endoscopic Approach",
            "0DTJ0ZZ": "Resection of Appendix, Open Approach",
        }
    )
    assert labels["0FT44ZZ"][3:5] == ("Gallbladder", "Percutaneous Endoscopic")
    assert labels["0DTJ0ZZ"][3] == "Appendix"


def test_anweb_joins_continuation_lines_and_reads_dates():
    records = {
        r.code: r for r in hcpcs_anweb.parse_anweb(DATA / "hcpcs_anweb-sample.txt")
    }
    assert "LT" not in records
    assert records["E0114"].long_description.endswith("pads, tips and handgrips")
    assert records["G0202"].terminated_on == date(2017, 12, 31)
    assert records["G0202"].replaced_by == ("77067",)
    assert records["J1100"].short_description == "Dexamethasone sodium phos"


def test_ama_cpt_file_reads_code_and_descriptor():
    records = list(ama_cpt.parse_cpt_file(DATA / "cpt_longult-sample.txt"))
    assert [r.code for r in records] == ["99213", "27447", "0042T"]


def test_ncci_files_skip_headers_and_read_rows():
    ptp = list(ncci.parse_ptp(DATA / "ncci_ptp-sample.txt"))
    assert (ptp[0].column1, ptp[0].column2, ptp[0].modifier_indicator) == (
        "27447",
        "20610",
        "1",
    )
    assert ptp[2].deleted_on == date(2023, 1, 1)
    mue = {m.code: m for m in ncci.parse_mue(DATA / "ncci_mue-sample.csv")}
    assert mue["97110"].value == 6
    assert mue["A4253"].adjudication_indicator == "1 Line Edit"


@pytest.mark.parametrize(
    ("parse", "name", "line", "reason"),
    [
        (cms_order.parse_icd10cm_order, "icd10cm-order-malformed.txt", 3, "flag"),
        (hcpcs_anweb.parse_anweb, "hcpcs_anweb-malformed.txt", 3, "RECID"),
        (ama_cpt.parse_cpt_file, "cpt_longult-malformed.txt", 2, "not a valid code"),
        (ncci.parse_ptp, "ncci_ptp-malformed.txt", 4, "modifier indicator"),
        (ncci.parse_mue, "ncci_mue-malformed.csv", 4, "whole number"),
    ],
)
def test_malformed_files_name_the_line_and_reason(parse, name, line, reason):
    with pytest.raises(ParseError) as error:
        list(parse(DATA / name))
    assert error.value.line == line
    assert reason in error.value.reason


def test_bundled_lists_parse_and_mark_lay_descriptions():
    cpt = list(bundled.parse_cpt_demo())
    assert 150 <= len(cpt) <= 300
    assert all(r.short_description == bundled.LAY_NOTE for r in cpt)
    modifiers = {r.code for r in bundled.parse_modifiers()}
    required = {"25", "26", "50", "51", "52", "57", "58", "59", "76", "77", "78", "79"}
    required |= {"91", "TC", "LT", "RT", "FA", "TA", "XE", "XP", "XS", "XU"}
    required |= {f"E{i}" for i in range(1, 5)} | {f"F{i}" for i in range(1, 10)}
    required |= {f"T{i}" for i in range(1, 10)}
    assert required <= modifiers
    assert {"J1100", "E0114", "G0008"} <= {r.code for r in bundled.parse_hcpcs_demo()}


def test_excludes1_references_read_prefixes_and_ranges():
    refs = excludes1_references(
        [
            "type 1 diabetes mellitus (E10.-)",
            "gestational diabetes (O24.4-)",
            "(I20-I25)",
        ]
    )
    assert refs == ["E10", "O244", "I20:I25"]


def test_placeholder_variants_put_x_in_the_empty_positions():
    assert "T360X1A" in placeholder_variants("T3601A")
    assert placeholder_variants("E1165A") != []
    assert placeholder_variants("E11") == []
