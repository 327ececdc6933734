from django.urls import path

from exams import sitting_views, views

app_name = "exams"
urlpatterns = [
    path("", views.index, name="index"),
    path(
        "sittings/<int:sitting_id>/",
        sitting_views.sitting_roster_page,
        name="sitting",
    ),
    path("<slug:slug>/", views.exam_start, name="start"),
    path("attempts/<int:attempt_id>/", views.attempt_resume, name="resume"),
    path(
        "attempts/<int:attempt_id>/questions/<int:position>/",
        views.question_page,
        name="question",
    ),
    path("attempts/<int:attempt_id>/review/", views.review_page, name="review"),
    path("attempts/<int:attempt_id>/submit/", views.attempt_submit_view, name="submit"),
    path("attempts/<int:attempt_id>/results/", views.results_page, name="results"),
]
