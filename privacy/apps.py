from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Learner data rights"

    def ready(self):
        from core.dashboard import DashboardPanel, register_panel
        from privacy.selectors import dashboard_context

        register_panel(
            DashboardPanel(
                template_name="privacy/dashboard_panel.html",
                get_context=dashboard_context,
                order=90,
            )
        )
