"""A start inserts its items in one SQL statement (`exams.item_writes.items_insert`)
instead of `bulk_create`: what it stores must be what the ORM would have stored.
Pins `Field.get_db_prep_save` for the option order and the defaults written as SQL
constants (flagged, sequence, time spent), so a changed default fails here."""

import pytest

from exams.item_writes import items_insert
from exams.models import AttemptItem

pytestmark = pytest.mark.django_db

FILLED = {"id", "attempt", "question", "position", "option_order"}


def test_a_started_attempt_stores_each_item_as_the_orm_would(learner_client, cpc):
    started = learner_client.post("/api/exams/test-cpc/attempts")
    assert started.status_code == 200
    items = list(AttemptItem.objects.filter(attempt_id=started.json()["id"]))
    assert [item.position for item in items] == list(range(1, len(items) + 1))
    assert [item.question_id for item in items] == list(
        cpc.questions.filter(question__live=True)
        .order_by("sort_order", "pk")
        .values_list("question_id", flat=True)
    )
    for item in items:
        assert sorted(item.option_order) == sorted(
            item.question.options.values_list("option_id", flat=True)
        )
        for field in AttemptItem._meta.concrete_fields:
            if field.name not in FILLED:
                assert getattr(item, field.attname) == field.get_default(), field.name


def test_an_empty_draw_inserts_nothing(learner_client, cpc):
    attempt_id = learner_client.post("/api/exams/test-cpc/attempts").json()["id"]
    before = AttemptItem.objects.count()
    items_insert(attempt_id=attempt_id, question_ids=[], option_orders=[])
    assert AttemptItem.objects.count() == before
