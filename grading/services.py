"""Grading services other apps call: grade a coding or multiple-choice answer, and
record a graded answer in the ledger.

```python
result = coding_answer_grade(key_data=key, response_data=answer, policy_name="exam")
graded_response_record(
    learner=user,
    source=GradedResponse.Source.PRACTICE_CASE,
    item=ItemRef.case_study(case.pk),
    attempt_ref=f"case-attempt:{attempt.pk}",
    graded=result,
    ...
)
```
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from certifications.models import Difficulty, Domain
from grading.codebook import DatabaseCodeBook
from grading.engine import (
    AnswerKey,
    ChoiceResult,
    CodeBook,
    Response,
    Result,
    SchemaError,
    grade,
    grade_choice,
    parse_key,
    parse_response,
    result_to_dict,
)
from grading.engine.choice import NO_CORRECT_OPTION
from grading.exceptions import GradingInputError
from grading.items import ItemRef
from grading.models import GradedResponse, GradedResponseRegrade
from grading.selectors import policy_named
from grading.signals import response_graded

__all__ = [
    "GradingInputError",
    "ScoredWork",
    "choice_answer_grade",
    "coding_answer_grade",
    "coding_answer_parse",
    "graded_response_record",
    "graded_responses_anonymise",
]

# The largest key or response document read from a file or a request body: a
# 200-line key with full rationales is far smaller.
MAX_DOCUMENT_BYTES = 256 * 1024

UNKNOWN_SOURCE = "must be one of {choices}"
UNKNOWN_DIFFICULTY = "must be one of {choices}"
UNKNOWN_DOMAINS = "unknown domain ids: {ids}"
NOT_A_NUMBER = "must be a number"
NEGATIVE_MAX_POINTS = "must not be negative"
POINTS_ABOVE_MAX = "must not be more than max_points ({max_points:g})"
BAD_TIME_SPENT = "must be a whole number of seconds, 0 or more, or null"
EMPTY_REF = "must not be empty"
TOO_LONG = "must be at most {limit} characters"
ATTEMPT_OF_ANOTHER_LEARNER = "this attempt is already recorded for another learner"
REGRADED_BY_SYSTEM = "Recorded again with new values."

# Fields whose change makes a repeated record a regrade.
_GRADED_FIELDS = (
    "item_type",
    "item_id",
    "item_title",
    "difficulty",
    "points",
    "max_points",
    "status_counts",
    "policy",
    "time_spent",
    "key_revision",
    "response",
    "result",
)


def _under(root: str, errors: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(path if path == root else f"{root}.{path}", m) for path, m in errors]


def coding_answer_parse(
    *, key_data: Any, response_data: Any
) -> tuple[AnswerKey, Response]:
    """Parse decoded JSON into the engine's key and response.

    Raises `GradingInputError` listing every problem of both, with paths starting
    `key.` or `response.`.
    """
    errors: list[tuple[str, str]] = []
    key = None
    try:
        key = parse_key(key_data)
    except SchemaError as error:
        errors += _under("key", error.errors)
    try:
        response = parse_response(response_data, setting=key.setting if key else None)
    except SchemaError as error:
        errors += _under("response", error.errors)
    if errors:
        raise GradingInputError(errors)
    return key, response


def coding_answer_grade(
    *,
    key_data: Any,
    response_data: Any,
    policy_name: str = "practice",
    code_book: CodeBook | None = None,
) -> Result:
    """Grade a coding answer against its key under the named policy.

    Codes are checked against the code-set release in force on the key's date of
    service unless another `code_book` is given. Raises `GradingInputError` for an
    unknown policy or a key or response that breaks the schema.
    """
    policy = policy_named(policy_name)
    key, response = coding_answer_parse(key_data=key_data, response_data=response_data)
    return grade(key, response, policy, code_book or DatabaseCodeBook())


def choice_answer_grade(
    *,
    correct_option_ids: Collection[str],
    chosen_option_ids: Collection[str],
    policy_name: str = "practice",
) -> ChoiceResult:
    """Grade a multiple-choice answer (single best answer or "choose N")."""
    policy = policy_named(policy_name)
    try:
        return grade_choice(correct_option_ids, chosen_option_ids, policy)
    except ValueError:
        raise GradingInputError([("correct_option_ids", NO_CORRECT_OPTION)]) from None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _domain_ids(domains: Iterable[Domain | int]) -> set[int]:
    return {d.pk if isinstance(d, Domain) else d for d in domains}


def _record_problems(values: dict[str, Any], domain_ids: set[int]) -> list:
    problems = []
    if values["source"] not in GradedResponse.Source.values:
        choices = ", ".join(GradedResponse.Source.values)
        problems.append(("source", UNKNOWN_SOURCE.format(choices=choices)))
    if values["difficulty"] not in Difficulty.values:
        choices = ", ".join(Difficulty.values)
        problems.append(("difficulty", UNKNOWN_DIFFICULTY.format(choices=choices)))
    if not str(values["attempt_ref"]).strip():
        problems.append(("attempt_ref", EMPTY_REF))
    for name in ("item_type", "item_id", "item_title", "attempt_ref", "key_revision"):
        limit = GradedResponse._meta.get_field(name).max_length
        if len(str(values[name])) > limit:
            problems.append((name, TOO_LONG.format(limit=limit)))
    points, max_points = values["points"], values["max_points"]
    for name, value in (("points", points), ("max_points", max_points)):
        if not _is_number(value):
            problems.append((name, NOT_A_NUMBER))
    if _is_number(max_points) and max_points < 0:
        problems.append(("max_points", NEGATIVE_MAX_POINTS))
    if _is_number(points) and _is_number(max_points) and points > max_points:
        problems.append(("points", POINTS_ABOVE_MAX.format(max_points=max_points)))
    time_spent = values["time_spent"]
    if time_spent is not None and (
        isinstance(time_spent, bool)
        or not isinstance(time_spent, int)
        or time_spent < 0
    ):
        problems.append(("time_spent", BAD_TIME_SPENT))
    known = set(Domain.objects.filter(pk__in=domain_ids).values_list("pk", flat=True))
    if unknown := sorted(domain_ids - known, key=str):
        ids = ", ".join(map(str, unknown))
        problems.append(("domains", UNKNOWN_DOMAINS.format(ids=ids)))
    return problems


@dataclass(frozen=True)
class ScoredWork:
    """A graded answer that is neither a coding key's nor a multiple-choice item's
    (billing work: a claim, a denial worked, an appeal), as the ledger keeps it:
    `status_counts` and `result` JSON-ready."""

    points: float
    max_points: float
    policy: str
    status_counts: dict[str, int]
    result: dict[str, Any]


def _ledger_values(graded: Result | ChoiceResult | ScoredWork) -> dict[str, Any]:
    """What the ledger keeps of an engine result: its points, policy, status
    counts and the result itself, JSON-ready."""
    if isinstance(graded, ScoredWork):
        result, counts = graded.result, graded.status_counts
    elif isinstance(graded, ChoiceResult):
        result = {
            "policy": graded.policy,
            "points": graded.points,
            "max_points": graded.max_points,
            "correct": graded.correct,
            "missed": list(graded.missed),
            "wrong": list(graded.wrong),
        }
        counts = {
            "correct": int(graded.correct),
            "missed": len(graded.missed),
            "wrong": len(graded.wrong),
        }
    else:
        result = result_to_dict(graded)
        counts = result["counts"]
    return {
        "points": graded.points,
        "max_points": graded.max_points,
        "status_counts": counts,
        "policy": graded.policy,
        "result": result,
    }


@transaction.atomic
def graded_response_record(
    *,
    learner,
    source: str,
    item: ItemRef,
    attempt_ref: str,
    graded: Result | ChoiceResult | ScoredWork,
    response: dict,
    domains: Iterable[Domain | int],
    difficulty: str,
    item_title: str = "",
    time_spent: int | None = None,
    key_revision: str = "",
    regraded_by=None,
    regrade_reason: str = "",
) -> GradedResponse:
    """Record the engine's grading of an answer to `item` in the ledger, once per
    (source, attempt_ref).

    The points, policy, status counts and result are the engine result's
    (`graded`). Recording the same attempt again with the same values changes
    nothing; with other values (a regrade) it keeps the values it replaces as a
    `GradedResponseRegrade` (with `regraded_by`, None for the system, and
    `regrade_reason`), replaces them, sets `graded_at` to now and counts the
    regrade. `domains` are `certifications.Domain` rows or their ids. Sends
    `response_graded` after commit when the row was created or regraded. Raises
    `GradingInputError` naming each bad field, storing nothing.
    """
    values = {
        "source": source,
        "item_type": item.item_type,
        "item_id": item.item_id,
        "item_title": item_title,
        "attempt_ref": str(attempt_ref),
        "difficulty": difficulty,
        "time_spent": time_spent,
        "key_revision": key_revision,
        "response": response,
        **_ledger_values(graded),
    }
    domain_ids = _domain_ids(domains)
    if problems := _record_problems(values, domain_ids):
        raise GradingInputError(problems)
    row, created = GradedResponse.objects.select_for_update().get_or_create(
        source=source,
        attempt_ref=values["attempt_ref"],
        defaults={"learner": learner, **values},
    )
    if created:
        row.domains.set(domain_ids)
    else:
        if row.learner_id != learner.pk:
            raise GradingInputError([("attempt_ref", ATTEMPT_OF_ANOTHER_LEARNER)])
        changed = [
            name for name in _GRADED_FIELDS if getattr(row, name) != values[name]
        ]
        old_domains = set(row.domains.values_list("pk", flat=True))
        same_domains = old_domains == domain_ids
        if not changed and same_domains:
            return row
        now = timezone.now()
        GradedResponseRegrade.objects.create(
            graded_response=row,
            regraded_at=now,
            regraded_by=regraded_by,
            reason=(regrade_reason or REGRADED_BY_SYSTEM)[:255],
            changed_fields=changed + ([] if same_domains else ["domains"]),
            previous={
                **{name: getattr(row, name) for name in _GRADED_FIELDS},
                "graded_at": row.graded_at.isoformat(),
                "domains": sorted(old_domains),
            },
        )
        for name in changed:
            setattr(row, name, values[name])
        row.graded_at = now
        row.regraded_count += 1
        row.save(update_fields=[*changed, "graded_at", "regraded_count"])
        if not same_domains:
            row.domains.set(domain_ids)
    transaction.on_commit(
        lambda: response_graded.send(
            sender=GradedResponse,
            graded_response_id=row.pk,
            learner_id=row.learner_id,
        )
    )
    return row


@transaction.atomic
def graded_responses_anonymise(*, learner) -> int:
    """Detach the learner's ledger rows from them before their account goes: the
    answers keep counting in item statistics, but name no one. Their
    `attempt_ref` (which points at the learner's own attempts) is replaced, and
    they share a new random `former_learner` key, so a statistic that needs one
    person's answers together (item calibration) still has it. Returns the
    number of rows."""
    count = GradedResponse.objects.filter(learner=learner).update(
        learner=None,
        former_learner=uuid.uuid4().hex,
        attempt_ref=Concat(Value("anonymised:"), Cast("pk", CharField())),
    )
    GradedResponseRegrade.objects.filter(regraded_by=learner).update(regraded_by=None)
    return count
