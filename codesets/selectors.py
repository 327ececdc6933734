"""Reads of code-set data: the release in force, code details, tree browsing."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import connection

from codeformats import CodeSystem
from codesets.models import Code, Release
from codesets.sources.records import Kind

PCS_HEADER_LENGTH = 3
RELEASES_FRESH_FOR = 2.0
_LATEST_FIRST = ("-effective_from", "-loaded_at")


def release_for(system: CodeSystem | str, date_of_service: date) -> Release | None:
    """The release of `system` in force on `date_of_service`, or None.

    In force: it took effect on or before the date and has not ended before it;
    of several, the one that took effect last.
    """
    releases = Release.objects.filter(system=str(system)).order_by(*_LATEST_FIRST)
    return release_in_force(releases, system, date_of_service)


def release_in_force(
    releases: Iterable[Release], system: CodeSystem | str, date_of_service: date
) -> Release | None:
    """`release_for` over releases already read, latest first."""
    for release in releases:
        ends = release.effective_to or date_of_service
        if release.system == str(system) and (
            release.effective_from <= date_of_service <= ends
        ):
            return release
    return None


class _ReleaseTable:
    """This process's copy of the release table (a few rows), for the search's
    hot path: read again when older than `RELEASES_FRESH_FOR` seconds, and at
    once when this process saves or deletes a release (see `apps.py`)."""

    def __init__(self) -> None:
        self.expires = 0.0
        self.rows: list[Release] = []

    def current(self) -> list[Release]:
        now = time.monotonic()
        if now >= self.expires:
            self.rows = list(Release.objects.order_by(*_LATEST_FIRST))
            self.expires = now + RELEASES_FRESH_FOR
        return self.rows

    def forget(self, **_signal) -> None:
        self.expires = 0.0


release_table = _ReleaseTable()


def releases_current() -> list[Release]:
    """Every release, latest first, without a query per call: this process's copy,
    in which a release loaded by another process appears within
    `RELEASES_FRESH_FOR` seconds. Inside a transaction, which may hold releases no
    other connection sees yet, it asks the database."""
    if connection.in_atomic_block:
        return list(Release.objects.order_by(*_LATEST_FIRST))
    return release_table.current()


def release_for_search(
    system: CodeSystem | str, date_of_service: date
) -> Release | None:
    """`release_for` without a query per call, for the search endpoint (see
    `releases_current`)."""
    return release_in_force(releases_current(), system, date_of_service)


def releases_of(system: CodeSystem | str) -> list[Release]:
    """Every loaded release of `system`, latest first."""
    return list(Release.objects.filter(system=str(system)).order_by("-effective_from"))


def ancestor_codes(row: Code) -> list[str]:
    """Compact codes of every row above `row`, from the top down."""
    system = row.release.system
    if system == CodeSystem.ICD10PCS:
        return [row.code[:n] for n in range(1, min(len(row.code), 4))]
    if system != CodeSystem.ICD10CM:
        return []
    heads = [c for c in (row.chapter, row.block) if c and c != row.code]
    if row.kind in (Kind.CATEGORY, Kind.SUBCATEGORY):
        heads += [row.code[:n] for n in range(3, len(row.code))]
    return heads


@dataclass(frozen=True)
class CodeDetail:
    """A row with everything the detail page and API show about it."""

    row: Code
    ancestors: list[Code]
    children: list[Code]

    def inherited_notes(self) -> list[tuple[Code, dict]]:
        """Notes of each ancestor that has any, from the top down."""
        return [(a, a.notes) for a in self.ancestors if a.notes]


def code_detail(release: Release, code: str) -> CodeDetail | None:
    """A row of `release` with its ancestors and children, or None."""
    row = Code.objects.select_related("release").filter(release=release, code=code)
    row = row.first()
    if row is None:
        return None
    wanted = ancestor_codes(row)
    ancestors = sorted(
        Code.objects.filter(release=release, code__in=wanted),
        key=lambda a: wanted.index(a.code),
    )
    return CodeDetail(row, ancestors, children_of(release, row.code))


def children_of(release: Release, parent: str) -> list[Code]:
    """The rows directly under `parent` in `release`, in code order."""
    return list(Code.objects.filter(release=release, parent=parent).order_by("code"))


def top_level(release: Release) -> list[Code]:
    """Chapters of ICD-10-CM, sections of PCS, or every code of a flat list."""
    rows = list(Code.objects.filter(release=release, parent=""))
    if release.system == CodeSystem.ICD10CM:
        return sorted(rows, key=lambda r: (not r.code.isdigit(), int(r.code or 0)))
    return sorted(rows, key=lambda r: r.code)


@dataclass(frozen=True)
class AxisOption:
    """One value of the next PCS axis under a prefix, and how many codes use it."""

    prefix: str
    value: str
    label: str
    count: int


def pcs_axis_options(release: Release, prefix: str) -> list[AxisOption]:
    """Values of the axis after `prefix` (0-6 characters) among the release's codes."""
    if len(prefix) < PCS_HEADER_LENGTH:
        headers = children_of(release, prefix) if prefix else top_level(release)
        return [AxisOption(h.code, h.code[-1], h.description, 0) for h in headers]
    options: dict[str, list] = {}
    rows = (
        Code.objects.filter(release=release, kind=Kind.CODE)
        .filter(**prefix_range(prefix))
        .values_list("code", "axes")
    )
    position = len(prefix)
    for code, axes in rows:
        value = code[position]
        entry = options.setdefault(value, [axes[position] if axes else "", 0])
        entry[1] += 1
    return [
        AxisOption(prefix + value, value, label, count)
        for value, (label, count) in sorted(options.items())
    ]


def rows_by_code(release: Release, codes: Iterable[str]) -> dict[str, Code]:
    """The rows of `release` with these compact codes, in one query."""
    return {
        r.code: r for r in Code.objects.filter(release=release, code__in=set(codes))
    }


def prefix_range(prefix: str) -> dict[str, str]:
    """Filter arguments matching codes that start with `prefix` by index range."""
    return {"code__gte": prefix, "code__lt": prefix + "~"}
