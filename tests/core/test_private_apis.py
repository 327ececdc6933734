"""The fast paths that bypass Django's public API, each kept for a measured gain
(docs/exams.md, "Benchmark"), pinned to the private API they lean on: an upgrade
that changes it fails here instead of silently reading or writing the wrong value.

The user query compiled once is pinned in tests/accounts/test_backends.py.
"""

from datetime import timedelta

import pytest
import redis
from django.utils import timezone

from core.cache import RedisCache
from exams.item_writes import ItemForWrite, item_for_write, item_update_if_open
from exams.models import Attempt, AttemptItem, Blueprint
from exams.services import attempt_start
from tests.exams.conftest import load_test_exams

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(learner) -> AttemptItem:
    load_test_exams()
    blueprint = Blueprint.objects.get(slug="test-cpc")
    attempt = attempt_start(learner=learner, blueprint=blueprint)
    item = attempt.items.select_related("question", "attempt").get(position=2)
    item.response = {"options": ["b"]}
    item.saved_at = timezone.now() - timedelta(minutes=3)
    item.sequence = 5
    item.flagged = True
    item.save()
    return item


def test_the_save_read_converts_every_column_as_the_orm_does(learner, item):
    """Pins `Field.get_col`, `DatabaseOperations.get_db_converters` and
    `Col.get_db_converters` (exams/item_writes.py reads through them)."""
    read = item_for_write(learner_id=learner.pk, attempt_id=item.attempt_id, position=2)
    question, attempt = item.question, item.attempt
    assert read == ItemForWrite(
        item_id=item.pk,
        option_order=item.option_order,
        response={"options": ["b"]},
        sequence=5,
        flagged=True,
        saved_at=item.saved_at,
        kind=question.kind,
        choose=question.choose,
        key=question.key,
        status=Attempt.Status.IN_PROGRESS,
        deadline=attempt.deadline,
    )
    assert timezone.is_aware(read.saved_at) and timezone.is_aware(read.deadline)


def test_the_save_write_stores_what_the_orm_reads_back(learner, item):
    """Pins `Field.get_db_prep_save` and `adapt_datetimefield_value` (the write's
    values and its cut-off go through them)."""
    read = item_for_write(learner_id=learner.pk, attempt_id=item.attempt_id, position=2)
    saved_at = timezone.now()
    changed = item_update_if_open(
        item=read,
        attempt_id=item.attempt_id,
        cutoff=saved_at - timedelta(seconds=30),
        values={"response": {"options": ["c"]}, "saved_at": saved_at, "sequence": 6},
        add_time_spent=7,
        newer_than_sequence=6,
    )
    assert changed
    stored = AttemptItem.objects.get(pk=item.pk)
    assert (stored.response, stored.saved_at, stored.sequence) == (
        {"options": ["c"]},
        saved_at,
        6,
    )
    assert stored.time_spent_seconds == item.time_spent_seconds + 7


def test_the_save_write_changes_nothing_once_the_attempt_is_past_its_cutoff(
    learner, item
):
    read = item_for_write(learner_id=learner.pk, attempt_id=item.attempt_id, position=2)
    assert not item_update_if_open(
        item=read,
        attempt_id=item.attempt_id,
        cutoff=item.attempt.deadline + timedelta(seconds=1),
        values={"response": {"options": ["d"]}},
    )
    assert AttemptItem.objects.get(pk=item.pk).response == {"options": ["b"]}


def test_the_cache_reaches_a_raw_redis_client_through_django_private_one():
    """Pins `RedisCache._cache.get_client` (core.cache's `ping` sends its raw
    PING through it); no connection is opened until a command is sent."""
    cache = RedisCache("redis://127.0.0.1:9/0", {})
    client = cache._cache.get_client(write=True)
    assert isinstance(client, redis.Redis)
    assert client.connection_pool.connection_kwargs["port"] == 9
