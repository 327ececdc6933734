"""The JSON API: one django-ninja instance, a router per app. The OpenAPI schema is
served at /api/openapi.json and the interactive docs at /api/docs."""

from ninja import NinjaAPI
from ninja.security import django_auth

api = NinjaAPI(
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
