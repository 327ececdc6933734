"""The gradebook downloaded as CSV and XLSX, read back and checked against the
page: one row per learner, a score and a status column per assignment."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cohorts.models import Assignment
from tests.gradebook.conftest import (
    OFFICE_NEAR_MISS,
    OFFICE_RIGHT,
    assign,
    case_submitted,
    exam_graded,
    member,
)

pytestmark = pytest.mark.django_db

Kind = Assignment.Kind


@pytest.fixture
def graded_class(cohort, content):
    office = content["office"]
    assign(cohort, Kind.CASE, title="Office", due=timedelta(days=7), cases=[office])
    assign(
        cohort,
        Kind.EXAM,
        title="Mock",
        due=-timedelta(days=1),
        blueprint=content["exam"],
    )
    ada = member(cohort, "ada@example.test", "Ada Lovelace")
    ben = member(cohort, "ben@example.test", '=HYPERLINK("http://evil.test")')
    case_submitted(ada, office, OFFICE_RIGHT)
    case_submitted(ben, office, OFFICE_NEAR_MISS)
    exam_graded(ada, content["exam"], right=True)
    return cohort


def expected_rows(client, cohort) -> list[list]:
    """The page's learners, scores (one decimal) and statuses, in its order."""
    book = client.get(reverse("gradebook:cohort", args=[cohort.pk])).context["book"]
    rows = []
    for row in book.rows:
        cells = [row.learner.email]
        for grade in row.grades:
            score = None if grade.percent is None else round(grade.percent, 1)
            cells += [score, grade.status_label]
        rows.append(cells + [round(row.overall, 1)])
    return rows


def test_the_csv_holds_what_the_page_shows(instructor_client, graded_class):
    reply = instructor_client.get(
        reverse("gradebook:export_csv", args=[graded_class.pk])
    )

    assert reply.status_code == 200
    assert reply["Content-Type"].startswith("text/csv")
    assert 'filename="cpc-spring-evening-gradebook-' in reply["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(reply.content.decode("utf-8-sig"))))
    assert lines[0] == ["Class", "CPC Spring = evening"]
    assert lines[1][0] == "Exported" and lines[1][1]
    assert lines[3] == [
        "Learner", "Email", "Mock (score %)", "Mock (status)",
        "Office (score %)", "Office (status)", "Overall %",
    ]  # fmt: skip
    learners = lines[4:-1]
    read_back = [
        [row[1]] + [float(c) if c and c[0].isdigit() else (c or None) for c in row[2:]]
        for row in learners
    ]
    assert read_back == expected_rows(instructor_client, graded_class)
    # A name that would run as a formula in a spreadsheet is kept as text.
    names = {row[1]: row[0] for row in learners}
    assert names["ben@example.test"] == '\'=HYPERLINK("http://evil.test")'
    assert lines[-1][0] == "Class average"


def test_the_xlsx_holds_what_the_page_shows(instructor_client, graded_class):
    reply = instructor_client.get(
        reverse("gradebook:export_xlsx", args=[graded_class.pk])
    )

    assert reply.status_code == 200
    assert reply["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(reply.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:2] == ["Class", "CPC Spring = evening"]
    assert rows[3][0] == "Learner"
    learners = rows[4:-1]
    assert [[row[1], *row[2:]] for row in learners] == expected_rows(
        instructor_client, graded_class
    )
    names = {row[1]: row[0] for row in learners}
    assert names["ben@example.test"] == '\'=HYPERLINK("http://evil.test")'
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
