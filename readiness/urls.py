from django.urls import path

from readiness import views

app_name = "readiness"
urlpatterns = [
    path("", views.index, name="index"),
    path("cohort/<slug:slug>/", views.cohort, name="cohort"),
    path("calibration/<slug:slug>/", views.calibration, name="calibration"),
    path("learners/<int:learner_id>/<slug:slug>/", views.learner, name="learner"),
    path("<slug:slug>/", views.detail, name="detail"),
]
