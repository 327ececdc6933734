"""Site search finds lesson text but never a check's answers or an answer key."""

import pytest
from django.urls import reverse

from tests.courses.conftest import lesson

pytestmark = pytest.mark.django_db


def search(client, query: str) -> str:
    response = client.get(reverse("courses:search"), {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def test_search_finds_lessons_by_their_text(client, course):
    html = search(client, "pangolinterm")
    assert lesson("diabetes-categories").title in html
    assert course.title in search(client, "diabetes mellitus")


@pytest.mark.parametrize(
    "secret",
    ["zebrafinchword", "quokkaword", "Which category holds", "presumed linked"],
)
def test_search_never_finds_check_content(client, course, secret):
    html = search(client, secret)
    assert "Nothing matched" in html
    assert lesson("diabetes-categories").title not in html


def test_unpublished_lessons_are_not_found(client, course):
    lesson("diabetes-categories").unpublish()
    assert "Nothing matched" in search(client, "pangolinterm")


def test_an_empty_or_huge_query_is_harmless(client, course):
    assert "Results for" not in search(client, "")
    assert search(client, "x" * 5000)
