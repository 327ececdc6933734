from django.apps import AppConfig


class GradebookConfig(AppConfig):
    name = "gradebook"
    verbose_name = "Gradebook"

    def ready(self):
        from core.dashboard import Audience, DashboardPanel, register_panel
        from gradebook import dashboard

        register_panel(
            DashboardPanel(
                template_name="gradebook/dashboard_panel.html",
                get_context=dashboard.learner_dashboard_context,
                order=5,
                audience=Audience.LEARNER,
            )
        )
        register_panel(
            DashboardPanel(
                template_name="gradebook/instructor_panel.html",
                get_context=dashboard.instructor_dashboard_context,
                order=10,
                audience=Audience.INSTRUCTOR,
            )
        )
