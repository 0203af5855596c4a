"""Public JSON: the council's composition. Office holders' seats are public; names are not."""

from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from council import selectors
from council.forms import parse_iso_date
from portal.page_cache import public_page


@public_page(query=["on"])
@require_GET
def composition(request):
    """`?on=YYYY-MM-DD` (default today): representatives and leadership, counted and judged."""
    raw = request.GET.get("on", "")
    day = parse_iso_date(raw) if raw else timezone.localdate()
    if day is None:
        return JsonResponse(
            {
                "error": "invalid_date",
                "detail": _("The date must be written as YYYY-MM-DD, for example 2014-09-01."),
                "parameter": "on",
                "value": raw[:40],
            },
            status=400,
        )
    council = selectors.council_current()
    if council is None:
        return JsonResponse({"on": day.isoformat(), "council": None})
    response = JsonResponse(selectors.composition_on(council, day, lean=True).as_dict())
    response["Access-Control-Allow-Origin"] = "*"
    return response
