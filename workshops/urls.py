from django.urls import path  # noqa: F401 - the issue building this app adds its views

app_name = "workshops"

urlpatterns: list = []
