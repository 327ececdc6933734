"""The JSON API through Django's test client: search, detail, and bad input."""

import pytest

from codesets.api import BAD_DATE, UNKNOWN_SYSTEM
from codesets.presenters import CPT_LAY_NOTICE
from codesets.search import MAX_RESULTS, QUERY_TOO_LONG

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("code_sets")]
SEARCH = "/api/codes/search"


def codes(response):
    assert response.status_code == 200, response.content
    return [hit["code"] for hit in response.json()["results"]]


def test_words_in_any_order_find_the_code_in_the_top_five(client):
    found = codes(
        client.get(SEARCH, {"system": "icd10cm", "q": "hyperglycemia diabetes type 2"})
    )
    assert "E11.65" in found[:5]


def test_abbreviations_are_expanded(client):
    assert (
        "E11.65"
        in codes(client.get(SEARCH, {"system": "icd10cm", "q": "T2DM hyperglycemia"}))[
            :5
        ]
    )


def test_code_prefix_is_a_prefix_search_in_code_order(client):
    found = codes(client.get(SEARCH, {"system": "icd10cm", "q": "e11.6"}))
    assert found[0] == "E11.6" and found[1:3] == ["E11.61", "E11.610"]
    assert all(code.startswith("E11.6") for code in found)
    assert len(found) <= MAX_RESULTS


def test_results_carry_code_description_and_billable_flag(client):
    hit = client.get(SEARCH, {"system": "icd10cm", "q": "E11.65"}).json()["results"][0]
    assert hit == {
        "code": "E11.65",
        "compact": "E1165",
        "description": "Type 2 diabetes mellitus with hyperglycemia",
        "billable": True,
        "kind": "subcategory",
    }


def test_pcs_words_and_lay_terms(client):
    assert (
        "0DTJ4ZZ"
        in codes(client.get(SEARCH, {"system": "icd10pcs", "q": "lap appy"}))[:5]
    )


def test_cpt_search_says_descriptions_are_lay(client):
    body = client.get(SEARCH, {"system": "cpt", "q": "knee replacement"}).json()
    assert body["notice"] == CPT_LAY_NOTICE
    assert "27447" in [hit["code"] for hit in body["results"]]


def test_modifier_and_hcpcs_search(client):
    assert "25" in codes(client.get(SEARCH, {"system": "modifier", "q": "25"}))
    assert "J1100" in codes(
        client.get(SEARCH, {"system": "hcpcs", "q": "dexamethasone"})
    )


def test_unknown_system_is_a_400(client):
    response = client.get(SEARCH, {"system": "icd9", "q": "x"})
    assert response.status_code == 400
    assert response.json()["detail"].startswith(UNKNOWN_SYSTEM.split("{")[0])


def test_overlong_query_is_a_400(client):
    response = client.get(SEARCH, {"system": "icd10cm", "q": "a" * 10_000})
    assert response.status_code == 400
    assert response.json()["detail"] == QUERY_TOO_LONG


def test_bad_date_is_a_400(client):
    response = client.get(SEARCH, {"system": "icd10cm", "q": "x", "date": "yesterday"})
    assert response.status_code == 400 and response.json()["detail"] == BAD_DATE


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "' OR 1=1; --",
        '"unbalanced',
        "(*)[^$]|\\",
        "NEAR(a b)",
        "été 日本 ✓",
        "*",
    ],
)
def test_odd_queries_answer_without_error(client, query):
    response = client.get(SEARCH, {"system": "icd10cm", "q": query})
    assert response.status_code == 200
    assert isinstance(response.json()["results"], list)


def test_detail_has_validation_parents_children_and_notes(client):
    body = client.get("/api/codes/icd10cm/E11.6").json()
    assert body["validation"]["status"] == "header"
    assert [p["code"] for p in body["parents"]] == ["Chapter 4", "E08-E13", "E11"]
    assert "E11.65" in [c["code"] for c in body["children"]]
    e11 = next(n for n in body["inherited_notes"] if n["from"] == "E11")
    assert any(note["kind"] == "excludes1" for note in e11["notes"])


def test_detail_of_a_pcs_code_has_its_axes(client):
    body = client.get("/api/codes/icd10pcs/0dtj4zz").json()
    assert body["validation"]["valid"]
    assert body["axes"][3] == {"axis": "body part", "value": "J", "label": "Appendix"}


def test_detail_of_an_unknown_code_is_a_404_with_the_reason(client):
    response = client.get("/api/codes/icd10cm/E11.99")
    assert response.status_code == 404
    assert response.json()["validation"]["status"] == "unknown"
    assert client.get("/api/codes/icd10cm/" + "x" * 5000).status_code == 404
    assert client.get("/api/codes/nope/E11").status_code == 400


@pytest.mark.postgres
def test_postgres_falls_back_to_trigram_similarity_for_typos(client):
    body = client.get(SEARCH, {"system": "icd10cm", "q": "hyperglicemia"}).json()
    assert any("hyperglycemia" in hit["description"] for hit in body["results"])
