from django.apps import AppConfig


class ItemAnalysisConfig(AppConfig):
    name = "item_analysis"
    verbose_name = "Item analysis"
