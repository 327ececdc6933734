from django.urls import path

from courses import views

app_name = "courses"
urlpatterns = [
    path("", views.course_index, name="index"),
    path("search/", views.search, name="search"),
    path("courses/<int:course_id>/enrol/", views.enrol, name="enrol"),
    path("enrolments/<int:enrolment_id>/", views.outline, name="outline"),
    path("enrolments/<int:enrolment_id>/resume/", views.resume, name="resume"),
    path(
        "enrolments/<int:enrolment_id>/lessons/<int:lesson_id>/complete/",
        views.complete_lesson,
        name="complete_lesson",
    ),
    path(
        "enrolments/<int:enrolment_id>/lessons/<int:lesson_id>/checks/<str:check_id>/",
        views.answer_check,
        name="answer_check",
    ),
    path("teach/", views.teach, name="teach"),
    path("teach/<int:course_id>/", views.teach_course, name="teach_course"),
    path(
        "teach/<int:course_id>/learners/<int:enrolment_id>/",
        views.teach_learner,
        name="teach_learner",
    ),
]
