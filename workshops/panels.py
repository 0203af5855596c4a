"""The workshops' panels on a signed-in person's home page (portal/panels.py)."""

from django.db.models import Count, Q
from django.utils import timezone

from accounts.permissions import can
from portal.panels import Panel, register
from workshops.models import Registration, Workshop


def _waiting(request):
    if not can(request.user, "workshops.view_registration"):
        return None
    workshops = list(
        Workshop.objects.filter(ends_at__gte=timezone.now())
        .annotate(
            waiting=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.WAITING)
            )
        )
        .filter(waiting__gt=0)
        .order_by("starts_at")[:5]
    )
    return {"workshops": workshops, "count": len(workshops)}


register(
    Panel("workshops_waiting", "workshops/panels/waiting.html", _waiting, order=3, attention=True)
)
