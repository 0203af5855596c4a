from django.conf import settings

from accounts.permissions import can


def portal(request):
    user = getattr(request, "user", None)
    return {
        "portal_demo": not settings.PRODUCTION,
        "can_access_secretariat": bool(user) and can(user, "accounts.access_secretariat"),
    }
