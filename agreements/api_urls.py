from django.urls import path

from agreements import api

app_name = "agreements_api"

urlpatterns = [
    path("", api.agreement_list, name="list"),
    path("<int:pk>", api.agreement_detail, name="detail"),
]
