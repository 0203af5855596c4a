from django.urls import path

from directory import api

app_name = "directory_api"

urlpatterns = [
    path("organisations", api.organisation_list, name="organisations"),
    path("organisations/<str:key>", api.organisation_detail, name="organisation"),
    path("openapi.json", api.openapi, name="openapi"),
]
