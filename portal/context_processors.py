from django.conf import settings

from accounts.permissions import can


def portal(request):
    """What the layout needs on every page: which sections this user's roles open."""
    user = getattr(request, "user", None)
    allowed = bool(user) and user.is_authenticated
    return {
        "portal_demo": not settings.PRODUCTION,
        "can_access_secretariat": allowed and can(user, "accounts.access_secretariat"),
        "can_view_council": allowed and can(user, "council.view_council"),
        "can_work_on_agreements": allowed and can(user, "agreements.view_agreement"),
    }
