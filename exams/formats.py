"""The exam content formats (docs/exams.md): question banks
(`coderacademy-question-bank`) and blueprints (`coderacademy-blueprints`), version 1;
schemas in docs/formats/.

The models describe each file's structure and the shape rules of an item (a
single-answer item has four options and one right one). What needs the database
(certification, domain and question slugs, the grading policy) is checked by
`exams.loading`; a coding item's key by the grading engine's `parse_key`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self

from pydantic import Field, model_validator

from certifications.models import Difficulty
from core.imports import FileFormat, Slug, Text, one_of
from exams import passing
from exams.models import PassingKind, ReviewPolicy
from exams.models.blueprints import Selection

BANK_FORMAT = "coderacademy-question-bank"
BLUEPRINTS_FORMAT = "coderacademy-blueprints"

SINGLE_OPTIONS = 4
MULTIPLE_OPTIONS = (4, 6)
REPEATED_OPTION_IDS = "option ids must be unique"
SINGLE_SHAPE = f"a single-answer item has {SINGLE_OPTIONS} options, exactly one correct"
MULTIPLE_SHAPE = (
    "a multiple-response item has {low} to {high} options, `choose` of them correct"
)
CODING_NEEDS_RECORD = "a coding item needs a scenario or a case_slug"
NO_TIME_LIMIT = "needs time_limit_minutes or time_limit_seconds"

DifficultyName = one_of(Difficulty.values)
PassingKindName = one_of(PassingKind.values)
SelectionName = one_of(Selection.values)
ReviewPolicyName = one_of(ReviewPolicy.values)
Positive = Annotated[int, Field(gt=0)]


class Option(FileFormat):
    id: Text
    text: Text
    correct: bool = False
    rationale: str = ""


class QuestionBase(FileFormat):
    slug: Slug
    certification: str = Field(description="Certification slug")
    difficulty: DifficultyName
    domains: Annotated[list[str], Field(min_length=1, description="Domain slugs")]
    stem: Annotated[Text, Field(description="HTML, reduced to core.sanitize's list")]
    reference: str = ""
    pretest: bool = Field(default=False, description="Unscored pretest item")


class ChoiceQuestion(QuestionBase):
    options: list[Option]

    def _check_option_ids(self) -> None:
        ids = [option.id for option in self.options]
        if len(set(ids)) != len(ids):
            raise ValueError(REPEATED_OPTION_IDS)

    @property
    def correct_count(self) -> int:
        return sum(option.correct for option in self.options)


class SingleQuestion(ChoiceQuestion):
    kind: Literal["single"]

    @model_validator(mode="after")
    def _shape(self) -> Self:
        self._check_option_ids()
        if len(self.options) != SINGLE_OPTIONS or self.correct_count != 1:
            raise ValueError(SINGLE_SHAPE)
        return self


class MultipleQuestion(ChoiceQuestion):
    kind: Literal["multiple"]
    choose: Positive

    @model_validator(mode="after")
    def _shape(self) -> Self:
        self._check_option_ids()
        low, high = MULTIPLE_OPTIONS
        if not low <= len(self.options) <= high or self.correct_count != self.choose:
            raise ValueError(MULTIPLE_SHAPE.format(low=low, high=high))
        return self


class CodingQuestion(QuestionBase):
    kind: Literal["coding"]
    scenario: str = Field(default="", description="The record to code, as HTML")
    case_slug: str = Field(default="", description="Or the case study to code from")
    key: dict[str, Any] = Field(
        description=(
            "The grading engine's answer key JSON (docs/grading.md), validated by "
            "grading.engine.parse_key"
        )
    )

    @model_validator(mode="after")
    def _record(self) -> Self:
        if not (self.scenario.strip() or self.case_slug.strip()):
            raise ValueError(CODING_NEEDS_RECORD)
        return self


Question = Annotated[
    SingleQuestion | MultipleQuestion | CodingQuestion, Field(discriminator="kind")
]


class QuestionBank(FileFormat):
    """Exam items, keyed by slug."""

    format: Literal[BANK_FORMAT]
    version: Literal[1]
    questions: list[Question]


class PassingRule(FileFormat):
    kind: PassingKindName
    cut: Annotated[int | float, Field(ge=0)]
    min: int = Field(
        default=passing.DEFAULT_SCALED_MIN, description="Lowest scaled score"
    )
    max: int = Field(
        default=passing.DEFAULT_SCALED_MAX, description="Highest scaled score"
    )


class Blueprint(FileFormat):
    slug: Slug
    name: Text
    description: str = ""
    certification: str = Field(description="Certification slug")
    time_limit_minutes: Positive | None = None
    time_limit_seconds: Positive | None = Field(
        default=None, description="Takes precedence over minutes (short test exams)"
    )
    passing_rule: PassingRule
    selection: SelectionName
    questions_per_domain: dict[str, Positive] = Field(
        default={}, description="Items per domain slug (random selection)"
    )
    question_slugs: list[str] = Field(default=[], description="In order (fixed)")
    shuffle_options: bool = True
    attempts_allowed: Positive = 3
    review_policy: ReviewPolicyName
    policy: str = Field(default="exam", description="Grading policy name")

    @model_validator(mode="after")
    def _time_limit(self) -> Self:
        if self.time_limit_minutes is None and self.time_limit_seconds is None:
            raise ValueError(NO_TIME_LIMIT)
        return self

    @property
    def seconds(self) -> int:
        return self.time_limit_seconds or self.time_limit_minutes * 60


class Blueprints(FileFormat):
    """Mock exams: their time, passing rule and the items they draw."""

    format: Literal[BLUEPRINTS_FORMAT]
    version: Literal[1]
    blueprints: list[Blueprint]


SCHEMAS = {"question-bank": QuestionBank, "blueprints": Blueprints}
