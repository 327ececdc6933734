from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = "Billing practice"

    def ready(self):
        from billing.visibility import billing_work_withheld
        from grading.models import GradedResponse
        from grading.visibility import register_source

        register_source(GradedResponse.Source.BILLING_EXERCISE, billing_work_withheld)
