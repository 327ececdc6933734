"""The plain records every parser yields, and the error every parser raises."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


class ParseError(ValueError):
    """A source line that cannot be read; nothing of the file may be loaded."""

    def __init__(self, line: int, reason: str, source: str = "") -> None:
        self.line = line
        self.reason = reason
        self.source = source
        where = f"{source}, line {line}" if source else f"line {line}"
        super().__init__(f"{where}: {reason}")


class Kind:
    """What a row of a release is: a code or one of the headers above it."""

    CHAPTER = "chapter"
    BLOCK = "block"
    CATEGORY = "category"
    SUBCATEGORY = "subcategory"
    SECTION = "section"
    BODY_SYSTEM = "body_system"
    TABLE = "table"
    CODE = "code"


@dataclass(frozen=True, slots=True)
class CodeRecord:
    """One row of a release: a billable code or a header above codes.

    `notes` maps a note kind (`excludes1`, `excludes2`, `includes`,
    `inclusion_terms`, `code_first`, `use_additional_code`, `code_also`, `notes`,
    `seven_chr_note`, `seven_chr_def`) to its lines, as the source gives them.
    """

    code: str
    kind: str
    billable: bool
    long_description: str
    short_description: str = ""
    display: str = ""
    parent: str = ""
    chapter: str = ""
    block: str = ""
    axes: tuple[str, ...] = ()
    notes: dict[str, list[str]] = field(default_factory=dict)
    effective_on: date | None = None
    terminated_on: date | None = None
    replaced_by: tuple[str, ...] = ()
    lay_description: bool = False

    def canonical(self) -> tuple:
        """A stable, comparable form: the basis of change detection on re-load."""
        return (
            self.code,
            self.kind,
            self.billable,
            self.long_description,
            self.short_description,
            self.display,
            self.parent,
            self.chapter,
            self.block,
            self.axes,
            tuple(sorted((k, tuple(v)) for k, v in self.notes.items())),
            self.effective_on.isoformat() if self.effective_on else "",
            self.terminated_on.isoformat() if self.terminated_on else "",
            self.replaced_by,
            self.lay_description,
        )


@dataclass(frozen=True, slots=True)
class PtpRecord:
    """An NCCI procedure-to-procedure edit: column 2 is not paid with column 1."""

    column1: str
    column2: str
    effective_on: date
    deleted_on: date | None
    modifier_indicator: str
    rationale: str = ""

    def canonical(self) -> tuple:
        """A stable, comparable form: the basis of change detection on re-load."""
        deleted = self.deleted_on.isoformat() if self.deleted_on else ""
        return (
            self.column1,
            self.column2,
            self.effective_on.isoformat(),
            deleted,
            self.modifier_indicator,
            self.rationale,
        )


@dataclass(frozen=True, slots=True)
class MueRecord:
    """An NCCI medically unlikely edit: the most units of a code per line or day."""

    code: str
    value: int
    adjudication_indicator: str
    rationale: str = ""

    def canonical(self) -> tuple:
        """A stable, comparable form: the basis of change detection on re-load."""
        return (self.code, self.value, self.adjudication_indicator, self.rationale)
