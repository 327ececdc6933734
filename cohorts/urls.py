from django.urls import path

from cohorts import views

app_name = "cohorts"
urlpatterns = [
    path("", views.cohort_list, name="list"),
    path("new/", views.cohort_create, name="create"),
    path("<int:cohort_id>/", views.cohort_detail, name="detail"),
    path("<int:cohort_id>/joining/", views.cohort_joining, name="joining"),
    path("<int:cohort_id>/code/", views.cohort_code_renew, name="code_renew"),
    path("<int:cohort_id>/invitations/", views.cohort_invite, name="invite"),
    path(
        "<int:cohort_id>/learners/<int:learner_id>/remove/",
        views.membership_remove,
        name="remove_learner",
    ),
    path(
        "<int:cohort_id>/assignments/new/",
        views.assignment_create,
        name="assignment_create",
    ),
    path(
        "assignments/<int:assignment_id>/",
        views.assignment_detail,
        name="assignment",
    ),
    path(
        "assignments/<int:assignment_id>/edit/",
        views.assignment_edit,
        name="assignment_edit",
    ),
    path(
        "assignments/<int:assignment_id>/delete/",
        views.assignment_delete,
        name="assignment_delete",
    ),
    path(
        "assignments/<int:assignment_id>/accommodations/",
        views.accommodation_create,
        name="accommodation_create",
    ),
    path("join/", views.join_by_code, name="join_by_code"),
    path("join/<str:code>/", views.join, name="join"),
]
