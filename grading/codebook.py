"""The grading engine's `CodeBook`, backed by the code-set database."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace
from datetime import date
from functools import cache

from drg.complications import ComplicationResolver

from codeformats import CodeSystem, display_form
from codesets.loaders import excludes1_references
from codesets.models import Code, MedicallyUnlikelyEdit
from codesets.selectors import release_for
from codesets.validation import Status, validate_codes_on
from grading.engine.codebook import CodeStatus

EXPANDED = "{code} was expanded into {first}-{last} on {date}."
CATEGORY_LENGTH = 3


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


class DatabaseCodeBook:
    """Answers the engine's look-ups from the release in force on the date.

    One call validates every code of a system in a fixed handful of queries
    (release, rows, children of headers, other releases of unknown codes), and
    adds the facts that explain answers: for ICD-10-CM the CC/MCC status, the
    codes Excludes1, "code first" and "use additional code" notes name (on the
    code or an ancestor), and when a header was expanded (two more queries); for
    CPT and HCPCS the MUE (one more).
    """

    def lookup(
        self,
        system: CodeSystem,
        codes: Collection[str],
        date_of_service: date,
    ) -> Mapping[str, CodeStatus]:
        """For each compact code: may it be reported on that date, why not, and
        what the code sets say about it."""
        results = validate_codes_on(system, codes, date_of_service)
        statuses = {
            code: CodeStatus(
                code=code,
                valid=result.valid,
                message=result.message if not result.valid else "",
                description=result.description,
            )
            for code, result in results.items()
        }
        if system == CodeSystem.ICD10CM:
            headers = {
                code
                for code, result in results.items()
                if result.status in (Status.HEADER, Status.SEVENTH_CHARACTER)
            }
            return _with_diagnosis_facts(statuses, headers, date_of_service)
        if system in (CodeSystem.CPT, CodeSystem.HCPCS):
            return _with_mue(statuses, date_of_service)
        return statuses


def _with_diagnosis_facts(
    statuses: dict[str, CodeStatus], headers: set[str], date_of_service: date
) -> dict[str, CodeStatus]:
    release = release_for(CodeSystem.ICD10CM, date_of_service)
    if release is None:
        return statuses
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
    statuses: dict[str, CodeStatus], date_of_service: date
) -> dict[str, CodeStatus]:
    release = release_for("ncci_mue", date_of_service)
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
