"""Hostile input answers 4xx with a message, never 500: NUL characters anywhere,
page numbers past any range, and a sweep of odd values over the list endpoints."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coderacademy.api import api
from core.input_guards import (
    MAX_ID,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    NO_SUCH_ID,
    NUL_IN_REQUEST,
)

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


def test_a_nul_in_the_site_search_is_a_400_page_saying_why(client):
    response = client.get("/learn/search/", {"q": "\x00"})
    assert response.status_code == 400
    assert NUL_IN_REQUEST in response.content.decode()


def test_a_nul_in_an_api_query_is_a_400_with_the_detail(client):
    response = client.get("/api/codes/search", {"system": "icd10cm", "q": "S72\x00"})
    assert response.status_code == 400
    assert response.json() == {"detail": NUL_IN_REQUEST}


def test_a_nul_in_a_query_parameter_name_is_refused(client):
    response = client.get("/practice/?setting%00=1")
    assert response.status_code == 400


def test_a_nul_in_the_path_is_refused_before_the_redirect_lookup(client):
    response = client.get("/learn/no-such%00page/")
    assert response.status_code == 400
    assert NUL_IN_REQUEST in response.content.decode()


def test_a_nul_in_a_form_value_is_refused(learner_client):
    response = learner_client.post("/learn/courses/1/enrol/", {"note": "a\x00b"})
    assert response.status_code == 400


def test_a_form_sent_to_the_api_is_left_for_the_api_to_read(instructor_client):
    # The grading API measures the body before parsing it, which it could not do
    # had the guard already consumed a multipart body.
    response = instructor_client.post("/api/grading/try", {"key": "{}"})
    assert response.status_code in (400, 422)


def test_a_nul_escape_in_a_json_body_is_refused(learner_client):
    response = learner_client.put(
        "/api/exams/attempts/1/answers/1",
        '{"response": "\\u0000"}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"detail": NUL_IN_REQUEST}


def test_an_escaped_backslash_before_u0000_is_text_and_passes(learner_client):
    response = learner_client.put(
        "/api/exams/attempts/1/answers/1",
        '{"response": "\\\\u0000"}',
        content_type="application/json",
    )
    # The guard lets it through; the attempt does not exist.
    assert response.status_code == 404


@pytest.mark.parametrize("huge", [HUGE, str(MAX_ID + 1), "9" * 5000])
def test_an_api_id_past_the_database_range_is_a_404(learner_client, huge):
    response = learner_client.get(f"/api/cases/{huge}")
    assert response.status_code == 404
    assert response.json() == {"detail": NO_SUCH_ID}


def test_the_largest_database_id_is_looked_up_as_usual(learner_client):
    response = learner_client.get(f"/api/cases/{MAX_ID}")
    assert response.status_code == 404
    assert response.json() != {"detail": NO_SUCH_ID}


def test_a_page_id_past_the_database_range_is_a_404(learner_client):
    response = learner_client.post(f"/learn/courses/{HUGE}/enrol/")
    assert response.status_code == 404


def test_a_page_number_past_any_range_is_a_422_naming_the_parameter(learner_client):
    response = learner_client.get("/api/grading/responses", {"page": HUGE})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "page"]


def test_the_last_allowed_page_past_the_end_is_an_empty_list(learner_client):
    response = learner_client.get(
        "/api/grading/responses", {"page": MAX_PAGE, "page_size": MAX_PAGE_SIZE}
    )
    assert response.status_code == 200
    assert response.json()["items"] == []


def test_a_huge_page_of_the_site_search_shows_the_last_page(client):
    response = client.get("/learn/search/", {"q": "coding", "page": HUGE})
    assert response.status_code == 200


def test_every_integer_query_parameter_of_the_api_is_bounded():
    schema = api.get_openapi_schema()
    unbounded = [
        f"{method.upper()} {path} {parameter['name']}"
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query"
        for variant in parameter["schema"].get("anyOf", [parameter["schema"]])
        if variant.get("type") == "integer" and "maximum" not in variant
    ]
    assert unbounded == []


# The list endpoints and the query parameters each reads.
LISTS = {
    "/learn/search/": ("q", "page"),
    "/codes/": ("system",),
    "/practice/": ("setting", "specialty", "exam", "domain", "difficulty", "progress"),
    "/api/codes/search": ("system", "q", "date", "limit"),
    "/api/grading/responses": ("page", "page_size"),
    "/api/grading/policies": (),
    "/api/cases/": (),
    "/api/exams/": (),
}
hostile_values = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [HUGE, "-" + HUGE, "-1", "0", "1e309", "NaN", "' OR 1=1 --", '"', "*", "%"]
    ),
    st.integers().map(str),
)


@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    path=st.sampled_from(sorted(LISTS)),
    values=st.lists(hostile_values, min_size=1, max_size=6),
    extra=st.dictionaries(st.text(max_size=10), st.text(max_size=10), max_size=2),
)
def test_hostile_query_values_on_list_endpoints_never_500(learner, path, values, extra):
    client = Client()
    client.force_login(learner)
    query = {**extra, **dict(zip(LISTS[path], values, strict=False))}
    response = client.get(path, query)
    assert response.status_code in (200, 400, 404, 422), (path, query)
