from django.apps import AppConfig


class ExamsConfig(AppConfig):
    name = "exams"
    verbose_name = "Mock exams"

    def ready(self):
        from core.dashboard import DashboardPanel, register_panel
        from exams import selectors
        from exams.visibility import exam_items_withheld
        from grading.models import GradedResponse
        from grading.visibility import register_source

        register_source(GradedResponse.Source.EXAM_ITEM, exam_items_withheld)

        register_panel(
            DashboardPanel(
                template_name="exams/dashboard_panel.html",
                get_context=selectors.dashboard_context,
                order=30,
            )
        )
