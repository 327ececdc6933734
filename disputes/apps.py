from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "disputes"
    verbose_name = "Disputes"

    def ready(self):
        from core.dashboard import Audience, DashboardPanel, register_panel
        from disputes import selectors
        from disputes.receivers import resolve_upheld_disputes
        from notifications.regrades import register_regrade_notifier

        register_regrade_notifier(resolve_upheld_disputes)
        register_panel(
            DashboardPanel(
                template_name="disputes/instructor_panel.html",
                get_context=selectors.instructor_dashboard_context,
                order=20,
                audience=Audience.INSTRUCTOR,
            )
        )
