"""Public JSON: each agreement's parties, phase, phase history and latest ratings per side.

Internal notes, checklist notes, comments and who changed what are never part of it.
"""

from django.core.paginator import EmptyPage, Paginator
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from agreements import selectors
from agreements.enums import Side
from agreements.models import Agreement
from portal.page_cache import public_page

PAGE_SIZE = 50


def _agreement(agreement: Agreement, principle_list, *, full: bool) -> dict:
    health = selectors.principle_health(agreement, principle_list)
    place = agreement.place
    data = {
        "id": agreement.pk,
        "title": agreement.title,
        "url": agreement.get_absolute_url(),
        "level": agreement.level,
        "municipality": (
            {"code": agreement.municipality.code, "name": agreement.municipality.name}
            if agreement.municipality
            else None
        ),
        "region": (
            {"code": agreement.region.code, "name": agreement.region.name}
            if agreement.region
            else None
        ),
        "place": str(place) if place else None,
        "public_party": {"name": agreement.public_party.name, "slug": agreement.public_party.slug},
        "civil_society_parties": [
            {"name": org.name, "slug": org.slug} for org in agreement.civil_parties.all()
        ],
        "phase": agreement.phase,
        "phase_since": agreement.phase_entered_at.isoformat(),
        "started_on": agreement.started_on.isoformat() if agreement.started_on else None,
        "signed_on": agreement.signed_on.isoformat() if agreement.signed_on else None,
        "collaboration_forms": agreement.collaboration_forms,
        "is_example": agreement.is_example,
        "latest_assessments": {
            Side.CIVIL_SOCIETY.value: {row.code: row.civil for row in health.principles},
            Side.PUBLIC.value: {row.code: row.public for row in health.principles},
        },
        "latest_round": health.latest_round.held_on.isoformat() if health.latest_round else None,
    }
    if full:
        data["phase_history"] = [
            {
                "from": change.from_phase or None,
                "to": change.to_phase,
                "at": change.changed_at.isoformat(),
                "effective_on": change.effective_on.isoformat(),
                "unanswered_questions": change.open_questions,
            }
            for change in agreement.phase_changes.all()
        ]
        data["anchoring"] = [
            {"level": a.level, "date": a.anchored_on.isoformat(), "reference": a.reference}
            for a in agreement.anchorings.all()
        ]
        data["rounds"] = []
        for round_ in health.rounds:
            result = selectors.round_result(round_, principle_list)
            scores = []
            for row in result.principles:
                for side_result in (row.civil, row.public):
                    if side_result.shown:
                        scores.append(
                            {
                                "principle": row.principle.code,
                                "side": side_result.side,
                                "score": side_result.mean,
                                "respondents": side_result.n,
                            }
                        )
            data["rounds"].append(
                {
                    "date": round_.held_on.isoformat(),
                    "closed_on": round_.closes_on.isoformat() if round_.closes_on else None,
                    "answered_by": round_.source,
                    "responses": None if round_.on_behalf else result.answered,
                    "scores": scores,
                    "participation": _participation(round_),
                }
            )
    return data


def _participation(round_) -> list[dict] | None:
    """The Code of Good Practice levels per decision step and side, as the public page shows
    them (a side under three respondents left out); None when the round did not ask."""
    result = selectors.participation_result(round_)
    if result is None:
        return None
    return [
        {
            "step": row.step,
            "side": cell.side,
            "level": cell.mean,
            "respondents": cell.respondents,
        }
        for row in result.steps
        for cell in (row.civil, row.public)
        if cell.shown
    ]


def _json(data, status=200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@public_page(query=["page"])
@require_GET
def agreement_list(request):
    principle_list = selectors.principles()
    queryset = selectors.agreement_list_public().prefetch_related("phase_changes")
    paginator = Paginator(queryset, PAGE_SIZE)
    raw = request.GET.get("page", "1")
    try:
        page = paginator.page(int(raw))
    except (ValueError, EmptyPage):
        return _json(
            {"error": "invalid_page", "detail": _("There is no such page."), "value": raw[:20]},
            status=400,
        )
    return _json(
        {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "next": page.next_page_number() if page.has_next() else None,
            "results": [_agreement(a, principle_list, full=False) for a in page.object_list],
        }
    )


@public_page
@require_GET
def agreement_detail(request, pk):
    try:
        agreement = selectors.agreement_for_page(pk)
    except Agreement.DoesNotExist:
        return _json({"error": "not_found", "detail": _("There is no such agreement.")}, 404)
    return _json(_agreement(agreement, selectors.principles(), full=True))
