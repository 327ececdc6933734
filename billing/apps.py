from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = "Billing practice"

    def ready(self):
        from grading.models import GradedResponse
        from grading.visibility import register_source

        # Billing work is practice: its feedback follows each step the learner
        # has already handed in, so nothing of it is withheld.
        register_source(GradedResponse.Source.BILLING_EXERCISE, lambda learner: [])
