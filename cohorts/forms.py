"""Forms of the class pages: a class, invitations (typed or from a CSV), an
assignment and an exam accommodation for one of the class's learners."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from case_studies.models import CaseStudyPage
from case_studies.selectors import published_cases
from cohorts.models import Assignment, Cohort
from courses.models import LessonPage
from exams.models import Blueprint, ReviewPolicy

EMAIL_SEPARATORS = re.compile(r"[\s,;]+")
MAX_CSV_BYTES = 1024 * 1024
MAX_INVITATIONS = 2000

NO_ADDRESSES = "Type at least one email address or upload a CSV file."
BAD_TYPED_ADDRESS = 'Address {number} ("{value}") is not a valid email address.'
BAD_CSV_ROW = 'Row {row}: "{value}" is not a valid email address.'
CSV_NO_EMAIL_COLUMN = 'The CSV file needs a column headed "email".'
CSV_UNREADABLE = "The CSV file could not be read as UTF-8 text."
CSV_TOO_BIG = "The CSV file is larger than 1 MB."
TOO_MANY = f"At most {MAX_INVITATIONS} addresses at a time."

CHOOSE_CASE = "Choose the case to assign."
CHOOSE_CASES = "Choose at least two cases for a set."
CHOOSE_LESSON = "Choose the lesson to assign."
CHOOSE_EXAM = "Choose the mock exam to assign."
DUE_IN_PAST = "The due date must be in the future."
DUE_BEFORE_ASSIGNED = "The due date must be after the work was set ({assigned})."
NOTHING_GRANTED = "Grant extra minutes, a time multiplier or extra attempts."


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class InvitationForm(forms.Form):
    emails = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Email addresses",
        help_text="One per line, or separated by commas.",
    )
    csv_file = forms.FileField(
        required=False,
        label="Or a CSV file",
        help_text='A spreadsheet saved as CSV with a column headed "email".',
    )

    def clean_emails(self) -> list[str]:
        values = [v for v in EMAIL_SEPARATORS.split(self.cleaned_data["emails"]) if v]
        errors = [
            BAD_TYPED_ADDRESS.format(number=number, value=value)
            for number, value in enumerate(values, start=1)
            if not _is_email(value)
        ]
        if errors:
            raise ValidationError(errors)
        return values

    def clean_csv_file(self) -> list[str]:
        upload = self.cleaned_data["csv_file"]
        if upload is None:
            return []
        if upload.size > MAX_CSV_BYTES:
            raise ValidationError(CSV_TOO_BIG)
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(CSV_UNREADABLE) from None
        reader = csv.DictReader(io.StringIO(text))
        headers = {name.strip().lower(): name for name in reader.fieldnames or []}
        if "email" not in headers:
            raise ValidationError(CSV_NO_EMAIL_COLUMN)
        values, errors = [], []
        # Row 1 is the header, as a spreadsheet numbers it.
        for row_number, row in enumerate(reader, start=2):
            value = (row.get(headers["email"]) or "").strip()
            if not value:
                continue
            if _is_email(value):
                values.append(value)
            else:
                errors.append(BAD_CSV_ROW.format(row=row_number, value=value))
        if errors:
            raise ValidationError(errors)
        return values

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        addresses = cleaned["emails"] + cleaned["csv_file"]
        if not addresses:
            raise ValidationError(NO_ADDRESSES)
        if len(addresses) > MAX_INVITATIONS:
            raise ValidationError(TOO_MANY)
        cleaned["addresses"] = addresses
        return cleaned


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


class AssignmentForm(forms.Form):
    kind = forms.ChoiceField(choices=Assignment.Kind.choices, label="Kind of work")
    # Querysets are set per form: published_cases() reads view restrictions.
    case = forms.ModelChoiceField(
        queryset=CaseStudyPage.objects.none(), required=False, label="Case study"
    )
    cases = forms.ModelMultipleChoiceField(
        queryset=CaseStudyPage.objects.none(),
        required=False,
        label="Cases of the set",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    lesson = forms.ModelChoiceField(
        queryset=LessonPage.objects.live().order_by("title"), required=False
    )
    blueprint = forms.ModelChoiceField(
        queryset=Blueprint.objects.offered().order_by("name"),
        required=False,
        label="Mock exam",
    )
    title = forms.CharField(
        max_length=200,
        required=False,
        help_text="Leave empty to use the title of the case, lesson or exam.",
    )
    instructions = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    due_at = forms.DateTimeField(
        label="Due",
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
    )
    review_policy = forms.ChoiceField(
        choices=[("", "Follow the exam's own policy")] + ReviewPolicy.choices,
        required=False,
        label="Answers and feedback (mock exams)",
        help_text="The stricter of this and the exam's own policy applies.",
    )

    def __init__(self, *args, assignment: Assignment | None = None, **kwargs):
        self.assignment = assignment
        if assignment is not None:
            kwargs.setdefault("initial", _initial(assignment))
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = self.fields["cases"].queryset = published_cases()

    def clean_due_at(self):
        due_at = self.cleaned_data["due_at"]
        assigned_at = self.assignment.assigned_at if self.assignment else None
        unchanged = self.assignment is not None and due_at == self.assignment.due_at
        if not unchanged and due_at <= timezone.now():
            raise ValidationError(DUE_IN_PAST)
        if assigned_at is not None and due_at <= assigned_at:
            assigned = timezone.localtime(assigned_at).strftime("%Y-%m-%d %H:%M")
            raise ValidationError(DUE_BEFORE_ASSIGNED.format(assigned=assigned))
        return due_at

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        titles = []
        if kind == Assignment.Kind.CASE:
            if cleaned.get("case") is None:
                self.add_error("case", CHOOSE_CASE)
            else:
                cleaned["cases"] = [cleaned["case"]]
                titles = [cleaned["case"].title]
        elif kind == Assignment.Kind.CASE_SET:
            if len(cleaned.get("cases") or []) < 2:
                self.add_error("cases", CHOOSE_CASES)
            else:
                titles = [case.title for case in cleaned["cases"]]
        elif kind == Assignment.Kind.LESSON:
            if cleaned.get("lesson") is None:
                self.add_error("lesson", CHOOSE_LESSON)
            else:
                titles = [cleaned["lesson"].title]
        elif kind == Assignment.Kind.EXAM:
            if cleaned.get("blueprint") is None:
                self.add_error("blueprint", CHOOSE_EXAM)
            else:
                titles = [cleaned["blueprint"].name]
        if not cleaned.get("title") and titles:
            cleaned["title"] = "; ".join(titles)[:200]
        return cleaned

    def work(self) -> dict:
        """The cleaned fields as `cohorts.services.assignment_update` takes them."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"],
            "instructions": data["instructions"],
            "due_at": data["due_at"],
            "cases": data.get("cases") or [],
            "lesson": data.get("lesson"),
            "blueprint": data.get("blueprint"),
            "review_policy": data.get("review_policy", ""),
        }


def _initial(assignment: Assignment) -> dict:
    cases = list(assignment.cases.all())
    return {
        "kind": assignment.kind,
        "case": cases[0] if assignment.kind == Assignment.Kind.CASE and cases else None,
        "cases": cases,
        "lesson": assignment.lesson,
        "blueprint": assignment.blueprint,
        "title": assignment.title,
        "instructions": assignment.instructions,
        "due_at": timezone.localtime(assignment.due_at),
        "review_policy": assignment.review_policy,
    }


class AccommodationForm(forms.Form):
    learner = forms.ModelChoiceField(queryset=get_user_model().objects.none())
    extra_minutes = forms.IntegerField(min_value=0, max_value=600, initial=0)
    time_multiplier = forms.DecimalField(
        min_value=Decimal(1),
        max_value=Decimal(4),
        max_digits=4,
        decimal_places=2,
        initial=Decimal(1),
        help_text="e.g. 1.5 for time and a half.",
    )
    extra_attempts = forms.IntegerField(min_value=0, max_value=20, initial=0)
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, cohort: Cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["learner"].queryset = cohort.learners.order_by("email")

    def clean(self):
        cleaned = super().clean()
        if not self.errors and (
            cleaned["extra_minutes"] == 0
            and cleaned["time_multiplier"] == 1
            and cleaned["extra_attempts"] == 0
        ):
            raise ValidationError(NOTHING_GRANTED)
        return cleaned
