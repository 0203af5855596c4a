from django.urls import path

from council import api_views

app_name = "council_api"

urlpatterns = [
    path("composition", api_views.composition, name="composition"),
]
