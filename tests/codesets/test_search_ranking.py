"""The look-up ranks the way the ICD-10-CM Index reads (issue #18), through the
search API a learner's autocomplete calls, on the real tabular rows of chapters 1
(infections), 10 (respiratory), 13 (musculoskeletal) and 18 (symptoms), from the
in-process index and the database."""

from io import StringIO

import pytest
from django.core.management import call_command

from codesets import search_index
from codesets.models import Release

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("four_chapters")]
SEARCH = "/api/codes/search"


@pytest.fixture(scope="module")
def four_chapters(django_db_setup, django_db_blocker):
    """Committed for the module, removed after it."""
    with django_db_blocker.unblock():
        call_command(
            "load_codesets",
            only=["icd10cm"],
            icd10cm_chapter=["1", "10", "13", "18"],
            stdout=StringIO(),
        )
        yield
        Release.objects.all().delete()


@pytest.fixture(params=["index", "database"])
def search_path(request, monkeypatch):
    """Each test runs on the in-process index and on the database's index."""
    if request.param == "database":
        monkeypatch.setattr(search_index, "MAX_INDEXED_ROWS", 0)
    return request.param


def results(client, query):
    response = client.get(SEARCH, {"system": "icd10cm", "q": query})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def codes(client, query):
    return [hit["code"] for hit in results(client, query)]


@pytest.mark.usefixtures("search_path")
@pytest.mark.parametrize(
    ("query", "default"),
    [
        # ICD-10-CM Index: Pneumonia (acute) (double) ... J18.9
        ("pneumonia", "J18.9"),
        # Index: Asthma, asthmatic (bronchial) (catarrh) (spasmodic) J45.909
        ("asthma", "J45.909"),
        # Index: Influenza (bronchial) (epidemic) (respiratory (upper)) J11.1
        ("influenza", "J11.1"),
        # Index: Bronchitis (diffuse) (fibrinous) ... J40
        ("bronchitis", "J40"),
        # Index: Sepsis (generalized) (unspecified organism) A41.9
        ("sepsis", "A41.9"),
    ],
)
def test_a_bare_main_term_finds_its_default_code_first(client, query, default):
    assert codes(client, query)[0] == default


@pytest.mark.usefixtures("search_path")
def test_the_specific_children_follow_the_default(client):
    found = codes(client, "asthma")
    assert found.index("J45.909") < found.index("J82.83")  # eosinophilic asthma
    assert {"J45.901", "J45.902"} <= set(found)


@pytest.mark.usefixtures("search_path")
@pytest.mark.parametrize(
    ("query", "word"),
    [("influenza", "influenzae"), ("pneumonia", "pneumoniae")],
)
def test_a_word_does_not_find_another_word_with_its_stem(client, query, word):
    descriptions = [hit["description"].lower() for hit in results(client, query)]
    assert descriptions
    assert not [d for d in descriptions if word in d and f"{query} " not in d]


@pytest.mark.usefixtures("search_path")
@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("asthma with acute exacerbation", "J45.901"),
        ("viral pneumonia", "J12.9"),
        ("aspiration pneumonia", "J69.0"),
        ("influenza with pneumonia", "J11.00"),
        ("pneumonia due to hemophilus influenzae", "J14"),
    ],
)
def test_modifiers_in_the_query_narrow_it(client, query, code):
    assert codes(client, query)[0] == code


@pytest.mark.usefixtures("search_path")
@pytest.mark.parametrize(
    ("query", "code"),
    [
        # Index: Pain, back (postural) M54.9 (its inclusion term "Back pain NOS")
        ("back pain", "M54.9"),
        # Index: Pain, low back M54.50: "back pain" is not rewritten inside it
        ("low back pain", "M54.50"),
        # Index: Heartburn R12, not reflux disease
        ("heartburn", "R12"),
    ],
)
def test_lay_words_the_tabular_list_has_are_searched_as_typed(client, query, code):
    assert codes(client, query)[0] == code


@pytest.mark.parametrize(
    "query", ["pneumonia", "asthma exac", "influenza with pneumonia", "low back pai"]
)
def test_the_index_ranks_rows_as_the_database_path_does(client, monkeypatch, query):
    """The index ranks its own integer form of each row's lines: the codes both
    paths find come in the same order."""
    by_index = codes(client, query)
    monkeypatch.setattr(search_index, "MAX_INDEXED_ROWS", 0)
    by_database = codes(client, query)
    both = set(by_index) & set(by_database)
    assert len(both) >= 5
    assert [c for c in by_index if c in both] == [c for c in by_database if c in both]
