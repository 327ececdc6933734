"""The grading engine's `CodeBook`, backed by the code-set database.

A code's status depends only on the releases and the date of service, and a
release's rows never change without its `loaded_at` and checksum changing (the
loaders replace it whole). So each process remembers the statuses it has
resolved for the current state of the release table and answers them again
without a query: grading the codes of a case a second time costs none (one
inside a transaction, which reads the release table itself). A load seen in the
release table (`codesets.selectors.releases_current`: at once in this process,
within `RELEASES_FRESH_FOR` seconds from another) starts afresh.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace
from datetime import date
from functools import cache

from drg.complications import ComplicationResolver

from codeformats import CodeSystem, display_form
from codesets.loaders import excludes1_references
from codesets.models import Code, MedicallyUnlikelyEdit, Release
from codesets.selectors import release_in_force, releases_current
from codesets.validation import Status, validate_codes
from grading.engine.codebook import CodeStatus

EXPANDED = "{code} was expanded into {first}-{last} on {date}."
CATEGORY_LENGTH = 3
# About 10 MB of statuses: every code of the demo and institution content, and
# what learners commonly give, with room to spare.
MAX_REMEMBERED = 20_000


@cache
def _complications() -> ComplicationResolver:
    """The CMS MS-DRG CC and MCC lists the `drg` package ships (read once: about
    half a second)."""
    resolver = ComplicationResolver()
    resolver.load()
    return resolver


def cc_mcc_of(code: str) -> str:
    """ "mcc" or "cc" for a compact ICD-10-CM code on the CMS lists, else ""."""
    resolver = _complications()
    if resolver.is_mcc(code):
        return "mcc"
    return "cc" if resolver.is_cc(code) else ""


def _heads(code: str) -> list[str]:
    return [code[:length] for length in range(CATEGORY_LENGTH, len(code) + 1)]


class RememberedStatuses:
    """This process's resolved statuses for one state of the release table, least
    recently used dropped first beyond `MAX_REMEMBERED`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation: tuple = ()
        self._statuses: OrderedDict[tuple, CodeStatus] = OrderedDict()

    def get(
        self, generation: tuple, system: CodeSystem, on: date, codes: Iterable[str]
    ) -> dict[str, CodeStatus]:
        found = {}
        with self._lock:
            if generation != self._generation:
                return found
            for code in codes:
                status = self._statuses.get((system, on, code))
                if status is not None:
                    self._statuses.move_to_end((system, on, code))
                    found[code] = status
        return found

    def put(
        self,
        generation: tuple,
        system: CodeSystem,
        on: date,
        statuses: Mapping[str, CodeStatus],
    ) -> None:
        with self._lock:
            if generation != self._generation:
                self._statuses.clear()
                self._generation = generation
            for code, status in statuses.items():
                self._statuses[system, on, code] = status
            while len(self._statuses) > MAX_REMEMBERED:
                self._statuses.popitem(last=False)

    def forget(self) -> None:
        """Drop every status (the benchmark's cold rows)."""
        with self._lock:
            self._statuses.clear()
            self._generation = ()


remembered_statuses = RememberedStatuses()


class DatabaseCodeBook:
    """Answers the engine's look-ups from the release in force on the date.

    Codes this process has resolved for the current releases cost no query (see
    the module's docstring). The others of one call are validated together in a
    fixed handful of queries (rows, children of headers, other releases of
    unknown codes), with the facts that explain answers: for ICD-10-CM the CC/MCC
    status, the codes Excludes1, "code first" and "use additional code" notes
    name (on the code or an ancestor), and when a header was expanded (one more
    query for the notes, up to three for headers); for CPT and HCPCS the MUE (one
    more).
    One instance reads the release table once: make one per grading.
    """

    def __init__(self) -> None:
        self._releases: list[Release] | None = None
        self._generation: tuple = ()

    def lookup(
        self,
        system: CodeSystem,
        codes: Collection[str],
        date_of_service: date,
    ) -> Mapping[str, CodeStatus]:
        """For each compact code: may it be reported on that date, why not, and
        what the code sets say about it."""
        releases, generation = self._current()
        statuses = remembered_statuses.get(generation, system, date_of_service, codes)
        unknown = [code for code in codes if code not in statuses]
        if unknown:
            resolved = _resolve(system, unknown, date_of_service, releases)
            remembered_statuses.put(generation, system, date_of_service, resolved)
            statuses |= resolved
        return statuses

    def _current(self) -> tuple[list[Release], tuple]:
        if self._releases is None:
            self._releases = releases_current()
            self._generation = tuple(
                (release.pk, release.loaded_at, release.checksum)
                for release in self._releases
            )
        return self._releases, self._generation


def _resolve(
    system: CodeSystem, codes: Collection[str], on: date, releases: list[Release]
) -> dict[str, CodeStatus]:
    release = release_in_force(releases, system, on)
    results = validate_codes(system, codes, release, on)
    statuses = {
        code: CodeStatus(
            code=code,
            valid=result.valid,
            message=result.message if not result.valid else "",
            description=result.description,
        )
        for code, result in results.items()
    }
    if release is None:
        return statuses
    if system == CodeSystem.ICD10CM:
        headers = {
            code
            for code, result in results.items()
            if result.status in (Status.HEADER, Status.SEVENTH_CHARACTER)
        }
        return _with_diagnosis_facts(statuses, headers, release, on)
    if system in (CodeSystem.CPT, CodeSystem.HCPCS):
        return _with_mue(statuses, release_in_force(releases, "ncci_mue", on))
    return statuses


def _with_diagnosis_facts(
    statuses: dict[str, CodeStatus],
    headers: set[str],
    release: Release,
    date_of_service: date,
) -> dict[str, CodeStatus]:
    wanted = {head for code in statuses for head in _heads(code)}
    rows = {
        row.code: row
        for row in Code.objects.filter(release=release, code__in=wanted).only(
            "code", "notes", "excludes1"
        )
    }
    history = _expansions(headers, release, date_of_service)
    facts = {}
    for code, status in statuses.items():
        ancestors = [rows[head] for head in _heads(code) if head in rows]
        facts[code] = replace(
            status,
            cc_mcc=cc_mcc_of(code),
            excludes1=tuple(
                dict.fromkeys(ref for row in ancestors for ref in row.excludes1)
            ),
            code_first=_references(ancestors, "code_first"),
            use_additional=_references(ancestors, "use_additional_code"),
            history=history.get(code, ""),
        )
    return facts


def _references(rows: Iterable[Code], note: str) -> tuple[str, ...]:
    return tuple(
        dict.fromkeys(
            reference
            for row in rows
            for reference in excludes1_references(row.notes.get(note, ()))
        )
    )


def _expansions(headers: set[str], release, date_of_service: date) -> dict[str, str]:
    """For headers that were reportable codes in an earlier release: when they
    were expanded, and into what."""
    if not headers:
        return {}
    earlier = (
        Code.objects.filter(
            release__system=CodeSystem.ICD10CM,
            release__effective_from__lt=release.effective_from,
            code__in=headers,
            billable=True,
        )
        .values_list("code", flat=True)
        .distinct()
    )
    were_codes = set(earlier)
    if not were_codes:
        return {}
    children: dict[str, list[str]] = {}
    for row in (
        Code.objects.filter(release=release, parent__in=were_codes)
        .order_by("code")
        .only("code", "parent")
    ):
        children.setdefault(row.parent, []).append(row.code)
    expanded = (
        Code.objects.filter(
            release__system=CodeSystem.ICD10CM,
            release__effective_from__lte=date_of_service,
            code__in=were_codes,
            billable=False,
        )
        .select_related("release")
        .order_by("release__effective_from")
    )
    since = {}
    for row in expanded:
        since.setdefault(row.code, row.release.effective_from)
    return {
        code: EXPANDED.format(
            code=display_form(CodeSystem.ICD10CM, code),
            first=display_form(CodeSystem.ICD10CM, children[code][0]),
            last=display_form(CodeSystem.ICD10CM, children[code][-1]),
            date=since[code].isoformat(),
        )
        for code in were_codes
        if children.get(code) and code in since
    }


def _with_mue(
    statuses: dict[str, CodeStatus], release: Release | None
) -> dict[str, CodeStatus]:
    if release is None:
        return statuses
    limits = dict(
        MedicallyUnlikelyEdit.objects.filter(
            release=release, code__in=statuses
        ).values_list("code", "value")
    )
    return {
        code: replace(status, mue=limits[code]) if code in limits else status
        for code, status in statuses.items()
    }
