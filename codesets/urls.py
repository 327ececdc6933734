app_name = "codesets"
urlpatterns: list = []
