from django.urls import path

from workshops import api

app_name = "workshops_api"

urlpatterns = [
    path("", api.workshop_list, name="list"),
    path("<int:pk>/stats", api.workshop_stats, name="stats"),
]
