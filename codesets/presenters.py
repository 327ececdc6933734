"""Plain dictionaries of code-set objects, shared by the JSON API and the pages."""

from __future__ import annotations

from codeformats import PCS_AXES, CodeSystem
from codesets.models import Code, Release
from codesets.search import Hit
from codesets.selectors import CodeDetail

CPT_LAY_NOTICE = (
    "CPT descriptions here are CoderAcademy lay descriptions, not the AMA "
    "descriptors: no licensed AMA CPT release is loaded, so CPT input is checked by "
    "format and against the CoderAcademy demo list."
)
LICENSED_HIDDEN = "Log in to see the licensed AMA descriptor."
NOTE_TITLES = {
    "inclusion_terms": "Inclusion terms",
    "includes": "Includes",
    "excludes1": "Excludes1",
    "excludes2": "Excludes2",
    "code_first": "Code first",
    "use_additional_code": "Use additional code",
    "code_also": "Code also",
    "notes": "Notes",
    "seven_chr_note": "7th character",
    "seven_chr_def": "7th characters",
}


def notice_for(system: CodeSystem, release: Release | None) -> str:
    """The notice a page or response about `system` must show, if any."""
    if system == CodeSystem.CPT and (release is None or not release.licensed):
        return CPT_LAY_NOTICE
    return ""


def hides_descriptions(release: Release | None, user) -> bool:
    """Licensed AMA text is shown to logged-in users of the licensee only."""
    return bool(release and release.licensed and not user.is_authenticated)


def release_dict(release: Release | None) -> dict | None:
    if release is None:
        return None
    return {
        "system": release.system,
        "version": release.version,
        "effective_from": release.effective_from.isoformat(),
        "effective_to": release.effective_to.isoformat()
        if release.effective_to
        else None,
        "source": release.source,
        "demo": release.demo,
        "licensed": release.licensed,
    }


def hit_dict(hit: Hit, hide: bool) -> dict:
    return {
        "code": hit.display,
        "compact": hit.code,
        "description": LICENSED_HIDDEN if hide else hit.description,
        "billable": hit.billable,
        "kind": hit.kind,
    }


def row_dict(row: Code, hide: bool = False) -> dict:
    return {
        "code": row.display,
        "compact": row.code,
        "description": LICENSED_HIDDEN if hide else row.description,
        "billable": row.billable,
        "kind": row.kind,
    }


def titled_notes(notes: dict) -> list[dict]:
    """Notes in tabular-list order, each with its heading."""
    return [
        {"kind": kind, "title": title, "lines": notes[kind]}
        for kind, title in NOTE_TITLES.items()
        if notes.get(kind)
    ]


def detail_dict(detail: CodeDetail, hide: bool) -> dict:
    row = detail.row
    data = {
        "description": LICENSED_HIDDEN if hide else row.description,
        "short_description": "" if hide else row.short_description,
        "lay_description": row.lay_description,
        "parents": [row_dict(a, hide) for a in detail.ancestors],
        "children": [row_dict(c, hide) for c in detail.children],
        "notes": titled_notes(row.notes),
        "inherited_notes": [
            {"from": a.display, "notes": titled_notes(notes)}
            for a, notes in detail.inherited_notes()
        ],
    }
    if row.axes:
        data["axes"] = [
            {"axis": name, "value": row.code[i], "label": row.axes[i]}
            for i, name in enumerate(PCS_AXES)
        ]
    return data
