from django.urls import path

from item_analysis import views

app_name = "item_analysis"
urlpatterns = [
    path("", views.index, name="index"),
    path("exams/<slug:slug>/", views.exam, name="exam"),
    path("cases/", views.cases, name="cases"),
    path("cases/<int:case_id>/", views.case, name="case"),
]
