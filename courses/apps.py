from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"

    def ready(self) -> None:
        from wagtail.signals import page_published

        from core.dashboard import DashboardPanel, register_panel
        from courses.selectors import dashboard_courses
        from courses.signals import queue_regrade_after_key_change
        from grading.models import GradedResponse
        from grading.visibility import register_source

        # A knowledge check teaches: its feedback is shown as soon as it is graded.
        register_source(GradedResponse.Source.KNOWLEDGE_CHECK, lambda learner: [])
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
