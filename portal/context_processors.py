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

    def layout_key():
        """Everything the header's navigation shows besides the language (the key of its
        `layout_part`, templatetags/layout.py): signed in or not, whether this is the home
        page, the current section and the links this person may open."""
        match = getattr(request, "resolver_match", None)
        return (
            bool(user is not None and user.is_authenticated),
            match is not None and match.view_name == "home",
            match.namespace if match is not None else "",
            tuple(link.url_name for link in nav_main()),
        )

    return {"portal_demo": not settings.PRODUCTION, "nav_main": nav_main, "layout_key": layout_key}
