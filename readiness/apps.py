from django.apps import AppConfig


class ReadinessConfig(AppConfig):
    name = "readiness"
    verbose_name = "Readiness"

    def ready(self):
        from core.dashboard import Audience, DashboardPanel, register_panel
        from grading.signals import response_graded
        from readiness import selectors
        from readiness.learner_sources import (
            enrolled_learner_ids,
            register_learner_source,
        )
        from readiness.receivers import queue_readiness_update, record_mock_prediction

        response_graded.connect(
            queue_readiness_update, dispatch_uid="readiness_queue_update"
        )
        response_graded.connect(
            record_mock_prediction, dispatch_uid="readiness_mock_prediction"
        )
        register_panel(
            DashboardPanel(
                template_name="readiness/dashboard_panel.html",
                get_context=selectors.dashboard_context,
                order=10,
            )
        )
        register_panel(
            DashboardPanel(
                template_name="readiness/instructor_panel.html",
                get_context=selectors.instructor_panel_context,
                order=30,
                audience=Audience.INSTRUCTOR,
            )
        )
        register_learner_source(enrolled_learner_ids)
