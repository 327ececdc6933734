from django.urls import path

from codesets import views

app_name = "codesets"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:system>/", views.browse, name="browse"),
    path("<str:system>/<str:code>/", views.code_page, name="code"),
]
