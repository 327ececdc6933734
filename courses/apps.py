from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"

    def ready(self) -> None:
        from wagtail.signals import page_published

        from core.dashboard import DashboardPanel, register_panel
        from courses.selectors import dashboard_courses, knowledge_checks_withheld
        from courses.signals import queue_regrade_after_key_change
        from grading.models import GradedResponse
        from grading.visibility import register_source

        register_source(
            GradedResponse.Source.KNOWLEDGE_CHECK, knowledge_checks_withheld
        )
        page_published.connect(
            queue_regrade_after_key_change, dispatch_uid="lesson_key_change_regrade"
        )

        register_panel(
            DashboardPanel(
                template_name="courses/dashboard_panel.html",
                get_context=dashboard_courses,
                order=20,
            )
        )
