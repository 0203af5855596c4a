from django.urls import path

from workshops import views

app_name = "workshops"

urlpatterns = [
    path("cancel/<str:token>/", views.registration_cancel, name="cancel"),
    path("<int:pk>/", views.registration_cancel, name="detail"),
]
