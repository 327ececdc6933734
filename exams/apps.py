from django.apps import AppConfig


class ExamsConfig(AppConfig):
    name = "exams"
    verbose_name = "Mock exams"

    def ready(self):
        from wagtail.signals import published

        from core.dashboard import Audience, DashboardPanel, register_panel
        from exams import selectors
        from exams.models import Question
        from exams.signals import queue_regrade_after_key_change
        from exams.visibility import exam_items_withheld
        from grading.models import GradedResponse
        from grading.visibility import register_source

        register_source(GradedResponse.Source.EXAM_ITEM, exam_items_withheld)
        published.connect(
            queue_regrade_after_key_change,
            sender=Question,
            dispatch_uid="exam_question_key_change_regrade",
        )

        register_panel(
            DashboardPanel(
                template_name="exams/dashboard_panel.html",
                get_context=selectors.dashboard_context,
                order=30,
            )
        )
        register_panel(
            DashboardPanel(
                template_name="exams/sittings_panel.html",
                get_context=selectors.sittings_dashboard_context,
                order=15,
                audience=Audience.INSTRUCTOR,
            )
        )
