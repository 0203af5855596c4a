from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The project package as an app: project-wide commands, templates and catalogue."""

    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from portal import checks, page_cache  # noqa: F401 - checks register themselves

        page_cache.install()
        # Each app's navigation links and home-page panels (portal/navigation.py, panels.py).
        autodiscover_modules("navigation", "panels")
