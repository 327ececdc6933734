"""What every content import shares: the base of the file formats (pydantic models,
one module `<app>/formats.py` per owning app), the one error shape, and the one way
an import reports problems.

An import is all or nothing: it gathers every problem of a file, in the words an
author reads ("case 3 (slug) → key → service line 2 → pointer 1: …"), and writes
nothing while there is one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import pydantic
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.module_loading import module_has_submodule
from pydantic import AfterValidator, StringConstraints

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_DIR = Path(__file__).resolve().parents[1] / "docs" / "formats"
PATH_SEPARATOR = " → "
NOT_JSON = "is not JSON: {error}"
UNREADABLE = "cannot be read: {error}"
UNKNOWN_SLUGS = "unknown: {slugs}"
BAD_SLUG = "must be a slug (lower-case letters, digits, hyphens and underscores)"

# A list's items are named by what one of them is, counted from 1 as authors count.
ITEM_NOUNS = {
    "alternatives": "alternative",
    "blueprints": "blueprint",
    "body": "block",
    "cases": "case",
    "certifications": "certification",
    "codes": "code",
    "common_errors": "common error",
    "diagnoses": "diagnosis",
    "documentation": "documentation block",
    "domains": "domain",
    "exams": "exam",
    "header": "column",
    "learning_outcomes": "outcome",
    "lessons": "lesson",
    "modifier_alternatives": "modifier alternative",
    "modifiers": "modifier",
    "modules": "module",
    "options": "option",
    "pointers": "pointer",
    "procedures": "procedure",
    "question_slugs": "question",
    "questions": "question",
    "rows": "row",
    "service_lines": "service line",
}

# Pydantic's wording where an author would not recognise it.
MESSAGES = {
    "missing": "is required",
    "extra_forbidden": "is not a field of this format",
    "union_tag_invalid": "has an unknown type; expected one of {expected_tags}",
    "union_tag_not_found": "needs a type",
    "literal_error": "must be {expected}",
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "bool_type": "must be true or false",
    "list_type": "must be a list",
    "tuple_type": "must be a list",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "string_too_short": "must not be empty",
    "string_too_long": "must be at most {max_length} characters",
    "too_short": "needs at least {min_length} item(s)",
    "too_long": "takes at most {max_length} item(s)",
    "greater_than": "must be more than {gt}",
    "greater_than_equal": "must be at least {ge}",
    "less_than_equal": "must be at most {le}",
}


@dataclass(frozen=True)
class ImportProblem:
    """One problem of an import file: which file, where in it, and what is wrong."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return f"{where}: {self.message}"


class ImportRefused(Exception):
    """An import that wrote nothing, with every problem found."""

    def __init__(self, problems: Iterable[ImportProblem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class FileFormat(pydantic.BaseModel):
    """Base of every import format: strict types (a string is not a number) and no
    field the format does not define, so a typo is reported rather than ignored."""

    model_config = pydantic.ConfigDict(strict=True, extra="forbid", frozen=True)


SLUG_PATTERN = r"^[a-z0-9_-]+$"


def _slug(value: str) -> str:
    if not re.fullmatch(SLUG_PATTERN, value):
        raise ValueError(BAD_SLUG)
    return value


# The pattern is checked by `_slug`, to say what a slug is; Field only publishes it.
Slug = Annotated[
    str,
    AfterValidator(_slug),
    pydantic.Field(json_schema_extra={"pattern": SLUG_PATTERN}),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""Text that may not be empty."""

FormatT = TypeVar("FormatT", bound=FileFormat)
T = TypeVar("T")


def one_of(values: Sequence[str]) -> Any:
    """The type of a field that takes one of `values` (e.g. a TextChoices' values)."""
    return Literal[tuple(values)]


def human_path(
    loc: Sequence[str | int], data: Any = None, *, missing: bool = False
) -> str:
    """`("cases", 2, "key", "service_lines", 1, "pointers", 0)` as
    "case 3 (its slug) → key → service line 2 → pointer 1".

    `data` is the file's decoded JSON: an item with a `slug` or `id` is named by it,
    and a step that is not in the file (a union member's tag) is left out, except a
    last step that is `missing` from it.
    """
    parts: list[str] = []
    node = data
    for position, step in enumerate(loc):
        last = position == len(loc) - 1
        if isinstance(step, int):
            noun = ITEM_NOUNS.get(str(parts[-1]) if parts else "", "item")
            if parts and parts[-1] in ITEM_NOUNS:
                parts.pop()
            node = node[step] if _indexable(node, step) else None
            label = _item_label(node)
            parts.append(f"{noun} {step + 1}{label}")
            continue
        if step == "value" and _is_block(node):
            # A block is named by its type already; its value is not a place.
            node = node[step]
            continue
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif node is not None and not (last and missing):
            # A tag pydantic adds for a union member, not a field of the file.
            continue
        else:
            node = None
        parts.append(step)
    return PATH_SEPARATOR.join(parts)


def _indexable(node: Any, index: int) -> bool:
    return isinstance(node, list) and 0 <= index < len(node)


def _is_block(node: Any) -> bool:
    return isinstance(node, dict) and "type" in node and "value" in node


def _item_label(node: Any) -> str:
    if isinstance(node, dict):
        for name in ("slug", "id", "type"):
            if isinstance(node.get(name), str) and node[name]:
                return f" ({node[name]})"
    return ""


def unknown_slugs(slugs: Iterable[str], known: Iterable[str]) -> str | None:
    """The problem with `slugs` that are not among `known` (certifications, domains,
    questions: what a file refers to in the database), or None."""
    known = set(known)
    missing = [slug for slug in slugs if slug not in known]
    return UNKNOWN_SLUGS.format(slugs=", ".join(missing)) if missing else None


def parse_dotted_path(path: str) -> tuple[str | int, ...]:
    """`"service_lines[1].pointers[0]"` (the engine's and Wagtail's paths) as a
    location tuple."""
    loc: list[str | int] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        loc.append(int(index) if index else name)
    return tuple(loc)


def problems_from_validation_error(
    error: pydantic.ValidationError, *, file: str, data: Any
) -> list[ImportProblem]:
    """Each of pydantic's errors as an `ImportProblem` with a readable path."""
    problems = []
    for item in error.errors(include_url=False):
        template = MESSAGES.get(item["type"])
        context = item.get("ctx") or {}
        message = template.format(**context) if template else item["msg"]
        path = human_path(item["loc"], data, missing=item["type"] == "missing")
        problems.append(ImportProblem(file, path, _plain(message)))
    return problems


def _plain(message: str) -> str:
    # Pydantic prefixes a validator's own ValueError message with this.
    return message.removeprefix("Value error, ")


def block_errors(
    error: ValidationError,
    loc: Sequence[str | int],
    *,
    stream: bool = True,
    names: Mapping[str, str] | None = None,
) -> list[tuple[tuple[str | int, ...], str]]:
    """A Wagtail block's `ValidationError` (as the admin raises it) as (location in
    the file, message) pairs, one per field, under `loc`.

    In a file a stream's blocks hold their fields under "value" (list items do
    not); `names` maps a block's field names to the file's where they differ.
    """
    names = names or {}
    children = getattr(error, "block_errors", None)
    if children is None:
        return [(tuple(loc), " ".join(error.messages))]
    found = [
        (tuple(loc), message)
        for item in getattr(error, "non_block_errors", [])
        for message in getattr(item, "messages", [str(item)])
    ]
    for name, child in children.items():
        if isinstance(name, int):
            step = (name, "value") if stream else (name,)
        else:
            step = (names.get(name, name),)
        found += block_errors(child, (*loc, *step), stream=False, names=names)
    return found


def problems_at(
    file: str, data: Any, errors: Iterable[tuple[Sequence[str | int], str]]
) -> list[ImportProblem]:
    """(location, message) pairs found by an importer's own rules as problems."""
    return [
        ImportProblem(file, human_path(loc, data, missing=True), message)
        for loc, message in errors
    ]


def files_import(
    paths: Iterable[Path], import_one: Callable[[Any, str], T]
) -> tuple[list[T], list[ImportProblem]]:
    """Import each file on its own, all or nothing per file: what `import_one(data,
    file_name)` returned for the files it took, and every problem of the others."""
    imported, refused = [], []
    for path in paths:
        try:
            imported.append(import_one(file_read(path), path.name))
        except ImportRefused as error:
            refused += error.problems
    return imported, refused


def file_read(path: Path) -> Any:
    """The decoded JSON of `path`, or `ImportRefused` saying why it cannot be."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        message = UNREADABLE.format(error=error)
    except json.JSONDecodeError as error:
        message = NOT_JSON.format(error=error)
    raise ImportRefused([ImportProblem(path.name, "", message)])


def file_validate(model: type[FormatT], data: Any, *, file: str) -> FormatT:
    """`data` as `model`, or `ImportRefused` listing every structural problem."""
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as error:
        raise ImportRefused(
            problems_from_validation_error(error, file=file, data=data)
        ) from None


def published_formats() -> dict[str, type[FileFormat]]:
    """Every installed app's published formats (`SCHEMAS` in `<app>/formats.py`),
    by the name of their schema file."""
    found: dict[str, type[FileFormat]] = {}
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "formats"):
            found.update(
                getattr(import_module(f"{config.name}.formats"), "SCHEMAS", {})
            )
    return dict(sorted(found.items()))


def format_schema(name: str, model: type[FileFormat]) -> str:
    """The JSON Schema of `model` as published in docs/formats/<name>.schema.json."""
    schema = {
        "$schema": SCHEMA_DIALECT,
        "$id": f"{name}.schema.json",
        **model.model_json_schema(),
    }
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
