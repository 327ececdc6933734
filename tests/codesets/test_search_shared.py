"""Search indexes built in the web server's master before it forks its workers
(`coderacademy/gunicorn.py`) answer the workers' searches: no worker builds its
own copy."""

import gc
from collections import OrderedDict
from io import StringIO

import pytest
from django.core.management import call_command

from codesets import search_index, selectors
from codesets.search import share_indexes_before_fork

# The master closes its database connection before forking, so the data it reads
# is committed, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


def test_indexes_built_before_the_fork_answer_the_searches(
    client, monkeypatch, django_assert_max_num_queries
):
    call_command("load_codesets", only=["cpt", "hcpcs"], stdout=StringIO())
    monkeypatch.setattr(search_index, "_indexes", OrderedDict())
    selectors.release_table.forget()
    try:
        share_indexes_before_fork()
    finally:
        gc.unfreeze()
    assert {index.system for index in search_index._indexes.values()} == {
        "cpt",
        "hcpcs",
    }
    with django_assert_max_num_queries(1):  # the release table; no index build
        response = client.get(
            "/api/codes/search", {"system": "cpt", "q": "knee replacement"}
        )
    assert "27447" in [hit["code"] for hit in response.json()["results"]]
    assert not search_index._building
