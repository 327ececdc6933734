"""Every periodic task in the beat schedule names a task the worker knows: a typo
there would fail silently, once a period, in production only."""

from django.conf import settings

from coderacademy.celery import app


def test_every_scheduled_task_is_registered():
    app.loader.import_default_modules()
    unknown = [
        entry["task"]
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] not in app.tasks
    ]
    assert unknown == []
    assert "item_analysis.tasks.snapshots_refresh_task" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
