from django.conf import settings

from portal import navigation


def portal(request):
    """What the layout needs on every page: which sections this user's roles open."""
    user = getattr(request, "user", None)
    return {
        "portal_demo": not settings.PRODUCTION,
        "nav_main": navigation.links_for(user, navigation.MAIN) if user else [],
    }
