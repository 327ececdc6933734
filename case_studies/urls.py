app_name = "case_studies"
urlpatterns: list = []
