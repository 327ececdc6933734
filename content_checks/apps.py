from django.apps import AppConfig


class ContentChecksConfig(AppConfig):
    name = "content_checks"
    verbose_name = "Content checks"
