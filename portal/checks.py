"""System checks for settings production must not run without."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=False)
def base_url_in_production(app_configs, **kwargs):
    """Emails sent by background jobs link to PORTAL_BASE_URL: in production it must be the
    portal's real public address, or every such link is dead."""
    if not settings.PRODUCTION:
        return []
    url = settings.PORTAL_BASE_URL
    if not settings.PORTAL_BASE_URL_SET:
        return [
            Error(
                "PORTAL_BASE_URL is not set.",
                hint="Set it to the portal's public address, e.g. https://rad.example.org.",
                id="portal.E001",
            )
        ]
    if not url.startswith("https://") or "127.0.0.1" in url or "localhost" in url:
        return [
            Error(
                f"PORTAL_BASE_URL must be the public https address, not {url!r}.",
                id="portal.E002",
            )
        ]
    return []
