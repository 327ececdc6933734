"""Grading the denial worklist, appeal letters and scrubber predictions.

A denial is worked in two choices, its category and the action taken (2 points).
An appeal letter's four required elements are checked automatically; the
instructor scores the rest on a rubric. A scrubber prediction is graded like a
multiple-response item: each edit found earns its share, each false alarm takes
one away, floored at 0.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from billing.engine.remittance import Denial, DenialAction, DenialCategory
from grading.engine.choice import grade_choice
from grading.engine.policy import PRACTICE

CATEGORY_RIGHT = "Right: this is a {expected} denial."
CATEGORY_WRONG = "This is a {expected} denial, not {given}: {why}"
ACTION_RIGHT = "Right: {action}."
ACTION_WRONG = "The fix is {expected}, not {given}: {explanation}"
ACTION_WRONG_CATEGORY = "The fix is {expected}, not {given}."
NOT_A_CHOICE = "(not a choice)"

ELEMENT_PRESENT = "{label}: present."
IDENTIFIERS_ABSENT = (
    "Claim identifiers: name the claim (patient control number {numbers}) so the "
    "payer can find it."
)
REASON_ABSENT = (
    'Denial reason: quote the denial (CARC {carc}, e.g. "CO-{carc}") or its '
    "words, so the reviewer knows what is contested."
)
ARGUMENT_ABSENT = (
    "Argument: cite {missing} (the payer's policy{policies} and the record that "
    "meets it)."
)
ACTION_ABSENT = (
    "Requested action: ask the payer to reprocess, reconsider, overturn the "
    "denial or pay the claim."
)
UNKNOWN_RUBRIC_ITEM = "{item!r} is not an item of this rubric"
SCORE_OUT_OF_RANGE = "{item}: {score} is not between 0 and {most}"

# The ledger's policy names of billing work (practice: explained, floored at 0).
WORK_POLICY = "billing-denial-work"
APPEAL_POLICY = "billing-appeal"
PREDICTION_POLICY = "billing-scrub-prediction"

PREDICTION_HIT = "{edit}: predicted, and the scrubber flags it."
PREDICTION_MISS = "{edit}: the scrubber flags it; it was not predicted."
PREDICTION_FALSE_ALARM = "{edit}: predicted, but the scrubber does not flag it."
PREDICTION_CLEAN = "The scrubber flags nothing on this claim."

# Why each category is what it is, with the CARCs that usually carry it (X12
# Claim Adjustment Reason Codes, in our words).
CATEGORY_WHY: Mapping[DenialCategory, str] = {
    DenialCategory.CODING: "the codes, modifiers or pointers are the problem "
    "(CARC 4, 11, 97, 16 with a coding remark); correct the claim.",
    DenialCategory.ELIGIBILITY: "the payer cannot match the patient to coverage on "
    "the date (CARC 26, 27, 31, 109); check the 271 and the registration.",
    DenialCategory.AUTHORIZATION: "the service needed a prior authorisation the "
    "claim does not carry (CARC 15, 197).",
    DenialCategory.MEDICAL_NECESSITY: "the payer's policy does not cover the "
    "service for the diagnoses billed (CARC 50, 151; LCD or NCD).",
    DenialCategory.TIMELY_FILING: "the claim reached the payer after its filing "
    "limit (CARC 29).",
    DenialCategory.DUPLICATE: "the payer already has this claim or service (CARC 18).",
}
ACTION_WORDS: Mapping[DenialAction, str] = {
    DenialAction.CORRECTED_CLAIM: "correct the claim and resubmit it with "
    "frequency code 7 and the payer's claim number",
    DenialAction.APPEAL: "appeal with the documentation and the policy",
    DenialAction.WRITE_OFF: "write the amount off as a contractual adjustment "
    "(group CO: the patient may not be billed)",
    DenialAction.BILL_PATIENT: "bill the patient (only patient-responsibility, "
    "group PR, amounts)",
    DenialAction.NO_ACTION: "take no action on this claim: the original stands "
    "(check its status instead of resending it)",
}

# Words that quote a denial reason without its code, for the CARCs the demo
# payer uses (our paraphrase of the X12 list).
CARC_WORDS: Mapping[str, tuple[str, ...]] = {
    "4": ("modifier",),
    "11": ("inconsistent with the procedure", "diagnosis is inconsistent"),
    "15": ("authorization number", "authorisation number"),
    "16": ("missing information", "lacks information"),
    "18": ("duplicate",),
    "26": ("before coverage", "prior to coverage"),
    "27": ("after coverage terminated", "coverage terminated", "coverage ended"),
    "29": ("timely filing", "time limit for filing"),
    "31": ("cannot be identified as", "not identified as our insured"),
    "50": ("medical necessity", "medically necessary"),
    "97": ("bundled", "included in the allowance", "included in another service"),
    "109": ("correct payer", "not covered by this payer"),
    "151": ("frequency of services", "number of services"),
    "197": ("precertification", "pre-certification", "authorization", "authorisation"),
    "204": ("not covered under the patient's current benefit plan", "benefit plan"),
}
GROUP_CODES = ("CO", "PR", "OA", "PI")
POLICY_WORDS = (r"\bLCD\b", r"\bNCD\b", r"\bpolicy\b", r"\bcoverage (?:policy|article)")
DOCUMENTATION_WORDS = (
    r"\boperative report\b",
    r"\bop(?:erative)? note\b",
    r"\boffice notes?\b",
    r"\bprogress notes?\b",
    r"\bprocedure notes?\b",
    r"\bdischarge summary\b",
    r"\bhistory and physical\b",
    r"\bH&P\b",
    r"\brecords?\b",
    r"\bdocumentation\b",
)
ACTION_PATTERN = re.compile(
    r"\b(reprocess\w*|reconsider\w*|overturn\w*|pay)\b", re.IGNORECASE
)


class ElementId(StrEnum):
    CLAIM_IDENTIFIERS = "claim_identifiers"
    DENIAL_REASON = "denial_reason"
    ARGUMENT = "argument"
    REQUESTED_ACTION = "requested_action"


@dataclass(frozen=True)
class AppealElement:
    id: ElementId
    label: str
    why: str


APPEAL_ELEMENTS = (
    AppealElement(
        ElementId.CLAIM_IDENTIFIERS,
        "Claim identifiers",
        "The patient control number or the payer's claim number, so the appeal "
        "reaches the claim (CMS IOM 100-04 ch. 29 §310.1: a redetermination "
        "request names the beneficiary, the service and its date).",
    ),
    AppealElement(
        ElementId.DENIAL_REASON,
        "Denial reason quoted",
        "The CARC (e.g. CO-50) or its words: the reviewer sees what is contested.",
    ),
    AppealElement(
        ElementId.ARGUMENT,
        "Argument with documentation and policy",
        "The payer's policy (LCD, coverage policy) and the record that meets it "
        "(CMS IOM 100-04 ch. 29 §310.1: why the provider disagrees, with evidence).",
    ),
    AppealElement(
        ElementId.REQUESTED_ACTION,
        "Requested action",
        "What the payer should do: reprocess, reconsider, overturn, pay.",
    ),
)
_LABELS = {element.id: element.label for element in APPEAL_ELEMENTS}


# -- the denial worklist -----------------------------------------------------
@dataclass(frozen=True)
class WorkItem:
    name: str
    expected: str
    given: str
    points: int
    max_points: int
    explanation: str


@dataclass(frozen=True)
class WorkGrade:
    """A worked denial: its category and its action, a point each."""

    category: WorkItem
    action: WorkItem
    policy: str = WORK_POLICY

    def ledger_counts(self) -> dict[str, int]:
        right = sum(i.points == i.max_points for i in (self.category, self.action))
        return {"correct": right, "wrong": 2 - right}

    @property
    def points(self) -> int:
        return self.category.points + self.action.points

    @property
    def max_points(self) -> int:
        return self.category.max_points + self.action.max_points

    def as_dict(self) -> dict[str, Any]:
        return {
            "points": self.points,
            "max_points": self.max_points,
            "items": [vars(self.category), vars(self.action)],
        }


def grade_denial_work(denial: Denial, *, category: str, action: str) -> WorkGrade:
    """Grade the category and action a learner chose for `denial`.

    A wrong action under the right category is explained from the denial's own
    explanation: the learner read the denial right and needs the fix."""
    given_category = _choice(DenialCategory, category)
    given_action = _choice(DenialAction, action)
    category_right = given_category == denial.category
    if category_right:
        category_text = CATEGORY_RIGHT.format(expected=_words(denial.category))
    else:
        category_text = CATEGORY_WRONG.format(
            expected=_words(denial.category),
            given=_words(given_category) if given_category else NOT_A_CHOICE,
            why=CATEGORY_WHY[denial.category],
        )
    action_right = given_action == denial.action
    given_action_text = ACTION_WORDS[given_action] if given_action else NOT_A_CHOICE
    if action_right:
        action_text = ACTION_RIGHT.format(action=ACTION_WORDS[denial.action])
    elif category_right:
        action_text = ACTION_WRONG.format(
            expected=ACTION_WORDS[denial.action],
            given=given_action_text,
            explanation=denial.explanation,
        )
    else:
        action_text = ACTION_WRONG_CATEGORY.format(
            expected=ACTION_WORDS[denial.action], given=given_action_text
        )
    return WorkGrade(
        WorkItem(
            "category",
            denial.category.value,
            category,
            int(category_right),
            1,
            category_text,
        ),
        WorkItem(
            "action", denial.action.value, action, int(action_right), 1, action_text
        ),
    )


def _choice(choices: type[StrEnum], typed: str) -> Any:
    """The member `typed` names (any case, spaces around), None when none."""
    try:
        return choices(typed.strip().lower())
    except ValueError:
        return None


def _words(category: DenialCategory) -> str:
    return category.value.replace("_", " ")


# -- appeal letters ----------------------------------------------------------
@dataclass(frozen=True)
class ElementCheck:
    element: ElementId
    label: str
    present: bool
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {**vars(self), "element": self.element.value}


def appeal_structure(
    letter: str,
    *,
    claim_numbers: tuple[str, ...],
    carc: str,
    policy_ids: tuple[str, ...],
) -> tuple[ElementCheck, ...]:
    """Check the four required elements of an appeal letter, in
    `APPEAL_ELEMENTS` order. `claim_numbers` are the patient control number and
    the payer's claim number; `carc` the denial's reason code; `policy_ids` the
    coverage policies the denial rests on."""
    compact_letter = _compact(letter)
    identified = any(
        number.strip() and _compact(number) in compact_letter
        for number in claim_numbers
    )
    groups = "|".join(GROUP_CODES)
    code = re.escape(carc.strip())
    quoted_code = re.search(
        rf"(?:\bCARC\s*#?:?\s*|\b(?:{groups})\s*-?\s*|\breason code\s*#?:?\s*){code}\b",
        letter,
        re.IGNORECASE,
    )
    lowered = letter.lower()
    quoted_words = any(words in lowered for words in CARC_WORDS.get(carc.strip(), ()))
    policy_cited = any(
        policy.strip() and policy.strip().lower() in lowered for policy in policy_ids
    ) or _any_word(POLICY_WORDS, letter)
    documentation_cited = _any_word(DOCUMENTATION_WORDS, letter)
    missing = [
        name
        for name, cited in (
            ("the policy", policy_cited),
            ("the documentation", documentation_cited),
        )
        if not cited
    ]
    policies = f" {', '.join(policy_ids)}" if policy_ids else ""
    return (
        _check(
            ElementId.CLAIM_IDENTIFIERS,
            identified,
            IDENTIFIERS_ABSENT.format(numbers=" or ".join(claim_numbers)),
        ),
        _check(
            ElementId.DENIAL_REASON,
            bool(quoted_code) or quoted_words,
            REASON_ABSENT.format(carc=carc),
        ),
        _check(
            ElementId.ARGUMENT,
            not missing,
            ARGUMENT_ABSENT.format(missing=" and ".join(missing), policies=policies),
        ),
        _check(
            ElementId.REQUESTED_ACTION,
            bool(ACTION_PATTERN.search(letter)),
            ACTION_ABSENT,
        ),
    )


def _check(element: ElementId, present: bool, absent: str) -> ElementCheck:
    label = _LABELS[element]
    message = ELEMENT_PRESENT.format(label=label) if present else absent
    return ElementCheck(element, label, present, message)


def _compact(text: str) -> str:
    return re.sub(r"[\s-]", "", text).upper()


def _any_word(patterns: tuple[str, ...], text: str) -> bool:
    return any(re.search(pattern, text, re.IGNORECASE) for pattern in patterns)


@dataclass(frozen=True)
class RubricItem:
    id: str
    label: str
    max_points: int


@dataclass(frozen=True)
class AppealRubric:
    """What the instructor scores beyond the required elements; each element
    present earns `points_per_element` automatically."""

    items: tuple[RubricItem, ...]
    points_per_element: int = 1


DEFAULT_RUBRIC = AppealRubric(
    (
        RubricItem("accuracy", "Accuracy of the argument", 3),
        RubricItem("documentation_fit", "Documentation cited fits the denial", 3),
        RubricItem("tone", "Professional tone and concision", 2),
    )
)


@dataclass(frozen=True)
class RubricScore:
    id: str
    label: str
    points: int
    max_points: int
    scored: bool


@dataclass(frozen=True)
class AppealGrade:
    """Structure points (automatic) and the instructor's rubric items;
    `complete` once every item is scored."""

    structure: tuple[ElementCheck, ...]
    items: tuple[RubricScore, ...]
    points_per_element: int
    policy: str = APPEAL_POLICY

    def ledger_counts(self) -> dict[str, int]:
        present = sum(check.present for check in self.structure)
        return {"present": present, "absent": len(self.structure) - present}

    @property
    def structure_points(self) -> int:
        return self.points_per_element * sum(check.present for check in self.structure)

    @property
    def points(self) -> int:
        return self.structure_points + sum(item.points for item in self.items)

    @property
    def max_points(self) -> int:
        structure = self.points_per_element * len(self.structure)
        return structure + sum(item.max_points for item in self.items)

    @property
    def complete(self) -> bool:
        return all(item.scored for item in self.items)

    def as_dict(self) -> dict[str, Any]:
        return {
            "points": self.points,
            "max_points": self.max_points,
            "structure_points": self.structure_points,
            "complete": self.complete,
            "structure": [check.as_dict() for check in self.structure],
            "items": [vars(item) for item in self.items],
        }


def rubric_score(
    structure: tuple[ElementCheck, ...],
    instructor_scores: Mapping[str, int],
    *,
    rubric: AppealRubric = DEFAULT_RUBRIC,
) -> AppealGrade:
    """Combine the automatic structure checks with the instructor's scores
    (item id -> points); items not scored yet count 0 and leave the grade
    incomplete. Unknown items and scores out of range raise ValueError."""
    known = {item.id for item in rubric.items}
    for item_id in instructor_scores:
        if item_id not in known:
            raise ValueError(UNKNOWN_RUBRIC_ITEM.format(item=item_id))
    scores = []
    for item in rubric.items:
        score = instructor_scores.get(item.id)
        if score is not None and not 0 <= score <= item.max_points:
            raise ValueError(
                SCORE_OUT_OF_RANGE.format(
                    item=item.id, score=score, most=item.max_points
                )
            )
        scores.append(
            RubricScore(
                item.id, item.label, score or 0, item.max_points, score is not None
            )
        )
    return AppealGrade(structure, tuple(scores), rubric.points_per_element)


# -- scrubber predictions ----------------------------------------------------
class PredictionOutcome(StrEnum):
    HIT = "hit"
    MISS = "miss"
    FALSE_ALARM = "false_alarm"


@dataclass(frozen=True)
class PredictionItem:
    edit_id: str
    outcome: PredictionOutcome
    explanation: str


@dataclass(frozen=True)
class PredictionGrade:
    points: float
    max_points: float
    items: tuple[PredictionItem, ...]
    summary: str = ""
    policy: str = PREDICTION_POLICY

    def ledger_counts(self) -> dict[str, int]:
        outcomes = [item.outcome.value for item in self.items]
        return {
            outcome.value: outcomes.count(outcome.value)
            for outcome in PredictionOutcome
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "points": self.points,
            "max_points": self.max_points,
            "summary": self.summary,
            "items": [
                {**vars(item), "outcome": item.outcome.value} for item in self.items
            ],
        }


def grade_prediction(
    expected: set[str],
    predicted: set[str],
    *,
    messages: Mapping[str, str] | None = None,
) -> PredictionGrade:
    """Grade a "what will the scrubber flag" prediction like a multiple-response
    item (`grading.engine.grade_choice` under the practice policy: each edit
    found earns its share, each false alarm takes one away, floor at 0). A clean
    claim predicted clean earns full marks; any false alarm on it earns 0.
    `messages` (edit id -> the scrubber's message) are added to the feedback."""
    messages = messages or {}
    wanted = {item.strip() for item in expected if item.strip()}
    guessed = {item.strip() for item in predicted if item.strip()}
    items = []
    for edit in sorted(wanted | guessed):
        if edit in wanted and edit in guessed:
            outcome, text = PredictionOutcome.HIT, PREDICTION_HIT
        elif edit in wanted:
            outcome, text = PredictionOutcome.MISS, PREDICTION_MISS
        else:
            outcome, text = PredictionOutcome.FALSE_ALARM, PREDICTION_FALSE_ALARM
        explanation = " ".join(
            part for part in (text.format(edit=edit), messages.get(edit, "")) if part
        )
        items.append(PredictionItem(edit, outcome, explanation))
    max_points = PRACTICE.points_per_choice_item
    if wanted:
        points = grade_choice(wanted, guessed, PRACTICE).points
        summary = ""
    else:
        points = 0.0 if guessed else max_points
        summary = PREDICTION_CLEAN
    return PredictionGrade(points, max_points, tuple(items), summary)
