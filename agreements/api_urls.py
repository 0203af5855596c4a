from django.urls import path

from agreements import api_views

app_name = "agreements_api"

urlpatterns = [
    path("", api_views.agreement_list, name="list"),
    path("<int:pk>", api_views.agreement_detail, name="detail"),
]
