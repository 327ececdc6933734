"""The search engine: the in-memory index and the database path agree, an index
follows its release when the release is reloaded, and memory stays bounded."""

import threading
from datetime import date

import pytest

from codesets import search_index
from codesets.search import MAX_RESULTS
from tests.codesets.conftest import import_file

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("code_sets")]
SEARCH = "/api/codes/search"


def codes(client, query, system="icd10cm", **extra):
    response = client.get(SEARCH, {"system": system, "q": query, **extra})
    assert response.status_code == 200, response.content
    return [hit["code"] for hit in response.json()["results"]]


@pytest.fixture
def database_only(monkeypatch):
    """Every release is over the memory bound: searches go to the database."""
    monkeypatch.setattr(search_index, "MAX_INDEXED_ROWS", 0)


@pytest.mark.parametrize(
    ("system", "query", "expected"),
    [
        ("icd10cm", "hyperglycemia diabetes type 2", "E11.65"),
        ("icd10cm", "T2DM hyperglycemia", "E11.65"),
        ("icd10cm", "diabetes without complic", "E11.9"),
        ("icd10pcs", "lap appy", "0DTJ4ZZ"),
        ("cpt", "knee replacement", "27447"),
    ],
)
def test_index_and_database_find_the_same_top_codes(
    client, monkeypatch, system, query, expected
):
    assert expected in codes(client, query, system)[:5]
    monkeypatch.setattr(search_index, "MAX_INDEXED_ROWS", 0)
    assert expected in codes(client, query, system)[:5]


def test_prefix_search_is_the_same_from_the_index_and_the_database(client, monkeypatch):
    from_index = codes(client, "e11")
    monkeypatch.setattr(search_index, "MAX_INDEXED_ROWS", 0)
    assert codes(client, "e11") == from_index
    assert len(from_index) == MAX_RESULTS and from_index[:2] == ["E11", "E11.0"]


@pytest.mark.usefixtures("database_only")
def test_database_path_keeps_bad_input_harmless(client):
    for query in ["' OR 1=1; --", '"unbalanced', "(*)[^$]|\\", "NEAR(a b)", "*"]:
        assert isinstance(codes(client, query), list)


def test_words_missing_from_every_row_still_rank_the_others(client):
    assert "E11.65" in codes(client, "hyperglycemia diabetes zzzqx")[:5]


def test_a_reloaded_release_is_searched_with_its_new_rows(client):
    import_file("icd10cm-order", "icd10cm-order-sample.txt", "TEST-R", "2040-01-01")
    assert "E11.A" not in codes(client, "remission", date="2040-02-01")
    assert "E11.69" in codes(client, "E11.6", date="2040-02-01")
    import_file("icd10cm-order", "icd10cm-order-next.txt", "TEST-R", "2040-01-01")
    assert "E11.A" in codes(client, "remission", date="2040-02-01")
    assert "E11.69" not in codes(client, "E11.6", date="2040-02-01")


def test_cached_indexes_stay_within_the_row_bound(client, monkeypatch):
    monkeypatch.setattr(search_index, "_indexes", search_index.OrderedDict())
    codes(client, "knee", "cpt")
    codes(client, "dexamethasone", "hcpcs")
    cpt, hcpcs = (len(index) for index in search_index._indexes.values())
    monkeypatch.setattr(search_index, "MAX_INDEXED_ROWS", cpt + hcpcs + 1)
    codes(client, "bilateral", "modifier")
    assert [i.system for i in search_index._indexes.values()] == ["hcpcs", "modifier"]


def test_background_build_answers_from_the_database_meanwhile(client, monkeypatch):
    monkeypatch.setattr(search_index, "BUILD_IN_BACKGROUND", True)
    monkeypatch.setattr(search_index, "_indexes", search_index.OrderedDict())
    started = threading.Event()
    build = search_index._build

    def slow_build(release, key):
        started.wait(10)
        return build(release, key)

    monkeypatch.setattr(search_index, "_build", slow_build)
    assert "27447" in codes(client, "knee replacement", "cpt")
    assert not search_index._indexes
    [thread] = search_index._building.values()
    started.set()
    thread.join(30)
    assert len(search_index._indexes) == 1
    assert "27447" in codes(client, "knee replacement", "cpt")


def test_search_reads_releases_from_a_copy_refreshed_when_one_is_saved(
    monkeypatch, django_assert_num_queries
):
    from django.db import connection

    from codesets import selectors

    def outside_a_transaction():
        with monkeypatch.context() as patch:
            patch.setattr(connection, "in_atomic_block", False)
            return selectors.release_for_search("icd10cm", date(2040, 2, 1))

    monkeypatch.setattr(selectors, "RELEASES_FRESH_FOR", 3600)
    selectors.release_table.forget()
    in_force = selectors.release_for("icd10cm", date(2040, 2, 1))
    assert outside_a_transaction() == in_force
    with django_assert_num_queries(0):
        outside_a_transaction()
    import_file("icd10cm-order", "icd10cm-order-sample.txt", "TEST-R", "2040-01-01")
    assert outside_a_transaction().version == "TEST-R"
    selectors.release_table.forget()
