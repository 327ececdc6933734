"""Which line of a graded answer's feedback a dispute is about, and what the
learner saw of it.

A line of a coding result is named by its section and the key line it was
matched with (`diagnoses.key.0`), or, for a given line that matched no key line,
by its position in the answer (`service_lines.given.3`): both stay put when the
wording of the feedback changes. A whole exam question is the line `item`.
"""

from __future__ import annotations

from dataclasses import dataclass

from exams.models import AttemptItem
from exams.selectors import attempt_id_of_ledger_ref, ledger_ref_prefix
from grading.items import ItemType
from grading.keys import SECTION_LABELS
from grading.models import GradedResponse

WHOLE_ITEM = "item"


@dataclass(frozen=True)
class DisputedLine:
    line: str
    label: str
    learner_answer: str
    key_answer: str
    feedback: str


def line_id(line: dict) -> str:
    """The stable identifier of one line of an engine result (`result["lines"]`)."""
    if line.get("expected_index") is not None:
        return f"{line['section']}.key.{line['expected_index']}"
    return f"{line['section']}.given.{line['given_index']}"


def _points(line: dict) -> str:
    return f"{line['points']:g} / {line['max_points']:g}"


def _line_feedback(line: dict) -> str:
    parts = [f"{line['status'].capitalize()}, {_points(line)}: {line['message']}"]
    parts += [difference["message"] for difference in line.get("differences", [])]
    parts += [
        f"−{deduction['points']:g} {deduction['reason']}"
        for deduction in line.get("deductions", [])
    ]
    parts += line.get("explanations", [])
    for name, label in (
        ("common_error", "Common error"),
        ("rationale", "Rationale"),
        ("reference", "Reference"),
    ):
        if line.get(name):
            parts.append(f"{label}: {line[name]}")
    return "\n".join(parts)


def _coding_line(result: dict, wanted: str) -> DisputedLine | None:
    lines = result.get("lines", [])
    for line in lines:
        if line_id(line) != wanted:
            continue
        same_section = [other for other in lines if other["section"] == line["section"]]
        number = same_section.index(line) + 1
        code = line["given_code"] or line["expected_code"]
        label = f"{SECTION_LABELS.get(line['section'], line['section'])} {number}"
        return DisputedLine(
            line=wanted,
            label=f"{label}: {code}" if code else label,
            learner_answer=line["given_code"],
            key_answer=line["expected_code"],
            feedback=_line_feedback(line),
        )
    return None


def _exam_item(response: GradedResponse) -> AttemptItem | None:
    attempt_id = attempt_id_of_ledger_ref(response.attempt_ref)
    if attempt_id is None:
        return None
    item_id = response.attempt_ref.removeprefix(ledger_ref_prefix(attempt_id))
    if not item_id.isdigit():
        return None
    return (
        AttemptItem.objects.select_related("question")
        .prefetch_related("question__options")
        .filter(pk=int(item_id), attempt_id=attempt_id)
        .first()
    )


def _options_text(question, option_ids) -> str:
    texts = {option.option_id: option.text for option in question.options.all()}
    return "\n".join(
        f"{option_id}. {texts.get(option_id, '')}".strip() for option_id in option_ids
    )


def _whole_item(response: GradedResponse) -> DisputedLine | None:
    result = response.result
    item = None
    if response.item_type == ItemType.EXAM_QUESTION:
        item = _exam_item(response)
    label = f"Question {item.position}" if item else response.item_title
    score = f"{response.points:g} / {response.max_points:g} points"
    if "lines" in result:
        return DisputedLine(
            line=WHOLE_ITEM,
            label=label or "The whole answer",
            learner_answer=", ".join(
                line["given_code"] for line in result["lines"] if line["given_code"]
            ),
            key_answer=", ".join(
                line["expected_code"]
                for line in result["lines"]
                if line["expected_code"]
            ),
            feedback="\n".join(
                [score] + [_line_feedback(line) for line in result["lines"]]
            ),
        )
    if "correct" not in result or item is None:
        return None
    chosen = list(response.response.get("options", []))
    correct = sorted(
        {option for option in chosen if option not in result["wrong"]}
        | set(result["missed"])
    )
    feedback = [score]
    if item.question.reference:
        feedback.append(f"Reference: {item.question.reference}")
    return DisputedLine(
        line=WHOLE_ITEM,
        label=label,
        learner_answer=_options_text(item.question, chosen),
        key_answer=_options_text(item.question, correct),
        feedback="\n".join(feedback),
    )


def disputed_line(response: GradedResponse, line: str) -> DisputedLine | None:
    """The line `line` names in `response`'s result as its learner saw it, or
    None when it names none."""
    if line == WHOLE_ITEM:
        return _whole_item(response)
    return _coding_line(response.result, line)
