"""Reading a learner's answer to a knowledge check and building its feedback.

The HTML form and the JSON API send the same fields: `chosen` (option ids) for a
choice check; `diagnoses`, `procedures` and `service_lines` (free text) for a
code-entry check. Diagnosis and procedure codes are separated by commas,
semicolons, spaces or new lines. Service lines are one per line (or separated by
semicolons): the code with modifiers after hyphens, then optionally units and
diagnosis pointers, e.g. `99214-25 x1 dx2` or `J0696 x4 dxA`.
"""

import re
from dataclasses import dataclass

from wagtail.rich_text import RichText

from grading.engine import (
    ChoiceResult,
    DifferenceKind,
    LineStatus,
    Result,
    result_to_dict,
)

EMPTY_CHOICE = "Choose an answer before checking."
ONE_CHOICE_ONLY = "This question has one answer: choose a single option."
UNKNOWN_OPTION = "Unknown option {ids}: choose from the options shown."
EMPTY_CODES = "Enter at least one code before checking."
TOO_LONG = "That answer is too long."
UNREADABLE_LINE = (
    "Could not read “{token}” in the service line “{line}”: write the code with "
    "modifiers after hyphens, then units as x2 and diagnosis pointers as dx1,2."
)

CODE_SECTIONS = ("diagnoses", "procedures", "service_lines")
SECTION_LABELS = {
    "diagnoses": "Diagnosis codes (ICD-10-CM)",
    "procedures": "Procedure codes (ICD-10-PCS)",
    "service_lines": "Service lines (CPT or HCPCS), one per line",
}
MAX_FIELD_LENGTH = 2000
_CODE_SEPARATORS = re.compile(r"[\s,;]+")
_LINE_SEPARATORS = re.compile(r"[;\n]+")
_UNITS = re.compile(r"^[x×](\d{1,4})$", re.IGNORECASE)
_POINTERS = re.compile(r"^dx:?([0-9A-La-l,+]+)$", re.IGNORECASE)
_MODIFIER = re.compile(r"^-?[A-Za-z0-9]{2}$")


class AnswerError(ValueError):
    """An answer that cannot be graded; `message` says why."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class ChoiceAnswer:
    chosen: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"chosen": list(self.chosen)}


@dataclass(frozen=True)
class CodeAnswer:
    fields: dict  # section -> the text as typed
    response: dict  # the grading engine's response JSON

    def as_dict(self) -> dict:
        return dict(self.fields)


def choice_answer_read(check, chosen: list[str]) -> ChoiceAnswer:
    """Validate chosen option ids against the check; raises `AnswerError`."""
    chosen = [str(option_id).strip() for option_id in chosen if str(option_id).strip()]
    if not chosen:
        raise AnswerError(EMPTY_CHOICE)
    known = {option["option_id"] for option in check["options"]}
    unknown = sorted(set(chosen) - known)
    if unknown:
        raise AnswerError(UNKNOWN_OPTION.format(ids=", ".join(unknown)[:100]))
    distinct = tuple(dict.fromkeys(chosen))
    if check["kind"] == "single" and len(distinct) > 1:
        raise AnswerError(ONE_CHOICE_ONLY)
    return ChoiceAnswer(chosen=distinct)


def key_sections(key: dict) -> list[str]:
    """The sections a code-entry check asks for: those its key fills."""
    return [section for section in CODE_SECTIONS if key.get(section)]


def code_answer_read(check, data: dict) -> CodeAnswer:
    """Read the typed codes into the engine's response JSON; raises `AnswerError`
    when nothing was typed or a field is absurdly long."""
    fields = {}
    response: dict = {section: [] for section in CODE_SECTIONS}
    for section in key_sections(check["key"]):
        text = str(data.get(section) or "")
        if len(text) > MAX_FIELD_LENGTH:
            raise AnswerError(TOO_LONG)
        fields[section] = text.strip()
        if section == "service_lines":
            response[section] = [
                _service_line(entry.strip())
                for entry in _LINE_SEPARATORS.split(text)
                if entry.strip()
            ]
        else:
            response[section] = [
                {"code": code} for code in _CODE_SEPARATORS.split(text) if code
            ]
    if not any(response.values()):
        raise AnswerError(EMPTY_CODES)
    return CodeAnswer(fields=fields, response=response)


def _pointers(raw: str) -> list[int]:
    return [
        int(item) if item.isdigit() else ord(item.upper()) - ord("A") + 1
        for item in re.findall(r"\d+|[A-La-l]", raw)
    ]


def _service_line(entry: str) -> dict:
    """`99213-25 x1 dx2`: code and modifiers, then units and diagnosis pointers
    (numbers or the claim's letters A–L)."""
    first, *tokens = entry.split()
    code, *modifiers = first.split("-")
    line: dict = {"code": code}
    for token in tokens:
        if units := _UNITS.match(token):
            line["units"] = int(units[1])
        elif pointers := _POINTERS.match(token):
            line["pointers"] = _pointers(pointers[1])
        elif _MODIFIER.match(token):
            modifiers.append(token.lstrip("-"))
        else:
            raise AnswerError(UNREADABLE_LINE.format(token=token[:20], line=entry[:60]))
    modifiers = [modifier for modifier in modifiers if modifier]
    if modifiers:
        line["modifiers"] = modifiers
    return line


def _rich(source: str) -> str:
    return str(RichText(source)) if source else ""


# What a wrong first try is told: about the answer given, never the key.
WRONG_CHOICE_HINT = (
    "“{text}” is not the answer. Re-read the question for its key words and the "
    "part of the lesson it draws on, then try once more."
)
MISSED_CHOICES_HINT = "At least one more option is right: weigh each one you left."
EVERY_CHOICE_HINT = (
    "Choosing every option is not an answer: decide on each one, then try once more."
)
MISSING_LINES_HINT = {
    1: "One code the documentation supports is missing.",
    2: "{count} codes the documentation supports are missing.",
}
RIGHT_LINE = "Right."
TRY_AGAIN = "Try once more: the answer and its explanation follow your second try."
DIFFERENCE_HINTS = {
    DifferenceKind.SEVENTH_CHARACTER: "the 7th character is not right",
    DifferenceKind.MODIFIER: "a modifier is wrong, missing or not needed",
    DifferenceKind.UNITS: "the number of units is not right",
    DifferenceKind.POINTER: "the diagnosis pointers are not right",
    DifferenceKind.SEQUENCE: (
        "a right code in the wrong place: which condition is first-listed or principal?"
    ),
    DifferenceKind.LATERALITY: "the side (laterality) is not right",
    DifferenceKind.EM_LEVEL: "the right E/M category, but not the right level",
    DifferenceKind.CODE_FAMILY: "the right code family, but not the right code",
    DifferenceKind.BILATERAL: "a bilateral procedure is not reported that way",
    DifferenceKind.COMBINATION: "one combination code describes this better",
    DifferenceKind.POA: "the present-on-admission indicator is not right",
}
NOT_SPECIFIC_ENOUGH = "the right category, but the record supports a more specific code"
TOO_SPECIFIC = "more specific than the record supports"
NOT_QUITE = "not quite right"


def choice_feedback(
    check, answer: ChoiceAnswer, result: ChoiceResult, *, revealed: bool
) -> dict:
    """What the learner sees after answering a choice check, JSON-ready. Until
    `revealed`, only the options chosen are named, with their feedback (a hint
    where the author wrote none), and nothing says which options are right."""
    feedback = {
        "kind": check["kind"],
        "correct": result.correct,
        "points": result.points,
        "max_points": result.max_points,
        "revealed": revealed,
    }
    if revealed:
        return {
            **feedback,
            "options": [
                {
                    "id": option["option_id"],
                    "text": option["text"],
                    "chosen": option["option_id"] in answer.chosen,
                    "correct": bool(option["correct"]),
                    "feedback": option["feedback"],
                }
                for option in check["options"]
            ],
            "hints": [],
            "explanation": _rich(check["explanation"].source),
        }
    chosen = [o for o in check["options"] if o["option_id"] in answer.chosen]
    if len(chosen) == len(check["options"]):
        return {**feedback, "options": [], "hints": [EVERY_CHOICE_HINT, TRY_AGAIN]}
    # A multiple-choice answer is told which of its choices are wrong, never
    # which are right, and only that some right option is missing.
    wrong = [option for option in chosen if not option["correct"]]
    hints = []
    if any(o["correct"] and o not in chosen for o in check["options"]):
        hints.append(MISSED_CHOICES_HINT)
    return {
        **feedback,
        "options": [
            {
                "id": option["option_id"],
                "text": option["text"],
                "chosen": True,
                "feedback": option["feedback"]
                or WRONG_CHOICE_HINT.format(text=option["text"]),
            }
            for option in wrong
        ],
        "hints": [*hints, TRY_AGAIN],
        "explanation": "",
    }


def _difference_hint(difference) -> str:
    if difference.kind in (DifferenceKind.AXIS, DifferenceKind.ROOT_OPERATION):
        # "Character 5 (approach): expected …": the axis, not what it should be.
        return f"{difference.message.split(':')[0]} is not right"
    if difference.kind == DifferenceKind.SPECIFICITY:
        shorter = len(difference.given) < len(difference.expected)
        return NOT_SPECIFIC_ENOUGH if shorter else TOO_SPECIFIC
    return DIFFERENCE_HINTS.get(difference.kind, NOT_QUITE)


def _hidden_key_line(line) -> dict | None:
    """A graded line told about the code given only: a line matched to the key
    says what is wrong with it in the engine's terms, one that matched nothing
    keeps the engine's message (it names only the given code), and a line of the
    key that was not given is counted, not shown."""
    if line.given_index is None:
        return None
    if line.expected_index is None:
        message = line.message
        if line.validator_message and line.validator_message not in message:
            message = f"{message} {line.validator_message}"
    elif line.status == LineStatus.EXACT:
        message = RIGHT_LINE
    else:
        hints = list(dict.fromkeys(_difference_hint(d) for d in line.differences))
        message = "; ".join(hints or [NOT_QUITE]).capitalize() + "."
    return {
        "status": line.status.value,
        "given_code": line.given_code,
        "message": message,
    }


def code_feedback(result: Result, *, revealed: bool) -> dict:
    """What the learner sees after answering a code-entry check, JSON-ready.
    Until `revealed`, each line given is told what is wrong with it without the
    key's codes, rationales or known-error notes, and missing codes are counted."""
    correct = result.points >= result.max_points > 0
    feedback = {
        "kind": "code_entry",
        "correct": correct,
        "points": result.points,
        "max_points": result.max_points,
        "revealed": revealed,
        "explanation": "",
    }
    if revealed:
        graded = result_to_dict(result)
        return {
            **feedback,
            "lines": [
                {
                    "status": line["status"],
                    "message": line["message"],
                    "expected_code": line["expected_code"],
                    "given_code": line["given_code"],
                    "rationale": line["rationale"],
                    "reference": line["reference"],
                    "common_error": line["common_error"],
                }
                for line in graded["lines"]
            ],
            "hints": [],
        }
    missing = sum(1 for line in result.lines if line.status == LineStatus.MISSING)
    hints = []
    if missing:
        hints.append(MISSING_LINES_HINT[min(missing, 2)].format(count=missing))
    return {
        **feedback,
        "lines": [shown for line in result.lines if (shown := _hidden_key_line(line))],
        "hints": [*hints, TRY_AGAIN],
    }


def key_typed(key: dict) -> dict:
    """The key's codes as a learner types them, section by section: what
    `code_answer_read` reads back into the key's lines (the demo's right answers)."""
    typed = {}
    for section in key_sections(key):
        if section == "service_lines":
            typed[section] = "\n".join(
                _service_line_typed(line) for line in key[section]
            )
        else:
            typed[section] = ", ".join(line["code"] for line in key[section])
    return typed


def _service_line_typed(line: dict) -> str:
    typed = "-".join([line["code"], *line.get("modifiers", [])])
    if line.get("units"):
        typed += f" x{line['units']}"
    if line.get("pointers"):
        typed += " dx" + ",".join(str(pointer) for pointer in line["pointers"])
    return typed
