"""Grade a coding answer from two JSON files and print the result as JSON."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from grading.engine import FormatOnlyCodeBook, result_to_dict
from grading.services import (
    MAX_DOCUMENT_BYTES,
    GradingInputError,
    coding_answer_grade,
)

NOT_FOUND = "The {label} file {path} does not exist."
UNREADABLE = "The {label} file {path} cannot be read: {reason}."
TOO_LARGE = "The {label} file {path} is larger than {limit} kB."
NOT_JSON = "The {label} file {path} is not valid JSON: {reason}."
TOO_DEEP = "nested too deeply"
NOT_GRADED = "Not graded:\n{problems}"


def read_document(path: Path, label: str) -> Any:
    """The decoded JSON of `path`, or a `CommandError` saying what is wrong."""
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_DOCUMENT_BYTES + 1)
    except FileNotFoundError:
        raise CommandError(NOT_FOUND.format(label=label, path=path)) from None
    except OSError as error:
        message = UNREADABLE.format(label=label, path=path, reason=error.strerror)
        raise CommandError(message) from None
    if len(raw) > MAX_DOCUMENT_BYTES:
        limit = MAX_DOCUMENT_BYTES // 1024
        raise CommandError(TOO_LARGE.format(label=label, path=path, limit=limit))
    try:
        return json.loads(raw)
    except RecursionError:
        reason = TOO_DEEP
    except ValueError as error:
        reason = str(error)
    raise CommandError(NOT_JSON.format(label=label, path=path, reason=reason))


class Command(BaseCommand):
    help = (
        "Grade RESPONSE.json against KEY.json and print the result as JSON "
        "(see docs/grading.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("key", type=Path, help="The answer key, a JSON file")
        parser.add_argument("response", type=Path, help="The answer, a JSON file")
        parser.add_argument(
            "--policy",
            default="practice",
            help="practice (default), exam, or an instructor-defined policy",
        )
        parser.add_argument(
            "--offline",
            action="store_true",
            help="Check codes by format only, without the code-set database",
        )

    def handle(
        self, *args, key: Path, response: Path, policy: str, offline: bool, **options
    ):
        key_data = read_document(key, "key")
        response_data = read_document(response, "response")
        try:
            result = coding_answer_grade(
                key_data=key_data,
                response_data=response_data,
                policy_name=policy,
                code_book=FormatOnlyCodeBook() if offline else None,
            )
        except GradingInputError as error:
            problems = "\n".join(
                f"  {path}: {message}" for path, message in error.errors
            )
            raise CommandError(NOT_GRADED.format(problems=problems)) from None
        self.stdout.write(json.dumps(result_to_dict(result), indent=2))
