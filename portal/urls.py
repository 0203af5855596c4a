from django.contrib import admin
from django.urls import include, path

from accounts.urls import my_data_patterns
from portal import views

admin.site.site_header = "Samverkansrådet"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("secretariat/", views.secretariat, name="secretariat"),
    path("reports/", include("reports.urls")),
    path("directory/", include("directory.urls")),
    path("api/directory/", include("directory.api_urls")),
    path("council/", include("council.urls")),
    path("workshops/", include("workshops.urls")),
    path("agreements/", include("agreements.urls")),
    path("api/council/", include("council.api_urls")),
    path("api/workshops/", include("workshops.api_urls")),
    path("api/agreements/", include("agreements.api_urls")),
    path("accounts/invitations/", include("accounts.urls")),
    path("accounts/my-data/", include(my_data_patterns)),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
