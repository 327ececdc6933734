"""The full ICD-10-CM tabular list shipped by `simple-icd-10-cm` (April 2026).

Walks the package's public API from each chapter down: chapters, blocks,
categories, subcategories and the 7th-character codes the package derives, with
each node's own notes (the notes of an ancestor apply to its descendants and are
collected at read time, not copied here).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from importlib import metadata

from codeformats import CodeSystem, compact, display_form
from codesets.sources.records import CodeRecord, Kind

VERSION = "2026-04"
EFFECTIVE_FROM = date(2026, 4, 1)

_LIST_NOTES = {
    "excludes1": "get_excludes1",
    "excludes2": "get_excludes2",
    "includes": "get_includes",
    "inclusion_terms": "get_inclusion_term",
}
_TEXT_NOTES = {
    "code_first": "get_code_first",
    "use_additional_code": "get_use_additional_code",
    "code_also": "get_code_also",
    "notes": "get_notes",
    "seven_chr_note": "get_seven_chr_note",
}


def source_label() -> str:
    """Where the codes came from, as stored on the release."""
    return f"simple-icd-10-cm {metadata.version('simple-icd-10-cm')}"


def _notes(cm, name: str, is_block: bool) -> dict[str, list[str]]:
    notes: dict[str, list[str]] = {}
    for key, getter in _LIST_NOTES.items():
        lines = getattr(cm, getter)(name, prioritize_blocks=is_block)
        if lines:
            notes[key] = lines
    for key, getter in _TEXT_NOTES.items():
        text = getattr(cm, getter)(name, prioritize_blocks=is_block)
        if text:
            notes[key] = text.split("\n")
    seven = cm.get_seven_chr_def(name, prioritize_blocks=is_block)
    if seven:
        notes["seven_chr_def"] = [f"{char}: {text}" for char, text in seven.items()]
    return notes


def block_code(name: str) -> str:
    """Blocks of one category (`B99`) get a range form so they never clash with it."""
    return name if "-" in name else f"{name}-{name}"


def parse_package(chapters: set[str] | None = None) -> Iterator[CodeRecord]:
    """Every record of the package, depth first; `chapters` limits to those numbers."""
    import simple_icd_10_cm as cm

    roots = [c for c in cm.get_all_codes(with_dots=True) if cm.is_chapter(c)]
    for chapter in roots:
        if chapters and chapter not in chapters:
            continue
        yield CodeRecord(
            code=chapter,
            kind=Kind.CHAPTER,
            billable=False,
            long_description=cm.get_description(chapter),
            display=f"Chapter {chapter}",
            chapter=chapter,
            notes=_notes(cm, chapter, False),
        )
        for block in cm.get_children(chapter):
            yield from _walk_block(cm, block, chapter, chapter)


def _walk_block(cm, name: str, parent: str, chapter: str) -> Iterator[CodeRecord]:
    code = block_code(name)
    yield CodeRecord(
        code=code,
        kind=Kind.BLOCK,
        billable=False,
        long_description=cm.get_description(name, prioritize_blocks=True),
        display=name,
        parent=parent,
        chapter=chapter,
        block=code,
        notes=_notes(cm, name, True),
    )
    for child in cm.get_children(name, prioritize_blocks=True):
        if "-" in child:
            yield from _walk_block(cm, child, code, chapter)
        else:
            yield from _walk_code(cm, child, code, chapter, code)


def _walk_code(
    cm, name: str, parent: str, chapter: str, block: str
) -> Iterator[CodeRecord]:
    code = compact(name)
    children = cm.get_children(name)
    yield CodeRecord(
        code=code,
        kind=Kind.CATEGORY if len(code) == 3 else Kind.SUBCATEGORY,
        billable=not children,
        long_description=cm.get_description(name),
        display=display_form(CodeSystem.ICD10CM, code),
        parent=parent,
        chapter=chapter,
        block=block,
        notes=_notes(cm, name, False),
    )
    for child in children:
        yield from _walk_code(cm, child, code, chapter, block)
