"""The grading API: instructors try a key against an answer; every user reads the
scoring policies and their own graded responses."""

from dataclasses import asdict

from django.http import HttpRequest
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import SessionAuth

from accounts.roles import is_instructor
from core.input_guards import BoundedPageNumberPagination
from grading.engine import POLICIES, result_to_dict
from grading.schemas import (
    GradedResponseDetailOut,
    GradedResponseOut,
    InputErrorOut,
    MessageOut,
    PolicyOut,
    ResultOut,
    TryIn,
)
from grading.selectors import (
    graded_response_for,
    graded_responses_for,
    policies_available,
)
from grading.services import MAX_DOCUMENT_BYTES, GradingInputError, coding_answer_grade

INSTRUCTORS_ONLY = "Only instructors and administrators may try answer keys."
BODY_TOO_LARGE = "The request body is larger than {limit} kB."
NOT_GRADED = "Not graded: the fields listed in errors need fixing."

router = Router(tags=["grading"])


class InstructorAuth(SessionAuth):
    """A logged-in instructor or administrator (with Django's CSRF check), sending
    a body no larger than a grading document: checked before the body is parsed."""

    def authenticate(self, request: HttpRequest, key: str | None):
        user = super().authenticate(request, key)
        if user is None:
            return None
        if not is_instructor(user):
            raise HttpError(403, INSTRUCTORS_ONLY)
        if _body_too_large(request):
            limit = MAX_DOCUMENT_BYTES // 1024
            raise HttpError(413, BODY_TOO_LARGE.format(limit=limit))
        return user


def _body_too_large(request: HttpRequest) -> bool:
    # The declared length first: reading a body past Django's own upload cap would
    # fail before it could be measured.
    declared = request.META.get("CONTENT_LENGTH") or ""
    if declared.isdigit() and int(declared) > MAX_DOCUMENT_BYTES:
        return True
    return len(request.body) > MAX_DOCUMENT_BYTES


@router.post(
    "/try",
    auth=InstructorAuth(),
    response={200: ResultOut, 403: MessageOut, 413: MessageOut, 422: InputErrorOut},
    summary="Grade an answer against a key (instructors)",
)
def try_key(request: HttpRequest, payload: TryIn):
    """Grade `response` against `key` under `policy`, checking codes against the
    release in force on the key's date of service. Nothing is stored."""
    try:
        result = coding_answer_grade(
            key_data=payload.key,
            response_data=payload.response,
            policy_name=payload.policy,
        )
    except GradingInputError as error:
        errors = [{"field": path, "message": message} for path, message in error.errors]
        return Status(422, {"detail": NOT_GRADED, "errors": errors})
    return result_to_dict(result)


@router.get(
    "/policies",
    response=list[PolicyOut],
    summary="The scoring policies: built-in and instructor-defined",
)
def list_policies(request: HttpRequest):
    return [
        {**asdict(policy), "built_in": policy.name in POLICIES}
        for policy in policies_available()
    ]


@router.get(
    "/responses",
    response=list[GradedResponseOut],
    summary="Your graded responses, newest first",
)
@paginate(BoundedPageNumberPagination, page_size=20)
def list_responses(request: HttpRequest):
    return graded_responses_for(request.user)


@router.get(
    "/responses/{graded_response_id}",
    response=GradedResponseDetailOut,
    summary="One of your graded responses, with its feedback",
)
def get_response(request: HttpRequest, graded_response_id: int):
    return graded_response_for(request.user, graded_response_id)
