from billing.models.pages import BillingLibraryPage, BillingScenarioPage
from billing.models.work import BillingAttempt, DenialWork

__all__ = ["BillingAttempt", "BillingLibraryPage", "BillingScenarioPage", "DenialWork"]
