from django.urls import path

from privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("export.json", views.export, name="export"),
    path("delete/", views.delete_account, name="delete"),
]
