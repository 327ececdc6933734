from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"

    def ready(self) -> None:
        from core.dashboard import DashboardPanel, register_panel
        from courses.selectors import dashboard_courses

        register_panel(
            DashboardPanel(
                template_name="courses/dashboard_panel.html",
                get_context=dashboard_courses,
                order=20,
            )
        )
