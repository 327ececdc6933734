"""The case library (one index page) and the case study pages under it."""

from __future__ import annotations

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import models
from django.shortcuts import redirect
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from case_studies.blocks import DocumentationBlock
from case_studies.panels import KeyHistoryPanel
from certifications.models import Difficulty
from grading.exceptions import GradingInputError
from grading.key_blocks import KeyLinesBlock
from grading.keys import key_errors, key_from_blocks
from grading.models import ClaimSetting
from grading.selectors import policy_named

DEFAULT_POLICY = "practice"
NO_DATE_OF_SERVICE = "A case needs a date of service to validate its key."


class CaseSetting(models.TextChoices):
    PHYSICIAN_OFFICE = "physician_office", "Physician office"
    EMERGENCY_DEPARTMENT = "emergency_department", "Emergency department"
    AMBULATORY_SURGERY = "ambulatory_surgery", "Ambulatory surgery"
    INPATIENT = "inpatient", "Inpatient"
    NURSING_FACILITY = "nursing_facility", "Nursing facility"
    OBSERVATION = "observation", "Hospital observation"


class CaseLibraryPage(Page):
    """The one index of case studies; learners browse it through the practice
    library, which filters and tracks attempts."""

    intro = models.TextField(
        blank=True, help_text="A sentence or two shown above the case list."
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["core.HomePage"]
    subpage_types = ["case_studies.CaseStudyPage"]
    max_count = 1

    def serve(self, request, *args, **kwargs):
        return redirect("case_studies:library")


class CaseStudyPage(Page):
    """A realistic record to code, with its answer key. The key is only ever shown
    to editors in the admin and to a learner in the feedback after submitting."""

    setting = models.CharField(
        max_length=32,
        choices=CaseSetting.choices,
        help_text="Where the encounter took place.",
    )
    specialty = models.CharField(max_length=80, help_text="e.g. Family medicine.")
    difficulty = models.CharField(
        max_length=16, choices=Difficulty.choices, default=Difficulty.BEGINNER
    )
    exams = ParentalManyToManyField(
        "certifications.Certification",
        blank=True,
        related_name="case_studies",
        help_text="The exams this case prepares for.",
    )
    domains = ParentalManyToManyField(
        "certifications.Domain",
        blank=True,
        related_name="case_studies",
        help_text="Exam domains the case practises (shared with exams, readiness).",
    )
    date_of_service = models.DateField(
        null=True,
        help_text="Pins the code-set release that the key is validated and graded "
        "against.",
    )
    estimated_minutes = models.PositiveSmallIntegerField(
        default=10, help_text="How long a learner at this level needs."
    )
    summary = models.TextField(
        blank=True,
        help_text="One sentence shown in the library. Never mention codes.",
    )
    documentation = StreamField(
        DocumentationBlock(),
        help_text="The record the learner reads, in order.",
    )
    claim_setting = models.CharField(
        max_length=16,
        choices=ClaimSetting.choices,
        default=ClaimSetting.PROFESSIONAL,
        help_text="The claim the key is for: inpatient keys use ICD-10-PCS lines, "
        "the others service lines.",
    )
    grading_policy = models.CharField(
        max_length=100,
        blank=True,
        default=DEFAULT_POLICY,
        help_text="The scoring policy practice attempts are graded under: practice "
        "(when blank), strict, exam or one defined under Grading → Scoring "
        "policies.",
    )
    key_weights = models.JSONField(
        "Weight overrides",
        default=dict,
        blank=True,
        help_text="Rows of the scoring table this key weighs differently from its "
        'policy, e.g. {"modifier_payment": 1.0} where the missing modifier means a '
        "denial (rows and their units: docs/grading.md).",
    )
    answer_key = StreamField(
        KeyLinesBlock(),
        blank=True,
        help_text="Diagnosis lines in order (the first is principal or "
        "first-listed), then procedure or service lines. Every code is checked "
        "against the release in force on the date of service.",
    )

    # Never the key: the site search must not reveal it.
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("specialty"),
        index.FilterField("setting"),
        index.FilterField("difficulty"),
    ]

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("setting"),
                FieldPanel("specialty"),
                FieldPanel("difficulty"),
                FieldPanel("estimated_minutes"),
                FieldPanel("date_of_service"),
                FieldPanel("exams"),
                FieldPanel("domains"),
            ],
            heading="About the case",
        ),
        FieldPanel("documentation"),
    ]
    key_panels = [
        FieldPanel("claim_setting"),
        FieldPanel("grading_policy"),
        FieldPanel("answer_key"),
        FieldPanel("key_weights"),
        KeyHistoryPanel(heading="Changes to the published key"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Case"),
            ObjectList(key_panels, heading="Answer key"),
            ObjectList(Page.promote_panels, heading="Promote"),
        ]
    )

    parent_page_types = ["case_studies.CaseLibraryPage"]
    subpage_types: list[str] = []

    template = "case_studies/case_study_page.html"

    @property
    def key_data(self) -> dict:
        """The answer key as the grading engine's JSON."""
        return key_from_blocks(
            self.answer_key,
            setting=self.claim_setting,
            date_of_service=self.date_of_service,
            weights=self.key_weights,
        )

    @property
    def policy_name(self) -> str:
        """The scoring policy attempts are graded under."""
        return self.grading_policy or DEFAULT_POLICY

    @property
    def key_revision(self) -> str:
        """A short fingerprint of the key, recorded with every graded attempt."""
        encoded = json.dumps(self.key_data, sort_keys=True).encode()
        return hashlib.sha256(encoded).hexdigest()[:16]

    def clean(self):
        super().clean()
        if self.date_of_service is None:
            raise ValidationError({"date_of_service": NO_DATE_OF_SERVICE})
        # An emptied overrides field arrives as None: no overrides.
        self.key_weights = self.key_weights or {}
        errors = key_errors(self.key_data)
        if errors:
            by_field: dict[str, list[str]] = {}
            for problem in errors:
                weights = problem.path.startswith("weights")
                name = "key_weights" if weights else "answer_key"
                by_field.setdefault(name, []).append(str(problem))
            raise ValidationError(by_field)
        # Imported here: the content linter reads case pages itself.
        from content_checks.selectors import case_blocking_errors

        blocking = case_blocking_errors(
            slug=self.slug,
            key=self.key_data,
            documentation=self.documentation.raw_data,
            setting=self.setting,
        )
        if blocking:
            raise ValidationError({"answer_key": blocking})
        try:
            policy_named(self.policy_name)
        except GradingInputError as error:
            raise ValidationError(
                {"grading_policy": [message for _, message in error.errors]}
            ) from None

    def serve(self, request, *args, **kwargs):
        # Learners practise in the practice view, which tracks attempts.
        return redirect("case_studies:practice", slug=self.slug)

    def serve_preview(self, request, mode_name):
        # Editors preview the documentation as learners read it; never the key.
        return Page.serve(self, request)
