from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from accounts.urls import my_data_patterns, notification_patterns
from accounts.views import set_language
from portal import views

admin.site.site_header = "Samverkansrådet"
# One way in: the admin's own login form would take a password alone (no TOTP, no attempt
# limit). allauth's login, with its second factor and rate limits, is the only login page.
admin.site.login = secure_admin_login(admin.site.login)

# Throttled requests (allauth's and the portal's rate limits) answer 429 with this page.
handler429 = "portal.views.too_many_requests"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("manifest.webmanifest", views.web_manifest, name="web_manifest"),
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
    path("accounts/notifications/", include(notification_patterns)),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]
