"""The code book pages: search, browse the trees, one code in full."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from codeformats import PCS_AXES, SYSTEM_LABELS, CodeSystem
from codesets import presenters
from codesets.selectors import (
    code_detail,
    pcs_axis_options,
    release_for,
    top_level,
)
from codesets.validation import validate_code

PCS_LENGTH = 7
PCS_TABLE_LENGTH = 3
MAX_LISTED = 400


def _system(raw: str) -> CodeSystem:
    try:
        return CodeSystem(raw)
    except ValueError:
        raise Http404("No such code system") from None


def _context(system: CodeSystem, release) -> dict:
    return {
        "system": system,
        "system_label": SYSTEM_LABELS[system],
        "release": release,
        "notice": presenters.notice_for(system, release),
        "systems": [(s.value, SYSTEM_LABELS[s]) for s in CodeSystem],
    }


def index(request: HttpRequest) -> HttpResponse:
    """The search page, with a system picker and links to browse each system."""
    raw = request.GET.get("system", CodeSystem.ICD10CM)
    system = (
        _system(raw) if raw in CodeSystem._value2member_map_ else CodeSystem.ICD10CM
    )
    release = release_for(system, timezone.localdate())
    return render(request, "codesets/index.html", _context(system, release))


def browse(request: HttpRequest, system: str) -> HttpResponse:
    """The top of a system: chapters, PCS sections, or the whole (short) list."""
    code_system = _system(system)
    release = release_for(code_system, timezone.localdate())
    rows = top_level(release)[:MAX_LISTED] if release else []
    context = _context(code_system, release)
    context["rows"] = rows
    context["hide"] = presenters.hides_descriptions(release, request.user)
    return render(request, "codesets/browse.html", context)


def code_page(request: HttpRequest, system: str, code: str) -> HttpResponse:
    """One code or header: validation, breadcrumb, notes and children.

    PCS prefixes longer than a table and shorter than a code show the values of
    the next axis instead.
    """
    code_system = _system(system)
    code = code.strip().upper().replace(".", "")
    if code != request.resolver_match.kwargs["code"]:
        return redirect("codesets:code", system=code_system.value, code=code)
    release = release_for(code_system, timezone.localdate())
    context = _context(code_system, release)
    is_axis_prefix = PCS_TABLE_LENGTH <= len(code) < PCS_LENGTH
    if code_system == CodeSystem.ICD10PCS and release and is_axis_prefix:
        return _pcs_axes(request, context, release, code)
    detail = code_detail(release, code) if release else None
    context["validation"] = validate_code(code_system, code, release)
    context["detail"] = detail
    context["hide"] = presenters.hides_descriptions(release, request.user)
    if detail:
        context["notes"] = presenters.titled_notes(detail.row.notes)
        context["inherited"] = [
            (a, presenters.titled_notes(n)) for a, n in detail.inherited_notes()
        ]
        if detail.row.axes:
            context["axes"] = list(
                zip(PCS_AXES, detail.row.code, detail.row.axes, strict=True)
            )
    status = 200 if detail else 404
    return render(request, "codesets/code.html", context, status=status)


def _pcs_axes(request, context, release, prefix: str) -> HttpResponse:
    options = pcs_axis_options(release, prefix)
    if not options:
        raise Http404("No ICD-10-PCS codes start with this prefix")
    detail = code_detail(release, prefix[:PCS_TABLE_LENGTH])
    context.update(
        {
            "prefix": prefix,
            "axis": PCS_AXES[len(prefix)],
            "options": options,
            "path": [
                (prefix[: i + 1], PCS_AXES[i], char) for i, char in enumerate(prefix)
            ],
            "table": detail.row if detail else None,
            "complete": len(prefix) == PCS_LENGTH - 1,
        }
    )
    return render(request, "codesets/pcs_axes.html", context)
