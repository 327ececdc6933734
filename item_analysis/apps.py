from django.apps import AppConfig


class ItemAnalysisConfig(AppConfig):
    name = "item_analysis"
    verbose_name = "Item analysis"

    def ready(self):
        from core.dashboard import Audience, DashboardPanel, register_panel
        from grading.signals import responses_regraded
        from item_analysis import selectors
        from item_analysis.receivers import mark_regraded_stale

        responses_regraded.connect(
            mark_regraded_stale, dispatch_uid="item_analysis_mark_regraded"
        )
        register_panel(
            DashboardPanel(
                template_name="item_analysis/instructor_panel.html",
                get_context=selectors.dashboard_context,
                order=40,
                audience=Audience.INSTRUCTOR,
            )
        )
