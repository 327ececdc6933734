"""The gradebook as a spreadsheet: one row per learner, a score and a status
column per assignment, then the overall; the class name and the export time on
top. CSV through the csv module, XLSX through openpyxl."""

import csv
import io

from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook

from gradebook.selectors import Gradebook

# A spreadsheet runs a cell starting with one of these as a formula; names and
# titles are people's text, so such a cell is written with a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def filename(book: Gradebook, extension: str) -> str:
    day = timezone.localtime(book.computed_at).strftime("%Y-%m-%d")
    return f"{slugify(book.cohort.name) or 'class'}-gradebook-{day}.{extension}"


def gradebook_rows(book: Gradebook) -> list[list]:
    """The sheet as rows of cells: scores as numbers rounded to one decimal,
    empty where there is no score."""
    exported = timezone.localtime(book.computed_at).strftime("%Y-%m-%d %H:%M %Z")
    header = ["Learner", "Email"]
    for assignment in book.assignments:
        header += [f"{assignment.title} (score %)", f"{assignment.title} (status)"]
    rows = [
        ["Class", book.cohort.name],
        ["Exported", exported],
        [],
        header + ["Overall %"],
    ]
    for row in book.rows:
        cells = [str(row.learner), row.learner.email]
        for grade in row.grades:
            cells += [_score(grade.percent), grade.status_label]
        rows.append(cells + [_score(row.overall)])
    rows.append(
        ["Class average", ""]
        + [cell for average in book.averages for cell in (_score(average), "")]
    )
    return [[_cell(cell) for cell in row] for row in rows]


def gradebook_csv(book: Gradebook) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(
        [["" if cell is None else cell for cell in row] for row in gradebook_rows(book)]
    )
    # The byte order mark makes Excel read the file as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def gradebook_xlsx(book: Gradebook) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Gradebook"
    for row in gradebook_rows(book):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _score(percent: float | None) -> float | None:
    return None if percent is None else round(percent, 1)
