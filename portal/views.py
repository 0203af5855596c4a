from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import connection
from django.http import FileResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.vary import vary_on_headers

from accounts.permissions import can, permission_required, role_names
from council.selectors import meetings_upcoming
from directory.selectors import organisation_count_published
from portal import navigation
from portal.page_cache import public_page
from portal.panels import panels_for
from reports import registry, selectors
from workshops.selectors import workshops_upcoming


@public_page
def home(request):
    """The public front page, or for a signed-in person their workplace: what needs them now
    (panels each app registers) and every tool their roles open."""
    if request.user.is_authenticated:
        return _workplace(request)
    return render(
        request,
        "portal/home.html",
        {
            "council_meetings": meetings_upcoming(limit=3),
            "council_member": can(request.user, "council.view_meeting"),
            "upcoming_workshops": workshops_upcoming(limit=3),
            "organisation_count": organisation_count_published(),
        },
    )


def _workplace(request):
    shown = panels_for(request)
    attention = [item for item in shown if item.panel.attention]
    return render(
        request,
        "portal/workplace.html",
        {
            "attention_panels": attention,
            "attention_total": sum(item.context.get("count", 0) for item in attention),
            "work_panels": [item for item in shown if not item.panel.attention],
            "tool_groups": navigation.tool_groups_for(request.user),
            "has_role": request.user.is_superuser or bool(role_names(request.user)),
        },
    )


@cache_control(public=True, max_age=7 * 24 * 3600)
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; answer with the portal's icon."""
    path = finders.find("icons/favicon.ico")
    return FileResponse(open(path, "rb"), content_type="image/vnd.microsoft.icon")


@cache_control(public=True, max_age=24 * 3600)
@vary_on_headers("Cookie", "Accept-Language")
def web_manifest(request):
    """The web app manifest: a phone can keep the portal on its home screen."""
    icons = [
        {"src": static(f"icons/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
        for size in (192, 512)
    ]
    manifest = {
        "name": str(_("Collaboration council")),
        "short_name": settings.PORTAL_NAME,
        "lang": get_language(),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#083a50",
        "icons": [
            *icons,
            {"src": static("icons/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return JsonResponse(manifest, content_type="application/manifest+json")


@never_cache
def healthz(request):
    """Liveness for the load balancer: database, cache and broker each answer or not."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {type(exc).__name__}"
    try:
        # The Redis backend fails open (portal/cache.py): ask the server itself.
        ping = getattr(cache, "ping", None)
        if ping is not None:
            ping()
        cache.set("healthz", "1", 10)
        checks["cache"] = "ok" if cache.get("healthz") == "1" else "error: value lost"
    except Exception as exc:
        checks["cache"] = f"error: {type(exc).__name__}"
    if settings.REDIS_URL:
        try:
            from portal.celery import app

            with app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            checks["broker"] = "ok"
        except Exception as exc:
            checks["broker"] = f"error: {type(exc).__name__}"
    else:
        checks["broker"] = "ok (in-process)"
    healthy = all(value.startswith("ok") for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )


@permission_required("accounts.access_secretariat")
def secretariat(request):
    overview = registry.get("portal_overview")
    jobs = selectors.report_job_list_for(request.user)[:10]
    return render(request, "portal/secretariat.html", {"overview": overview, "jobs": jobs})


def too_many_requests(request, exception=None):
    """429 for every rate limit (allauth's login limits and portal.ratelimit), translated."""
    return render(request, "429.html", status=429)
