"""The billing library (one index page) and the scenarios under it, authored in
Wagtail and published through "Answer key review" like every key."""

from __future__ import annotations

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import models
from django.shortcuts import redirect
from modelcluster.fields import ParentalManyToManyField
from pydantic import ValidationError as FormatError
from wagtail.admin.panels import (
    FieldPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from billing.engine.scenario import Scenario, ScenarioKind
from certifications.models import Difficulty


def format_errors(error: FormatError) -> list[str]:
    """pydantic's errors as "path: message" lines an author can act on."""
    return [
        f"{'.'.join(str(p) for p in problem['loc']) or 'scenario'}: {problem['msg']}"
        for problem in error.errors()
    ]


class BillingLibraryPage(Page):
    """The one index of billing scenarios; learners browse them in the billing
    library, which tracks their work."""

    intro = models.TextField(
        blank=True, help_text="A sentence or two shown above the scenario list."
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["core.HomePage"]
    subpage_types = ["billing.BillingScenarioPage"]
    max_count = 1

    def serve(self, request, *args, **kwargs):
        return redirect("billing:library")


class BillingScenarioPage(Page):
    """A billing exercise: a registration, a claim to build or a given claim, and
    its key. The key (claim key, expected edits) is shown only to editors and, after
    each step is handed in, in the learner's feedback."""

    kind = models.CharField(
        max_length=16,
        choices=[(k.value, k.value.title()) for k in ScenarioKind],
        help_text="claim: build the claim, scrub, submit and work the remittance; "
        "scrub: predict the scrubber's edits; remittance: post an 835; denial: "
        "work a denial and appeal.",
    )
    summary = models.TextField(
        blank=True, help_text="One sentence shown in the library. Never the answer."
    )
    difficulty = models.CharField(
        max_length=16, choices=Difficulty.choices, default=Difficulty.BEGINNER
    )
    exams = ParentalManyToManyField(
        "certifications.Certification", blank=True, related_name="billing_scenarios"
    )
    domains = ParentalManyToManyField(
        "certifications.Domain",
        blank=True,
        related_name="billing_scenarios",
        help_text="Exam domains the scenario practises (readiness counts them).",
    )
    case_slug = models.SlugField(
        max_length=255,
        blank=True,
        help_text="claim scenarios: the case study whose record the claim is "
        "built from.",
    )
    brief = RichTextField(help_text="The task, as the learner reads it.")
    registration = models.JSONField(
        help_text="The face sheet: patient, insurance, coverage on file, "
        "authorisation, providers, place and date of service (docs/billing.md)."
    )
    claim = models.JSONField(
        null=True,
        blank=True,
        help_text="The claim the learner starts from; whole for scrub, remittance "
        "and denial scenarios.",
    )
    claim_key = models.JSONField(
        null=True,
        blank=True,
        help_text="claim scenarios: the expected claim with a rationale and "
        "reference per box (docs/billing.md, 'The claim key').",
    )
    expected_edits = models.JSONField(
        default=list,
        blank=True,
        help_text="scrub scenarios: the scrubber's edit ids on the given claim.",
    )
    appeal_rubric = models.JSONField(
        default=list,
        blank=True,
        help_text="denial scenarios: what the instructor looks for in the appeal.",
    )

    # Never the key: the site search must not reveal it.
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.FilterField("kind"),
    ]

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("difficulty"),
                FieldPanel("exams"),
                FieldPanel("domains"),
                FieldPanel("case_slug"),
            ],
            heading="About the scenario",
        ),
        FieldPanel("brief"),
        FieldPanel("registration"),
        FieldPanel("claim"),
    ]
    key_panels = [
        FieldPanel("claim_key"),
        FieldPanel("expected_edits"),
        FieldPanel("appeal_rubric"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Scenario"),
            ObjectList(key_panels, heading="Answer key"),
            ObjectList(Page.promote_panels, heading="Promote"),
        ]
    )

    parent_page_types = ["billing.BillingLibraryPage"]
    subpage_types: list[str] = []

    def scenario(self) -> Scenario:
        """The page as the engine's scenario; raises pydantic's ValidationError."""
        return Scenario.model_validate(
            {
                "slug": self.slug,
                "title": self.title,
                "kind": self.kind,
                "summary": self.summary,
                "difficulty": self.difficulty,
                "case": self.case_slug,
                "brief": self.brief,
                "registration": self.registration,
                "claim": self.claim,
                "claim_key": self.claim_key,
                "expected_edits": tuple(self.expected_edits or ()),
                "appeal_rubric": tuple(self.appeal_rubric or ()),
            }
        )

    @property
    def key_revision(self) -> str:
        """A short fingerprint of the key, recorded with every graded step."""
        key = [self.claim_key, self.expected_edits, self.appeal_rubric]
        encoded = json.dumps(key, sort_keys=True).encode()
        return hashlib.sha256(encoded).hexdigest()[:16]

    def clean(self):
        super().clean()
        try:
            scenario = self.scenario()
        except FormatError as error:
            raise ValidationError({"registration": format_errors(error)}) from None
        # Imported here: the checks read code sets and payer files.
        from billing.checks import scenario_problems

        if problems := scenario_problems(scenario):
            raise ValidationError({"claim_key": problems})

    def serve(self, request, *args, **kwargs):
        return redirect("billing:scenario", slug=self.slug)
