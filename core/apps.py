from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Site"

    def ready(self) -> None:
        from django.db import models
        from wagtail.admin.forms.models import register_form_field_override

        from coderacademy.celery import prepare_filesystem_broker

        prepare_filesystem_broker()
        # A JSONField with a callable default (dict, list) gets a hidden initial
        # value that Wagtail's panels never render, so its form always "changed":
        # a reviewer approving from an edit page saved a revision of their own and,
        # under reapproval on edit, restarted the review they were closing.
        register_form_field_override(
            models.JSONField, override={"show_hidden_initial": False}
        )
