from django.apps import AppConfig


class CaseStudiesConfig(AppConfig):
    name = "case_studies"
    verbose_name = "Case studies"

    def ready(self):
        from django.db import connections
        from django.db.backends.signals import connection_created
        from wagtail.signals import page_published

        from case_studies import selectors
        from case_studies.collation import collation_register
        from case_studies.signals import (
            queue_regrade_after_key_change,
            record_key_change,
        )
        from case_studies.visibility import practice_cases_withheld
        from core.dashboard import DashboardPanel, register_panel
        from grading.models import GradedResponse
        from grading.visibility import register_source

        register_source(GradedResponse.Source.PRACTICE_CASE, practice_cases_withheld)

        connection_created.connect(collation_register, dispatch_uid="case_title")
        for connection in connections.all(initialized_only=True):
            if connection.connection is not None:
                collation_register(connection)

        page_published.connect(record_key_change, dispatch_uid="case_key_change")
        page_published.connect(
            queue_regrade_after_key_change, dispatch_uid="case_key_change_regrade"
        )
        register_panel(
            DashboardPanel(
                template_name="case_studies/dashboard_panel.html",
                get_context=selectors.dashboard_context,
                order=20,
            )
        )
