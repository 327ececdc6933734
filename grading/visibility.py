"""What a learner may see of a graded answer: the one place that decides it.

The ledger does not know exams, cases or lessons, so each app that records answers
registers, in its AppConfig.ready(), the rule of its source: a function that takes
a learner and returns the `Withholding`s in force for them now, each a condition on
their ledger rows of that source and the reason shown instead of the feedback. A
source with no registered rule shows nothing (fail closed), so a new source cannot
leak its keys by being forgotten.

A withheld row keeps what the learner gave (their own answer), the item's name and
when it was graded; its points, maximum, status counts and result (key codes,
correct options, rationales) are left out. Instructors and administrators see
other people's rows as stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Case, CharField, Q, QuerySet, Value, When

from accounts.roles import is_administrator, is_instructor
from grading.models import GradedResponse

NO_RULE = "Feedback on this kind of answer is not shown."

# The annotation every learner-facing read of the ledger carries: "" when the
# feedback may be shown, otherwise the reason it is withheld.
WITHHELD = "withheld_reason"

# The fields a withheld row leaves out: together they give away the key (codes,
# correct options, rationales), how it scored, or how many lines the key has.
FEEDBACK_FIELDS = ("points", "max_points", "percentage", "status_counts", "result")


@dataclass(frozen=True)
class Withholding:
    """The learner's rows matching `condition` (a Q over GradedResponse) are
    withheld, and `reason` is shown instead of their feedback."""

    condition: Q
    reason: str


Rule = Callable[[object], list[Withholding]]

_rules: dict[str, Rule] = {}


def register_source(source: str, rule: Rule) -> None:
    """Set the rule for one `GradedResponse.Source`; an app calls it once in
    its AppConfig.ready()."""
    _rules[source] = rule


def sees_everything(viewer) -> bool:
    """Instructors and administrators read the ledger as stored."""
    return is_instructor(viewer) or is_administrator(viewer)


def _reason_expression(learner) -> Case:
    whens = []
    for source in GradedResponse.Source.values:
        rule = _rules.get(source)
        if rule is None:
            whens.append(When(Q(source=source), then=Value(NO_RULE)))
            continue
        whens += [
            When(Q(source=source) & held.condition, then=Value(held.reason))
            for held in rule(learner)
        ]
    return Case(*whens, default=Value(""), output_field=CharField())


def with_visibility(queryset: QuerySet, *, viewer, learner) -> QuerySet:
    """`queryset` (rows of `learner`) annotated with `WITHHELD` as `viewer` may
    see them: one expression, so a list costs no extra query per row. Anyone
    reading their own answers reads them as a learner, staff included: an
    instructor sitting a mock exam meets its review policy like everyone."""
    if viewer.pk != learner.pk and sees_everything(viewer):
        return queryset.annotate(**{WITHHELD: Value("", output_field=CharField())})
    return queryset.annotate(**{WITHHELD: _reason_expression(learner)})


def withheld_reason(row: GradedResponse) -> str:
    """Why `row`'s feedback is withheld, or "" when it may be shown. A row read
    without `with_visibility` counts as withheld."""
    return getattr(row, WITHHELD, NO_RULE)


def shown(row: GradedResponse, field: str):
    """`row`'s `field` as the viewer may see it: None when withheld."""
    if field in FEEDBACK_FIELDS and withheld_reason(row):
        return None
    return getattr(row, field)
