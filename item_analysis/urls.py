from django.urls import path  # noqa: F401

app_name = "item_analysis"
urlpatterns: list = []
