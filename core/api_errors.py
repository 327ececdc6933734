"""The JSON API's error bodies, and the statuses that the framework, the site's
middleware and the house rules make an operation answer whatever its own code does.

Each endpoint declares the statuses its own code answers in `response={...}`; the
ones below come from outside it, so they are added to the OpenAPI schema here, once,
and a client (or schemathesis) can rely on the schema listing every status it gets.
"""

from __future__ import annotations

from typing import Any

from ninja import Schema

UNSAFE_METHODS = ("post", "put", "patch", "delete")


class ErrorOut(Schema):
    """A refusal, with a sentence saying why."""

    detail: str


class ValidationErrorOut(Schema):
    """Parameters or a body that do not fit the schema: one entry per field."""

    detail: list[dict[str, Any]]


def _content(model: type[Schema]) -> dict:
    return {"application/json": {"schema": model.model_json_schema()}}


def _framework_responses(method: str, operation: dict) -> dict[int, dict]:
    responses = {
        400: {
            "description": "A NUL character in the path, query or body",
            "content": _content(ErrorOut),
        }
    }
    parameters = operation.get("parameters", [])
    if any(parameter["in"] == "path" for parameter in parameters):
        # The house rule: an id that names nothing the user may see (someone
        # else's, or none at all) is a 404, never a 403.
        responses[404] = {
            "description": "Nothing of this id that you may see",
            "content": _content(ErrorOut),
        }
    if parameters or operation.get("requestBody"):
        responses[422] = {
            "description": "Parameters or body outside the schema",
            "content": _content(ValidationErrorOut),
        }
    if operation.get("security"):
        responses[401] = {
            "description": "Not signed in",
            "content": _content(ErrorOut),
        }
        if method in UNSAFE_METHODS:
            responses[403] = {
                "description": "Missing or wrong CSRF token",
                "content": _content(ErrorOut),
            }
    return responses


def document_framework_responses(schema: dict) -> None:
    """Add to each operation of `schema` the statuses it can answer from outside its
    own code, keeping any that the endpoint declares itself."""
    for methods in schema["paths"].values():
        for method, operation in methods.items():
            declared = operation.setdefault("responses", {})
            for status, response in _framework_responses(method, operation).items():
                if status not in declared and str(status) not in declared:
                    declared[status] = response
