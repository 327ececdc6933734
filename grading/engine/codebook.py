"""Code look-ups: the interface the engine needs, and two implementations.

The engine asks once per code system per grading, with every code of the key and
the response together, so a database-backed code book answers in one query each.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol

from codeformats import (
    SYSTEM_LABELS,
    CodeSystem,
    check_format,
    compact,
    display_form,
)

NOT_IN_CODE_SET = "{code} is not in the {label} release in force on {date}."


@dataclass(frozen=True)
class CodeStatus:
    """What a code book says about one compact code on the date of service.

    The facts after `description` explain answers and may be left empty by a code
    book that does not know them: `cc_mcc` is "cc" or "mcc" for a diagnosis on
    the CMS lists; `mue` the code's medically unlikely edit (0 for none);
    `excludes1`, `code_first` and `use_additional` the compact codes or code
    prefixes its notes name; `history` a sentence on how the code changed
    between releases ("K35.3 was expanded into K35.30-K35.33 on 2018-10-01").
    """

    code: str
    valid: bool
    message: str = ""
    description: str = ""
    cc_mcc: str = ""
    mue: int = 0
    excludes1: tuple[str, ...] = ()
    code_first: tuple[str, ...] = ()
    use_additional: tuple[str, ...] = ()
    history: str = ""


class CodeBook(Protocol):
    def lookup(
        self,
        system: CodeSystem,
        codes: Collection[str],
        date_of_service: datetime.date,
    ) -> Mapping[str, CodeStatus]:
        """Say, for each compact code, whether it may be reported on that date."""
        ...


def not_in_code_set(
    system: CodeSystem, code: str, date_of_service: datetime.date
) -> CodeStatus:
    """The status of a code the code book does not know."""
    message = NOT_IN_CODE_SET.format(
        code=display_form(system, code),
        label=SYSTEM_LABELS[system],
        date=date_of_service.isoformat(),
    )
    return CodeStatus(code, False, message)


class FormatOnlyCodeBook:
    """Accepts every code whose format is right: for previews without code data."""

    def lookup(
        self,
        system: CodeSystem,
        codes: Collection[str],
        date_of_service: datetime.date,
    ) -> Mapping[str, CodeStatus]:
        statuses = {}
        for code in codes:
            check = check_format(system, code)
            statuses[code] = CodeStatus(check.code, check.ok, check.message)
        return statuses


_REFERENCES = ("excludes1", "code_first", "use_additional")


def _compact_references(facts: Mapping[str, Any]) -> dict[str, Any]:
    """Facts with the codes their notes name in compact form."""
    return {
        name: tuple(compact(code) for code in value) if name in _REFERENCES else value
        for name, value in facts.items()
    }


class DictCodeBook:
    """An in-memory code book, blind to dates: for tests and benchmarks.

    `valid` maps each system to its reportable codes and their descriptions;
    `not_reportable` maps codes that exist but may not be reported (headers,
    deleted codes) to the reason shown to the learner; `facts` maps codes to the
    other `CodeStatus` fields (`{"cc_mcc": "mcc", "mue": 4}`). Codes may be
    written with or without dots.
    """

    def __init__(
        self,
        valid: Mapping[CodeSystem, Mapping[str, str]],
        not_reportable: Mapping[CodeSystem, Mapping[str, str]] | None = None,
        facts: Mapping[CodeSystem, Mapping[str, Mapping[str, Any]]] | None = None,
    ) -> None:
        self._statuses: dict[CodeSystem, dict[str, CodeStatus]] = {}
        for system, reasons in (not_reportable or {}).items():
            table = self._statuses.setdefault(CodeSystem(system), {})
            for raw, reason in reasons.items():
                code = check_format(system, raw).code
                table[code] = CodeStatus(code, False, reason)
        for system, descriptions in valid.items():
            table = self._statuses.setdefault(CodeSystem(system), {})
            for raw, description in descriptions.items():
                code = check_format(system, raw).code
                table[code] = CodeStatus(code, True, description=description)
        for system, by_code in (facts or {}).items():
            table = self._statuses.setdefault(CodeSystem(system), {})
            for raw, known in by_code.items():
                code = check_format(system, raw).code
                status = table.get(code) or CodeStatus(code, True)
                table[code] = replace(status, **_compact_references(known))

    def lookup(
        self,
        system: CodeSystem,
        codes: Collection[str],
        date_of_service: datetime.date,
    ) -> Mapping[str, CodeStatus]:
        table = self._statuses.get(system, {})
        return {
            code: table.get(code) or not_in_code_set(system, code, date_of_service)
            for code in codes
        }
