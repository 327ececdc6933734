"""Bounds on what a request may carry, checked once for the whole site rather than
view by view: no NUL character anywhere a view or the database could see it, no id
in a URL past the range of a database integer, and page numbers and page sizes of
the JSON API within range.

A NUL cannot be stored in a PostgreSQL text or jsonb value and ends an SQLite full-text
query early, so each one that reached a query was a 500. An id or an offset past the
range of a 64-bit integer fails the same way. All now answer 4xx with a message
saying why.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

NUL_IN_REQUEST = (
    "The request contains a NUL character (%00 or \\u0000), which no address, "
    "search or form here accepts. Remove it and try again."
)
NO_SUCH_ID = "Nothing has this id: ids are whole numbers below 2^63."
# The largest value of a 64-bit signed integer column, on every database here.
MAX_ID = 2**63 - 1
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# coderacademy/urls.py mounts the JSON API here; its clients expect JSON errors.
API_PREFIX = "/api/"
# Far more pages than any list here holds, and small enough that the offset it
# makes stays a 64-bit integer on every database.
MAX_PAGE = 10_000
MAX_PAGE_SIZE = 100

# A JSON \u0000 escape: one preceded by an even number of backslashes (an odd number
# would make it the literal text "\u0000", which is harmless).
_JSON_NUL_ESCAPE = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


class InputGuardsMiddleware:
    """Answer 400 to a request with a NUL in its path, query string, form values or
    JSON body, before any view, redirect lookup or session query sees it; and 404
    to a URL whose id is a whole number past the range of a database integer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _carries_nul(request):
            return _refusal(request, 400, NUL_IN_REQUEST)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Django's int converter gives ints; the API's path parameters arrive as
        # text and become ints only in the view.
        for value in (*view_args, *view_kwargs.values()):
            if _past_max_id(str(value)):
                return _refusal(request, 404, NO_SUCH_ID)
        return None


def _past_max_id(text: str) -> bool:
    digits = text.lstrip("0")
    # Checked by length first: Python refuses to parse very long numbers.
    return text.isdecimal() and (
        len(digits) > len(str(MAX_ID)) or int(digits or "0") > MAX_ID
    )


def _carries_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path or _any_nul(request.GET):
        return True
    content_type = request.content_type or ""
    if content_type in FORM_TYPES:
        # Only the fields: an uploaded file may hold any bytes. The API reads its
        # bodies itself, which it could not do once a multipart form was parsed.
        return not request.path.startswith(API_PREFIX) and _any_nul(request.POST)
    if content_type == "application/json" or content_type.endswith("+json"):
        if _declared_length(request) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            # Left to the view, which refuses the size with its own status.
            return False
        body = request.body
        return b"\x00" in body or (
            b"u0000" in body and _JSON_NUL_ESCAPE.search(body) is not None
        )
    return False


def _declared_length(request: HttpRequest) -> int:
    declared = request.META.get("CONTENT_LENGTH") or ""
    return int(declared) if declared.isdigit() else 0


def _any_nul(query_dict) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in query_dict.lists()
    )


def _refusal(request: HttpRequest, status: int, message: str) -> HttpResponse:
    wants_json = request.path.startswith(API_PREFIX) or (
        "application/json" in request.headers.get("Accept", "")
    )
    if wants_json:
        return JsonResponse({"detail": message}, status=status)
    return render(request, f"{status}.html", {"message": message}, status=status)


class BoundedPageNumberPagination(PageNumberPagination):
    """Page-number pagination whose page and page size are bounded in the schema, so
    an out-of-range value is a 422 naming the parameter; a page past the last one is
    an empty list, as ninja's own pagination gives."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)

    def __init__(self, page_size: int = 20, **kwargs) -> None:
        super().__init__(page_size=page_size, max_page_size=MAX_PAGE_SIZE, **kwargs)
