from django.urls import path

from gradebook import views

app_name = "gradebook"
urlpatterns = [
    path("<int:cohort_id>/", views.gradebook, name="cohort"),
    path(
        "<int:cohort_id>/assignments/<int:assignment_id>/",
        views.assignment,
        name="assignment",
    ),
    path(
        "<int:cohort_id>/learners/<int:learner_id>/assignments/<int:assignment_id>/",
        views.learner_assignment,
        name="learner_assignment",
    ),
    path("<int:cohort_id>/export.csv", views.export_csv, name="export_csv"),
    path("<int:cohort_id>/export.xlsx", views.export_xlsx, name="export_xlsx"),
]
