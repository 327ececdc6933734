"""gunicorn configuration for `bench_exams.py`: every worker replaces the fast
paths named in `EXAMS_BENCH_PLAIN` (comma-separated: `save`, `user`) with
the plain ORM / Django version each stands in for, so that the benchmark measures
each fast path against its plain version in the same run (issue #18: a fast path
stays only for a gain of at least 20%). Used by the benchmark only.

- `save`: the save's read and guarded write through the ORM, the guard as a
  transaction holding the attempt row (`SELECT … FOR UPDATE`), instead of the two
  SQL statements of `exams/item_writes.py`;
- `user`: the signed-in user's query built by the ORM on every request instead of
  compiled once (`accounts/backends.py`).

Two more were measured here and removed for want of a gain: one Redis client per
pool instead of Django's one per cache call (core/cache.py), and a start's items
inserted in one SQL statement instead of `bulk_create` (-10% starts per CPU
second on a quiet machine, docs/exams.md).
"""

import os


def post_worker_init(worker) -> None:
    """gunicorn's hook, once the worker has loaded Django."""
    for name in filter(None, os.environ.get("EXAMS_BENCH_PLAIN", "").split(",")):
        PLAIN[name]()


def _plain_save() -> None:
    from django.db import transaction
    from django.db.models import F

    from exams import services
    from exams.item_writes import ItemForWrite
    from exams.models import Attempt, AttemptItem

    def item_for_write(*, learner_id: int, attempt_id: int, position: int):
        row = (
            AttemptItem.objects.filter(
                attempt_id=attempt_id,
                attempt__learner_id=learner_id,
                position=position,
            )
            .values_list(
                "id",
                "option_order",
                "response",
                "sequence",
                "flagged",
                "saved_at",
                "question__kind",
                "question__choose",
                "question__key",
                "attempt__status",
                "attempt__deadline",
            )
            .first()
        )
        return None if row is None else ItemForWrite(*row)

    def item_update_if_open(
        *,
        item,
        attempt_id,
        cutoff,
        values,
        add_time_spent=0,
        newer_than_sequence=None,
    ) -> bool:
        with transaction.atomic():
            still_open = Attempt.objects.select_for_update().filter(
                pk=attempt_id, status=Attempt.Status.IN_PROGRESS, deadline__gte=cutoff
            )
            if not still_open.exists():
                return False
            rows = AttemptItem.objects.filter(pk=item.item_id)
            if newer_than_sequence is not None:
                rows = rows.filter(sequence__lt=newer_than_sequence)
            update = dict(values)
            if add_time_spent:
                update["time_spent_seconds"] = F("time_spent_seconds") + add_time_spent
            return rows.update(**update) == 1

    services.item_for_write = item_for_write
    services.item_update_if_open = item_update_if_open


def _plain_user() -> None:
    from django.contrib.auth import get_user_model

    from accounts import backends

    def get_user(self, user_id):
        user = (
            get_user_model()
            ._default_manager.annotate(holds_privilege=backends.holds_privilege())
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None

    backends._UserWithPrivilege.get_user = get_user


PLAIN = {"save": _plain_save, "user": _plain_user}
