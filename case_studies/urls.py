from django.urls import path

from case_studies import views

app_name = "case_studies"
urlpatterns = [
    path("", views.library, name="library"),
    path("cases/<slug:slug>/", views.practice, name="practice"),
    path("attempts/<int:pk>/", views.attempt_detail, name="attempt"),
]
