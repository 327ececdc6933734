"""The content linter's `ContentCodeBook`, backed by the code-set database: code
validity from `codesets.validation`, tabular-list instructions from the loaded
ICD-10-CM rows, and the edits of `codesets.edits`."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date

from codeformats import CodeSystem
from codesets.edits import ServiceLine, check_edits
from codesets.loaders import excludes1_references
from codesets.models import Code
from codesets.selectors import release_for
from codesets.validation import validate_codes_on
from content_checks.rules import (
    CodeState,
    EditHit,
    Instruction,
    Patient,
    ServiceLineFacts,
)

INSTRUCTION_NOTES = ("use_additional_code", "code_first")


class DatabaseContentBook:
    """Answers from the releases in force on each key's date of service."""

    def states(
        self, system: CodeSystem, codes: Collection[str], date_of_service: date
    ) -> Mapping[str, CodeState]:
        results = validate_codes_on(system, codes, date_of_service)
        return {
            code: CodeState(result.valid, str(result.status), result.message)
            for code, result in results.items()
        }

    def instructions(
        self, codes: Collection[str], date_of_service: date
    ) -> Mapping[str, tuple[Instruction, ...]]:
        """The notes of each code's own rows (category down to the code) and of
        its block and chapter, in one query for all codes."""
        release = release_for(CodeSystem.ICD10CM, date_of_service)
        if release is None or not codes:
            return {}
        heads = {c[:n] for c in codes for n in range(3, len(c) + 1)}
        rows = {
            row.code: row
            for row in Code.objects.filter(release=release, code__in=heads).only(
                "code", "display", "block", "chapter", "notes"
            )
        }
        groups = {r.block for r in rows.values() if r.block}
        groups |= {r.chapter for r in rows.values() if r.chapter}
        group_rows = {
            row.code: row
            for row in Code.objects.filter(release=release, code__in=groups).only(
                "code", "display", "notes"
            )
        }
        found: dict[str, tuple[Instruction, ...]] = {}
        for code in codes:
            own = [rows[code[:n]] for n in range(3, len(code) + 1) if code[:n] in rows]
            category = rows.get(code[:3])
            wider = []
            if category is not None:
                wider = [
                    group_rows[name]
                    for name in (category.block, category.chapter)
                    if name in group_rows
                ]
            found[code] = tuple(
                _instructions(own, own=True) + _instructions(wider, own=False)
            )
        return found

    def edits(
        self,
        *,
        date_of_service: date,
        diagnoses: Sequence[str],
        service_lines: Sequence[ServiceLineFacts],
        pcs_procedures: Sequence[str],
        patient: Patient,
    ) -> list[EditHit]:
        findings = check_edits(
            date_of_service=date_of_service,
            diagnoses=diagnoses,
            procedures=[
                ServiceLine(line.code, line.modifiers, line.units)
                for line in service_lines
            ],
            pcs_procedures=pcs_procedures,
            sex=patient.sex,
            age=patient.age,
        )
        return [
            EditHit(finding.kind, finding.codes, finding.message)
            for finding in findings
            if finding.blocking
        ]


def _instructions(rows: Sequence[Code], *, own: bool) -> list[Instruction]:
    found = []
    for row in rows:
        for kind in INSTRUCTION_NOTES:
            lines = row.notes.get(kind) or []
            if not lines:
                continue
            # The loader's reference parser reads every note's "(I50.-)" and
            # "(O09-O60)" forms, not only Excludes1's.
            references = tuple(excludes1_references(lines))
            found.append(
                Instruction(kind, row.display, " ".join(lines), references, own)
            )
    return found
