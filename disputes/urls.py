from django.urls import path

from disputes import views

app_name = "disputes"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.dispute_new, name="new"),
    path("mine/", views.my_disputes, name="mine"),
    path("<int:pk>/", views.ruling, name="ruling"),
]
