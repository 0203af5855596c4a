from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.invitation_list, name="invitation_list"),
    path("<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("accept/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
