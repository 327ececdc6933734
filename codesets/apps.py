from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class CodesetsConfig(AppConfig):
    name = "codesets"
    verbose_name = "Code sets"

    def ready(self) -> None:
        from codesets.models import Release
        from codesets.selectors import release_table

        for signal in (post_save, post_delete):
            signal.connect(release_table.forget, sender=Release, weak=False)
