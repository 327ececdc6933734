"""No stored HTML reaches a page unsanitised. Every `|safe` in a template names
the model field it renders, and that field is cleaned by core.sanitize whenever it
is stored (the admin form's clean and every save); every `|richtext` renders a
RichTextField, which the editor's allow-list writes; no template turns
autoescaping off; Python marks HTML safe only where listed below, and why.

A new `|safe` fails here until it is mapped to a field that is sanitised on save.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from wagtail.fields import RichTextField

from billing.models import BillingScenarioPage
from core.models import HomePage
from courses.models import CourseIndexPage, CoursePage
from exams.models import Question
from tests.exams.conftest import load_test_exams

ROOT = Path(settings.BASE_DIR)

# (template, variable) → the model field that variable holds.
SAFE_FIELDS = {
    ("exams/templates/exams/question.html", "item.stem"): (Question, "stem"),
    ("exams/templates/exams/question.html", "item.scenario"): (Question, "scenario"),
    ("exams/templates/exams/results.html", "entry.stem"): (Question, "stem"),
    ("exams/templates/exams/results.html", "entry.scenario"): (Question, "scenario"),
}
RICHTEXT_FIELDS = {
    ("templates/core/home_page.html", "page.intro"): (HomePage, "intro"),
    ("courses/templates/courses/course_page.html", "page.overview"): (
        CoursePage,
        "overview",
    ),
    ("courses/templates/courses/course_page.html", "page.prerequisites"): (
        CoursePage,
        "prerequisites",
    ),
    ("courses/templates/courses/course_index_page.html", "page.intro"): (
        CourseIndexPage,
        "intro",
    ),
    ("billing/templates/billing/attempt.html", "page.brief"): (
        BillingScenarioPage,
        "brief",
    ),
}
# Python files that mark HTML safe, and why no stored field passes unsanitised.
MARKED_SAFE_IN_PYTHON = {
    "core/templatetags/sanitize.py": "the `sanitized` filter: clean_html's output",
    "case_studies/templatetags/case_documents.py": "`scrolling_tables`: the "
    "`sanitized` filter's output with a scroll box (format_html escapes its label) "
    "around each bare <table> the sanitiser leaves",
    "exams/views.py": "the exam navigation panel: numbers, fixed words and the "
    "escaped URL prefix, no stored text",
    "exams/wagtail_hooks.py": "the sittings list's roster link (format_html escapes "
    "the URL)",
}

HOSTILE = (
    '<p>Stem</p><meta http-equiv="refresh" content="0;url=https://evil.test">'
    '<iframe src="https://evil.test"></iframe><a href="javascript:alert(1)">x</a>'
    "<script>alert(1)</script>"
)
_FILTERED = re.compile(r"{{\s*([\w.]+)\s*\|\s*(safe|richtext)\b")
_PY_MARKS_SAFE = re.compile(r"\b(mark_safe|format_html|format_html_join|SafeString)\b")
_SKIPPED = {".venv", "node_modules", "tests", "migrations", "static"}


def _project_files(pattern: str):
    for path in ROOT.rglob(pattern):
        relative = path.relative_to(ROOT)
        if not _SKIPPED.intersection(relative.parts):
            yield relative


def _filtered_uses(name: str) -> set[tuple[str, str]]:
    return {
        (str(path), variable)
        for path in _project_files("*.html")
        for variable, used in _FILTERED.findall((ROOT / path).read_text())
        if used == name
    }


def test_every_safe_in_a_template_is_mapped_to_its_field():
    assert _filtered_uses("safe") == set(SAFE_FIELDS)


def test_every_richtext_in_a_template_renders_a_rich_text_field():
    assert _filtered_uses("richtext") == set(RICHTEXT_FIELDS)
    for model, name in RICHTEXT_FIELDS.values():
        assert isinstance(model._meta.get_field(name), RichTextField), (model, name)


def test_no_template_turns_autoescaping_off():
    for path in _project_files("*.html"):
        text = (ROOT / path).read_text()
        assert not re.search(r"{%\s*autoescape\s+off|\|\s*safeseq", text), path


def test_python_marks_html_safe_only_where_listed():
    marking = {
        str(path)
        for path in _project_files("*.py")
        if _PY_MARKS_SAFE.search((ROOT / path).read_text())
    }
    assert marking == set(MARKED_SAFE_IN_PYTHON)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "name"),
    sorted(set(SAFE_FIELDS.values()), key=lambda pair: pair[1]),
    ids=lambda value: getattr(value, "__name__", value),
)
def test_each_field_rendered_safe_is_sanitised_when_stored(model, name):
    load_test_exams()
    instance = model.objects.first()
    # The admin's form cleans the instance it then saves or stores as a revision
    # (tests/exams/test_review.py posts through the admin view itself).
    setattr(instance, name, HOSTILE)
    instance.full_clean()
    assert getattr(instance, name) == "<p>Stem</p><a>x</a>"
    setattr(instance, name, HOSTILE)
    instance.save()
    stored = model.objects.values_list(name, flat=True).get(pk=instance.pk)
    assert stored == "<p>Stem</p><a>x</a>"
