"""Writes of the case studies app: attempts and their grading, and the key log."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from case_studies.models import AnswerKeyChange, CaseAttempt, CaseStudyPage
from grading.items import ItemRef
from grading.keys import SECTION_LABELS
from grading.models import GradedResponse
from grading.services import coding_answer_grade, graded_response_record

ALREADY_SUBMITTED = "This attempt was already submitted."
EMPTY_RESPONSE = "Enter at least one code before submitting."
KEY_CREATED = "First published key: {count} lines."
LINE_ADDED = "{label} {number} added: {code}."
LINE_REMOVED = "{label} {number} removed: {code}."
LINE_CHANGED = "{label} {number} ({code}) changed: {fields}."


class AttemptError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def response_is_empty(response: dict) -> bool:
    return not any(response.get(section) for section in SECTION_LABELS)


def attempt_start(*, learner, case: CaseStudyPage) -> CaseAttempt:
    """The learner's open attempt at `case`, started now if there is none."""
    attempt = (
        CaseAttempt.objects.filter(learner=learner, case=case, submitted_at=None)
        .order_by("-started_at")
        .first()
    )
    return attempt or CaseAttempt.objects.create(learner=learner, case=case)


@transaction.atomic
def attempt_submit(*, attempt: CaseAttempt, response: dict) -> CaseAttempt:
    """Grade `response` against the case's key and record it in the grading ledger.

    A second submit of the same attempt (a double click) changes nothing: it
    raises `AttemptError(ALREADY_SUBMITTED)`. An empty response is refused with
    `EMPTY_RESPONSE`. Raises `grading.services.GradingInputError` for a response
    that breaks the schema; nothing is stored then.
    """
    if response_is_empty(response):
        raise AttemptError(EMPTY_RESPONSE)
    now = timezone.now()
    claimed = CaseAttempt.objects.filter(pk=attempt.pk, submitted_at=None).update(
        submitted_at=now
    )
    if not claimed:
        raise AttemptError(ALREADY_SUBMITTED)
    time_spent = max(0, int((now - attempt.started_at).total_seconds()))
    graded = attempt_grade_record(
        attempt=attempt, response=response, time_spent=time_spent
    )
    attempt.submitted_at = now
    attempt.response = response
    attempt.graded_response = graded
    attempt.time_spent = time_spent
    attempt.save(update_fields=["response", "graded_response", "time_spent"])
    return attempt


def attempt_grade_record(
    *,
    attempt: CaseAttempt,
    response: dict,
    time_spent: int | None,
    regraded_by=None,
    regrade_reason: str = "",
) -> GradedResponse:
    """Grade `response` to `attempt` against its case's live key and record it in
    the grading ledger: the grading of a submission, and of a regrade after the
    key changed (which names who regraded it and why)."""
    case = attempt.case
    result = coding_answer_grade(
        key_data=case.key_data,
        response_data=response,
        policy_name=case.policy_name,
    )
    return graded_response_record(
        learner=attempt.learner,
        source=GradedResponse.Source.PRACTICE_CASE,
        item=ItemRef.case_study(case.pk),
        attempt_ref=f"case-attempt:{attempt.pk}",
        graded=result,
        response=response,
        domains=list(case.domains.all()),
        difficulty=case.difficulty,
        item_title=case.title,
        time_spent=time_spent,
        key_revision=case.key_revision,
        regraded_by=regraded_by,
        regrade_reason=regrade_reason,
    )


def describe_key_changes(previous: dict | None, key: dict) -> list[str]:
    """Line-by-line differences between two key JSONs, in words."""
    if previous is None:
        count = sum(len(key.get(section, [])) for section in SECTION_LABELS)
        return [KEY_CREATED.format(count=count)]
    changes = []
    for field in ("setting", "date_of_service"):
        if previous.get(field) != key.get(field):
            changes.append(f"{field}: {previous.get(field)} → {key.get(field)}.")
    for section, label in SECTION_LABELS.items():
        old_lines, new_lines = previous.get(section, []), key.get(section, [])
        for index in range(max(len(old_lines), len(new_lines))):
            number = index + 1
            if index >= len(old_lines):
                code = new_lines[index]["code"]
                changes.append(LINE_ADDED.format(label=label, number=number, code=code))
            elif index >= len(new_lines):
                code = old_lines[index]["code"]
                changes.append(
                    LINE_REMOVED.format(label=label, number=number, code=code)
                )
            elif old_lines[index] != new_lines[index]:
                old, new = old_lines[index], new_lines[index]
                fields = ", ".join(
                    f"{name} {old.get(name)!r} → {new.get(name)!r}"
                    for name in sorted(set(old) | set(new))
                    if old.get(name) != new.get(name)
                )
                changes.append(
                    LINE_CHANGED.format(
                        label=label, number=number, code=old["code"], fields=fields
                    )
                )
    return changes


@transaction.atomic
def key_change_record(*, case: CaseStudyPage, user, revision=None):
    """Log the key of a just-published case if it differs from the last logged
    one; returns the new log entry or None."""
    key = case.key_data
    last = case.key_changes.order_by("-changed_at", "-pk").first()
    previous = last.key if last else None
    if previous == key:
        return None
    return AnswerKeyChange.objects.create(
        case=case,
        changed_by=user,
        revision=revision,
        previous_key=previous,
        key=key,
        summary="\n".join(describe_key_changes(previous, key)),
    )
