from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Site"

    def ready(self) -> None:
        from coderacademy.celery import prepare_filesystem_broker

        prepare_filesystem_broker()
