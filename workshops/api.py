"""Public read-only JSON: workshops, and each one's statistics with small counts hidden."""

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from portal.page_cache import public_page
from workshops import selectors

PAGE_SIZE = 50


def _workshop_json(workshop) -> dict:
    return {
        "id": workshop.pk,
        "title": workshop.title,
        "theme_question": workshop.theme_question,
        "focus": workshop.focus,
        "starts_at": timezone.localtime(workshop.starts_at).isoformat(),
        "ends_at": timezone.localtime(workshop.ends_at).isoformat(),
        "date": timezone.localdate(workshop.starts_at).isoformat(),
        "place": {"venue": workshop.venue, "address": workshop.address, "city": workshop.city},
        "url": workshop.get_absolute_url(),
        "stats_url": f"/api/workshops/{workshop.pk}/stats",
    }


@public_page(query=["page"])
@require_GET
def workshop_list(request):
    paginator = Paginator(selectors.workshop_list_public(), PAGE_SIZE)
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        return JsonResponse({"error": "page must be a whole number"}, status=400)
    if number < 1 or number > max(paginator.num_pages, 1):
        return JsonResponse({"error": "no such page"}, status=404)
    page = paginator.get_page(number)
    return JsonResponse(
        {
            "count": paginator.count,
            "page": number,
            "pages": paginator.num_pages,
            "results": [_workshop_json(workshop) for workshop in page.object_list],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@public_page
@require_GET
def workshop_stats(request, pk):
    workshop = selectors.workshop_public().filter(pk=pk).first()
    if workshop is None:
        return JsonResponse({"error": "not found"}, status=404)
    statistics = selectors.workshop_statistics(workshop, exact=False)
    return JsonResponse(
        {**_workshop_json(workshop), **statistics.as_dict()},
        json_dumps_params={"ensure_ascii": False},
    )
