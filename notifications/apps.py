from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from core.dashboard import Audience, DashboardPanel, register_panel
        from notifications.selectors import dashboard_context

        for audience in Audience:
            register_panel(
                DashboardPanel(
                    template_name="notifications/dashboard_panel.html",
                    get_context=dashboard_context,
                    order=1,
                    audience=audience,
                )
            )

        from grading.signals import responses_regraded
        from notifications.regrades import learners_notify_of_regrade

        responses_regraded.connect(
            learners_notify_of_regrade, dispatch_uid="notifications_regrade"
        )
