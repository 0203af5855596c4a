import functools

from django.conf import settings

from portal import navigation


def portal(request):
    """What the layout needs on every page: which sections this user's roles open."""
    user = getattr(request, "user", None)

    @functools.cache
    def nav_main():
        # Worked out when the layout shows it: fragments (htmx answers, the live list of
        # speakers polled by every phone) render with this context too and never use it.
        return navigation.links_for(user, navigation.MAIN) if user else []

    return {"portal_demo": not settings.PRODUCTION, "nav_main": nav_main}
