"""JSON API of the code book: search, code detail with validation, and a floor.

Public: code-set data is public domain or CoderAcademy's own words; licensed AMA
descriptors are hidden from anonymous users.
"""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from ninja import Query, Router
from ninja.errors import HttpError

from codeformats import CodeSystem
from codesets import presenters
from codesets.search import MAX_RESULTS, QueryError, search
from codesets.selectors import code_detail, release_for, release_for_search
from codesets.validation import validate_code
from core.benchmarks import benchmark_only

UNKNOWN_SYSTEM = "Unknown code system {system!r}: use one of {choices}."
BAD_DATE = "The date must be written YYYY-MM-DD."

router = Router(tags=["codes"], auth=None)


def parse_system(raw: str) -> CodeSystem:
    """The code system named `raw`, or a 400."""
    try:
        return CodeSystem(raw.strip().lower())
    except ValueError:
        choices = ", ".join(s.value for s in CodeSystem)
        raise HttpError(
            400, UNKNOWN_SYSTEM.format(system=raw[:40], choices=choices)
        ) from None


def parse_date(raw: str | None) -> date:
    """The date of service asked for (today by default), or a 400."""
    if not raw:
        return timezone.localdate()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise HttpError(400, BAD_DATE) from None


@router.get("/ping", summary="A trivial JSON answer (the benchmark's floor)")
@benchmark_only
def ping(request: HttpRequest):
    return {"ok": True}


@router.get("/search", summary="Search codes by code prefix or words")
def search_codes(
    request: HttpRequest,
    system: str,
    q: str = "",
    date: str | None = None,
    limit: int = Query(MAX_RESULTS, ge=1, le=MAX_RESULTS),
):
    """Ranked codes for `q` in the release of `system` in force on `date`.

    A code-shaped query (`S72.0`) is a prefix search; anything else searches words
    of descriptions and inclusion terms, lay terms and abbreviations, in any order.
    At most 20 results; queries over 200 characters are refused with a 400.
    """
    code_system = parse_system(system)
    release = release_for_search(code_system, parse_date(date))
    try:
        hits = search(code_system, q, release, limit)
    except QueryError as error:
        raise HttpError(400, str(error)) from None
    hide = presenters.hides_descriptions(release, request.user)
    return {
        "system": code_system.value,
        "query": q,
        "release": presenters.release_dict(release),
        "notice": presenters.notice_for(code_system, release),
        "results": [presenters.hit_dict(hit, hide) for hit in hits],
    }


@router.get("/{system}/{code}", summary="One code: validation, parents, notes")
def get_code(request: HttpRequest, system: str, code: str, date: str | None = None):
    """Validation of `code` on `date`, with its description, parents and notes.

    404 (with the validation in the body) when the release has no such row.
    """
    code_system = parse_system(system)
    release = release_for(code_system, parse_date(date))
    validation = validate_code(code_system, code[:40], release, parse_date(date))
    body = {
        "system": code_system.value,
        "release": presenters.release_dict(release),
        "notice": presenters.notice_for(code_system, release),
        "validation": validation.as_dict(),
    }
    detail = code_detail(release, validation.code) if release else None
    if detail is None:
        return JsonResponse(body, status=404)
    hide = presenters.hides_descriptions(release, request.user)
    body.update(presenters.detail_dict(detail, hide))
    return body
