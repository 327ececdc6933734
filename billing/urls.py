from django.urls import path

from billing import views

app_name = "billing"
urlpatterns = [
    path("", views.library, name="library"),
    path("scenarios/<slug:slug>/", views.scenario, name="scenario"),
    path("attempts/<int:pk>/", views.attempt, name="attempt"),
    path("attempts/<int:pk>/837/", views.download_837, name="download_837"),
    path("attempts/<int:pk>/denials/", views.work_denial, name="work_denial"),
    path("attempts/<int:pk>/appeals/<int:work_id>/", views.appeal, name="appeal"),
    path(
        "attempts/<int:pk>/corrections/<int:work_id>/",
        views.correct,
        name="correct",
    ),
    path("appeals/", views.appeals_queue, name="appeals"),
    path("appeals/<int:work_id>/", views.appeal_scoring, name="appeal_score"),
]
