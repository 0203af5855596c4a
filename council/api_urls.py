from django.urls import path

from council import api

app_name = "council_api"

urlpatterns = [
    path("composition", api.composition, name="composition"),
]
