from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.invitation_list, name="invitation_list"),
    path("<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("accept/<str:token>/", views.invitation_accept, name="invitation_accept"),
]

# Mounted at /accounts/my-data/ (portal/urls.py), before allauth's own /accounts/ paths.
my_data_patterns = (
    [
        path("", views.my_data, name="page"),
        path("export/", views.my_data_export, name="export"),
        path("export.html", views.my_data_export_html, name="export_html"),
    ],
    "my_data",
)

# Mounted at /accounts/notifications/ (portal/urls.py).
notification_patterns = (
    [path("", views.notification_settings, name="settings")],
    "notifications",
)
