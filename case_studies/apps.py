from django.apps import AppConfig


class CaseStudiesConfig(AppConfig):
    name = "case_studies"
    verbose_name = "Case studies"

    def ready(self):
        from wagtail.signals import page_published

        from case_studies import selectors
        from case_studies.signals import (
            queue_regrade_after_key_change,
            record_key_change,
        )
        from case_studies.visibility import practice_cases_withheld
        from core.dashboard import DashboardPanel, register_panel
        from grading.models import GradedResponse
        from grading.visibility import register_source

        register_source(GradedResponse.Source.PRACTICE_CASE, practice_cases_withheld)

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
