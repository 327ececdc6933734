"""The Celery app. Tasks are thin (ids in, a service call, the retry policy) and
are enqueued with `transaction.on_commit`; nothing that must not be lost depends on
a task running."""

import os
from pathlib import Path

from celery import Celery
from celery.signals import beat_init, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coderacademy.settings.dev")

app = Celery("coderacademy")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def prepare_filesystem_broker() -> None:
    """The filesystem transport needs its folders before the first message."""
    from django.conf import settings

    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        for key in ("data_folder_out", "processed_folder", "control_folder"):
            Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS[key]).mkdir(
                parents=True, exist_ok=True
            )


@worker_init.connect
@beat_init.connect
def _prepare_broker_on_start(**kwargs) -> None:
    prepare_filesystem_broker()
