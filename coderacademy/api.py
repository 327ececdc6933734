"""The JSON API: one django-ninja instance, a router per app. The OpenAPI schema is
served at /api/openapi.json and the interactive docs at /api/docs."""

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.security import django_auth

from core.api_errors import document_framework_responses


class CoderAcademyAPI(NinjaAPI):
    """The API whose schema also lists the statuses answered before an endpoint's
    own code runs (sign-in, CSRF, validation, the NUL guard)."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(
            path_prefix=path_prefix, path_params=path_params
        )
        document_framework_responses(schema)
        return schema


api = CoderAcademyAPI(
    title="CoderAcademy API",
    version="1",
    description="Code book, grading, case practice and mock exams.",
    auth=django_auth,
    urls_namespace="api",
)
api.add_router("/codes/", "codesets.api.router")
api.add_router("/grading/", "grading.api.router")
api.add_router("/cases/", "case_studies.api.router")
api.add_router("/courses/", "courses.api.router")
api.add_router("/exams/", "exams.api.router")
