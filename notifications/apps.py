from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from grading.signals import responses_regraded
        from notifications.regrades import learners_notify_of_regrade

        responses_regraded.connect(
            learners_notify_of_regrade, dispatch_uid="notifications_regrade"
        )
