"""One way to validate import files: every importer refuses a malformed file with
the same (file, path, message) lines and stores nothing, paths read as authors
count, and the published JSON Schemas are the models' own."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from case_studies.formats import CaseBundle
from case_studies.models import CaseStudyPage
from certifications.formats import CertificationOutlines
from certifications.models import Certification, Domain
from certifications.services import BUNDLED_OUTLINES, certifications_load
from core.imports import (
    SCHEMA_DIR,
    ImportRefused,
    file_read,
    file_validate,
    human_path,
    parse_dotted_path,
    published_formats,
)
from courses.formats import Course
from courses.models import CoursePage
from exams.formats import Blueprints, QuestionBank
from exams.models import Blueprint, Question

ROOT = Path(__file__).resolve().parents[2]
# Every file the repository imports, with its format: the demo content the
# database-backed tests load is checked here against the format alone, quickly.
SHIPPED_FILES = [
    *((CaseBundle, p) for p in sorted(ROOT.glob("case_studies/demo/cases/*.json"))),
    *((Course, p) for p in sorted(ROOT.glob("courses/demo/*.json"))),
    *((QuestionBank, p) for p in sorted(ROOT.glob("exams/demo/questions/*.json"))),
    (Blueprints, ROOT / "exams" / "demo" / "blueprints.json"),
    (CertificationOutlines, BUNDLED_OUTLINES),
]

# "file: path: message", the path's steps joined by arrows.
PROBLEM_LINE = re.compile(r"^[\w.-]+\.json: [^:→]+( → [^:→]+)*: .+$")


def test_the_published_schemas_are_the_models_own():
    call_command("format_schemas", "--check", stdout=StringIO())
    assert sorted(p.name for p in SCHEMA_DIR.glob("*.schema.json")) == sorted(
        f"{name}.schema.json" for name in published_formats()
    )


@pytest.mark.parametrize(
    ("model", "path"), SHIPPED_FILES, ids=[path.name for _, path in SHIPPED_FILES]
)
def test_every_shipped_file_is_in_its_format(model, path):
    file_validate(model, file_read(path), file=path.name)


def test_a_schema_out_of_date_is_named(tmp_path):
    call_command("format_schemas", f"--dir={tmp_path}", stdout=StringIO())
    course = tmp_path / "course.schema.json"
    schema = json.loads(course.read_text())
    del schema["properties"]["modules"]
    course.write_text(json.dumps(schema))
    with pytest.raises(CommandError, match=r"^course\.schema\.json: out of date"):
        call_command("format_schemas", f"--dir={tmp_path}", "--check")


@pytest.mark.parametrize(
    ("loc", "data", "path"),
    [
        (
            ("cases", 2, "key", "service_lines", 1, "pointers", 0),
            None,
            "case 3 → key → service line 2 → pointer 1",
        ),
        (
            ("questions", 0, "single", "options", 1, "text"),
            {"questions": [{"slug": "q-1", "options": [{}, {"id": "b"}]}]},
            "question 1 (q-1) → option 2 (b) → text",
        ),
        (
            ("body", 0, "callout", "value", "kind"),
            {"body": [{"type": "callout", "value": {"kind": "x"}}]},
            "block 1 (callout) → kind",
        ),
        (("cases", 0, "title"), {"cases": [{"slug": "a"}]}, "case 1 (a) → title"),
    ],
)
def test_paths_read_as_an_author_counts(loc, data, path):
    assert human_path(loc, data, missing=True) == path


def test_the_engines_paths_read_the_same_way():
    loc = parse_dotted_path("service_lines[1].modifier_alternatives[0].reason")
    assert loc == ("service_lines", 1, "modifier_alternatives", 0, "reason")
    assert human_path(loc) == "service line 2 → modifier alternative 1 → reason"


def _bad_bundle(tmp_path):
    path = tmp_path / "cases.json"
    case = {"slug": "Not A Slug", "title": "", "setting": "spaceship"}
    data = {"format": "coderacademy-case-bundle", "version": 1, "cases": [case]}
    path.write_text(json.dumps(data))
    return ["import_cases", str(path)], lambda: CaseStudyPage.objects.exists()


def _bad_course(tmp_path):
    path = tmp_path / "course.json"
    lesson = {"slug": "l", "title": "L", "estimated_minutes": 0, "body": [{}]}
    data = {
        "format": "coderacademy-course",
        "version": 1,
        "slug": "c",
        "title": "C",
        "certification": "cpc",
        "overview": "<p>O</p>",
        "modules": [{"slug": "m", "title": "M", "lessons": [lesson]}],
    }
    path.write_text(json.dumps(data))
    return ["load_demo_courses", str(path)], lambda: CoursePage.objects.exists()


def _bad_exam_content(tmp_path):
    (tmp_path / "questions").mkdir()
    good = {
        "slug": "q-good",
        "kind": "single",
        "certification": "cpc",
        "difficulty": "beginner",
        "domains": ["cpc-icd-10-cm"],
        "stem": "<p>Which?</p>",
        "options": [{"id": x, "text": x, "correct": x == "a"} for x in "abcd"],
    }
    bad = {**good, "slug": "q-bad", "options": good["options"][:3]}
    bank = {"format": "coderacademy-question-bank", "version": 1}
    (tmp_path / "questions" / "bank.json").write_text(
        json.dumps({**bank, "questions": [good, bad]})
    )
    blueprint = {
        "slug": "b",
        "name": "B",
        "certification": "cpc",
        "time_limit_minutes": 30,
        "passing_rule": {"kind": "percent", "cut": 70},
        "selection": "fixed",
        "question_slugs": ["q-good"],
        "review_policy": "sometimes",
    }
    (tmp_path / "blueprints.json").write_text(
        json.dumps(
            {
                "format": "coderacademy-blueprints",
                "version": 1,
                "blueprints": [blueprint],
            }
        )
    )

    def stored():
        return Question.objects.exists() or Blueprint.objects.exists()

    return ["load_demo_exams", f"--path={tmp_path}"], stored


@pytest.mark.django_db
@pytest.mark.parametrize("bad_file", [_bad_bundle, _bad_course, _bad_exam_content])
def test_every_importer_refuses_with_the_same_lines_and_stores_nothing(
    tmp_path, bad_file
):
    command, stored = bad_file(tmp_path)
    with pytest.raises(CommandError) as raised:
        call_command(*command, stdout=StringIO(), stderr=StringIO())
    lines = str(raised.value).splitlines()
    assert len(lines) >= 2, lines
    assert all(PROBLEM_LINE.match(line) for line in lines), lines
    assert not stored()


@pytest.mark.django_db
def test_the_exam_files_are_refused_together(tmp_path):
    command, _ = _bad_exam_content(tmp_path)
    with pytest.raises(CommandError) as raised:
        call_command(*command, stdout=StringIO())
    assert str(raised.value).splitlines() == [
        "bank.json: question 2 (q-bad): a single-answer item has 4 options, "
        "exactly one correct",
        "blueprints.json: blueprint 1 (b) → review_policy: must be 'immediately', "
        "'after_close' or 'never'",
    ]


@pytest.mark.django_db
def test_certification_outlines_are_checked_before_anything_is_written(tmp_path):
    path = tmp_path / "certifications.json"
    outline = {
        "slug": "new-cert",
        "abbreviation": "NEW",
        "name": "New",
        "awarding_body": "Body",
        "domains": [["new-domain", "A domain", "8"]],
    }
    path.write_text(json.dumps({"certifications": [outline]}))
    with pytest.raises(ImportRefused) as raised:
        certifications_load(
            certification_model=Certification, domain_model=Domain, path=path
        )
    assert [str(problem) for problem in raised.value.problems] == [
        "certifications.json: certification 1 (new-cert) → domain 1 → item 3: "
        "must be a whole number"
    ]
    assert not Certification.objects.filter(slug="new-cert").exists()
