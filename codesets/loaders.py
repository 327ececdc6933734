"""Services that write releases: load parsed records, all or nothing, idempotently.

A load reads every record first (a parse error leaves the database untouched),
then, in one transaction, inserts new rows, updates changed ones and deletes rows
the source no longer has. A release whose rows all match the stored checksum is
left alone.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db import connection, models, transaction
from django.utils import timezone

from codesets.models import Code, MedicallyUnlikelyEdit, PtpEdit, Release
from codesets.sources.records import CodeRecord, MueRecord, PtpRecord

BATCH_SIZE = 2000
Progress = Callable[[int, int], None]

_REFERENCE = re.compile(
    r"\b([A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{0,4})?)"
    r"(?:\s*-\s*([A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{0,4})?))?-?"
)


@dataclass(frozen=True)
class LoadSummary:
    """What a load did, for the command's closing line and for tests."""

    release: Release
    created: int
    updated: int
    deleted: int
    unchanged: int
    skipped: bool
    seconds: float

    def __str__(self) -> str:
        if self.skipped:
            return (
                f"{self.release}: unchanged ({self.release.row_count} rows), skipped "
                f"in {self.seconds:.1f} s"
            )
        return (
            f"{self.release}: {self.created} added, {self.updated} changed, "
            f"{self.deleted} removed, {self.unchanged} unchanged "
            f"({self.release.row_count} rows) in {self.seconds:.1f} s"
        )


def excludes1_references(lines: Iterable[str]) -> list[str]:
    """Code references of Excludes1 notes: prefixes (`E10`) or ranges (`I20:I25`).

    "(E08.-)" is the prefix E08, "(O24.4-)" the prefix O244, "(I20-I25)" the range
    of categories I20 to I25.
    """
    references: list[str] = []
    for line in lines:
        for first, last in _REFERENCE.findall(line):
            start = first.replace(".", "")
            reference = f"{start}:{last.replace('.', '')}" if last else start
            if reference not in references:
                references.append(reference)
    return references


def search_text(record: CodeRecord) -> str:
    """The text the search index holds for a row: descriptions and inclusion terms."""
    parts = [record.long_description]
    if record.short_description and record.short_description != record.long_description:
        parts.append(record.short_description)
    parts.extend(record.notes.get("inclusion_terms", ()))
    return "\n".join(parts)


def _digest(canonical: tuple) -> str:
    return hashlib.md5(repr(canonical).encode(), usedforsecurity=False).hexdigest()


def _checksum(digests: Iterable[str], *metadata: object) -> str:
    hasher = hashlib.sha256(repr(metadata).encode())
    for digest in sorted(digests):
        hasher.update(digest.encode())
    return hasher.hexdigest()


def _code_fields(record: CodeRecord) -> dict:
    return {
        "display": record.display or record.code,
        "kind": record.kind,
        "billable": record.billable,
        "description": record.long_description,
        "short_description": record.short_description[:255],
        "parent": record.parent,
        "chapter": record.chapter,
        "block": record.block,
        "axes": list(record.axes),
        "notes": record.notes,
        "excludes1": excludes1_references(record.notes.get("excludes1", ())),
        "effective_on": record.effective_on,
        "terminated_on": record.terminated_on,
        "replaced_by": list(record.replaced_by),
        "lay_description": record.lay_description,
        "search_text": search_text(record),
    }


def _search_prior(record: CodeRecord) -> tuple:
    # Rows are inserted short, billable descriptions first: a search ranks a bounded
    # set of candidates taken in storage order, so this order is its tie-breaker.
    return (not record.billable, len(record.long_description), record.code)


@dataclass(frozen=True)
class _Spec:
    model: type[models.Model]
    key_fields: tuple[str, ...]


_CODES = _Spec(Code, ("code",))
_PTP = _Spec(PtpEdit, ("column1", "column2", "effective_on"))
_MUE = _Spec(MedicallyUnlikelyEdit, ("code",))


def _load(
    spec: _Spec,
    rows: list[tuple[tuple, dict]],
    *,
    system: str,
    version: str,
    effective_from: date,
    effective_to: date | None,
    source: str,
    demo: bool,
    licensed: bool,
    progress: Progress | None,
) -> LoadSummary:
    started = time.monotonic()
    checksum = _checksum(
        (row["digest"] for _key, row in rows),
        effective_from,
        effective_to,
        source,
        demo,
        licensed,
    )
    release = Release.objects.filter(system=system, version=version).first()
    if release and release.checksum == checksum:
        return LoadSummary(release, 0, 0, 0, release.row_count, True, _since(started))
    with transaction.atomic():
        release, _ = Release.objects.update_or_create(
            system=system,
            version=version,
            defaults={
                "effective_from": effective_from,
                "effective_to": effective_to,
                "source": source,
                "demo": demo,
                "licensed": licensed,
                "checksum": "",
                "loaded_at": timezone.now(),
            },
        )
        existing = {
            tuple(values[:-2]): (values[-2], values[-1])
            for values in spec.model.objects.filter(release=release).values_list(
                *spec.key_fields, "id", "digest"
            )
        }
        created, changed = [], []
        for key, fields in rows:
            found = existing.pop(key, None)
            if found is None:
                created.append(spec.model(release=release, **fields))
            elif found[1] != fields["digest"]:
                changed.append(spec.model(id=found[0], release=release, **fields))
        total = len(created) + len(changed) + len(existing)
        done = 0
        for batch in _batches(created):
            spec.model.objects.bulk_create(batch)
            done += len(batch)
            if progress:
                progress(done, total)
        update_fields = [
            f.name
            for f in spec.model._meta.concrete_fields
            if f.name not in ("id", "release")
        ]
        for batch in _batches(changed):
            spec.model.objects.bulk_update(batch, update_fields)
            done += len(batch)
            if progress:
                progress(done, total)
        stale = [pk for pk, _digest in existing.values()]
        for batch in _batches(stale):
            spec.model.objects.filter(id__in=batch).delete()
            done += len(batch)
            if progress:
                progress(done, total)
        release.checksum = checksum
        release.row_count = len(rows)
        release.save(update_fields=["checksum", "row_count"])
    if connection.vendor == "postgresql":
        _tidy_postgres(spec.model._meta.db_table)
    unchanged = len(rows) - len(created) - len(changed)
    return LoadSummary(
        release,
        len(created),
        len(changed),
        len(stale),
        unchanged,
        False,
        _since(started),
    )


def _tidy_postgres(table: str) -> None:
    """Fresh planner statistics, and GIN pending lists merged into their indexes:
    after a bulk load, every search would otherwise scan those lists."""
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
        cursor.execute(
            "SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
            "WHERE i.indrelid = %s::regclass AND a.amname = 'gin'",
            [table],
        )


def _since(started: float) -> float:
    return time.monotonic() - started


def _batches(items: list) -> Iterable[list]:
    for start in range(0, len(items), BATCH_SIZE):
        yield items[start : start + BATCH_SIZE]


def release_load_codes(
    *,
    system: str,
    version: str,
    effective_from: date,
    effective_to: date | None = None,
    source: str,
    records: Iterable[CodeRecord],
    demo: bool = False,
    licensed: bool = False,
    progress: Progress | None = None,
) -> LoadSummary:
    """Load the code records of one release (created or brought up to date)."""
    ordered = sorted(records, key=_search_prior)
    rows = []
    for record in ordered:
        fields = _code_fields(record)
        fields["code"] = record.code
        fields["digest"] = _digest(record.canonical())
        rows.append(((record.code,), fields))
    return _load(
        _CODES,
        rows,
        system=system,
        version=version,
        effective_from=effective_from,
        effective_to=effective_to,
        source=source,
        demo=demo,
        licensed=licensed,
        progress=progress,
    )


def release_load_ptp(
    *,
    version: str,
    effective_from: date,
    effective_to: date | None = None,
    source: str,
    records: Iterable[PtpRecord],
    demo: bool = False,
    progress: Progress | None = None,
) -> LoadSummary:
    """Load the PTP edits of one NCCI quarter."""
    rows = []
    for record in records:
        fields = {
            "column1": record.column1,
            "column2": record.column2,
            "effective_on": record.effective_on,
            "deleted_on": record.deleted_on,
            "modifier_indicator": record.modifier_indicator,
            "rationale": record.rationale[:255],
            "digest": _digest(record.canonical()),
        }
        rows.append(((record.column1, record.column2, record.effective_on), fields))
    return _load(
        _PTP,
        rows,
        system="ncci_ptp",
        version=version,
        effective_from=effective_from,
        effective_to=effective_to,
        source=source,
        demo=demo,
        licensed=False,
        progress=progress,
    )


def release_load_mue(
    *,
    version: str,
    effective_from: date,
    effective_to: date | None = None,
    source: str,
    records: Iterable[MueRecord],
    demo: bool = False,
    progress: Progress | None = None,
) -> LoadSummary:
    """Load the MUEs of one NCCI quarter."""
    rows = []
    for record in records:
        fields = {
            "code": record.code,
            "value": record.value,
            "adjudication_indicator": record.adjudication_indicator[:60],
            "rationale": record.rationale[:255],
            "digest": _digest(record.canonical()),
        }
        rows.append(((record.code,), fields))
    return _load(
        _MUE,
        rows,
        system="ncci_mue",
        version=version,
        effective_from=effective_from,
        effective_to=effective_to,
        source=source,
        demo=demo,
        licensed=False,
        progress=progress,
    )
