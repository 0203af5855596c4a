"""Open data: the public directory as JSON shaped after Open Referral HSDS 3.

An HSDS `organization` carries its `services` (our offers), `contacts` (consented contact
points only), `phones`, `locations` and `attributes` (taxonomy terms). Our own codes that HSDS
has no field for (sector, municipalities served, umbrella membership, confirmation) are
added as extra properties; `openapi.json` describes every field.
"""

import re
import uuid

from django.core.paginator import EmptyPage, Paginator
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from directory import selectors
from directory.api_constants import DEFAULT_PAGE_SIZE, MAX_PAGE, MAX_PAGE_SIZE
from directory.forms import DirectorySearchForm
from directory.openapi import build_openapi
from portal.page_cache import public_page

# Sub-records (phones, locations, attributes) get stable ids derived from their owner.
_NAMESPACE = uuid.UUID("5b0c3a52-6f7e-4d3e-9b43-0d3b6b0c5e11")


# A slug or a uuid: anything else cannot name an organisation and never reaches the database.
_KEY = re.compile(r"[-a-zA-Z0-9_]+")


def _id(*parts) -> str:
    return str(uuid.uuid5(_NAMESPACE, ":".join(str(part) for part in parts)))


def _json(data, status=200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    # Open data: any site may read it (read-only, no cookies involved).
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error(message: str, status: int, fields: dict | None = None) -> JsonResponse:
    return _json({"error": message, "fields": fields or {}}, status=status)


def _term(taxonomy: str, term) -> dict:
    return {
        "id": _id("term", taxonomy, term.code),
        "code": term.code,
        "name": term.label,
        "taxonomy": taxonomy,
        "language": get_language() or "sv",
    }


def _attributes(owner_id: str, entity: str, terms: list[tuple[str, object]]) -> list[dict]:
    return [
        {
            "id": _id("attribute", owner_id, taxonomy, term.code),
            "link_id": owner_id,
            "link_type": taxonomy,
            "link_entity": entity,
            "value": term.code,
            "taxonomy_term": _term(taxonomy, term),
        }
        for taxonomy, term in terms
    ]


def _service(offer, organisation_id: str) -> dict:
    offer_id = str(offer.uuid)
    return {
        "id": offer_id,
        "organization_id": organisation_id,
        "name": offer.title,
        "description": offer.description,
        "url": offer.url or None,
        "application_process": offer.how_to_apply,
        "status": "active",
        "service_areas": [
            {
                "id": _id("area", offer_id, m.code),
                "name": m.name,
                "extent_type": "municipality",
                "code": m.code,
            }
            for m in offer.municipalities.all()
        ],
        "location_description": offer.location,
        "attributes": _attributes(
            offer_id,
            "service",
            [("target_group", t) for t in offer.target_groups.all()]
            + [("area", a) for a in offer.areas.all()],
        ),
    }


def organisation_json(organisation, request) -> dict:
    org_id = str(organisation.uuid)
    contacts = [
        {
            "id": _id("contact", role.pk),
            "organization_id": org_id,
            "name": role.person.name,
            "title": role.title,
            "email": role.public_email or None,
            "phones": (
                [{"id": _id("contact-phone", role.pk), "number": role.public_phone}]
                if role.public_phone
                else []
            ),
        }
        for role in organisation.public_contacts
    ]
    has_address = organisation.street_address or organisation.city
    locations = []
    if has_address or organisation.accessibility:
        location_id = _id("location", org_id)
        locations.append(
            {
                "id": location_id,
                "location_type": "physical",
                "name": organisation.name,
                "addresses": (
                    [
                        {
                            "id": _id("address", org_id),
                            "location_id": location_id,
                            "address_1": organisation.street_address,
                            "city": organisation.city,
                            "postal_code": organisation.postal_code,
                            "country": organisation.country,
                            "address_type": "physical",
                        }
                    ]
                    if has_address
                    else []
                ),
                "accessibility": (
                    [
                        {
                            "id": _id("accessibility", org_id),
                            "location_id": location_id,
                            "description": organisation.accessibility,
                        }
                    ]
                    if organisation.accessibility
                    else []
                ),
            }
        )
    umbrellas = organisation.umbrellas_public
    terms = (
        [("sector", organisation.sector)]
        + ([("legal_form", organisation.legal_form)] if organisation.legal_form else [])
        + [("area", a) for a in organisation.areas.all()]
        + [("target_group", t) for t in organisation.target_groups.all()]
    )
    return {
        "id": org_id,
        "name": organisation.name,
        "alternate_name": organisation.alternate_name or None,
        "description": organisation.description,
        "email": organisation.email or None,
        "website": organisation.website or None,
        "tax_id": organisation.organisation_number or None,
        "legal_status": organisation.legal_form.label if organisation.legal_form else None,
        "uri": request.build_absolute_uri(organisation.get_absolute_url()),
        "parent_organization_id": str(umbrellas[0].uuid) if umbrellas else None,
        "slug": organisation.slug,
        "sector": organisation.sector.code,
        "legal_form": organisation.legal_form.code if organisation.legal_form else None,
        "is_umbrella": organisation.is_umbrella,
        "member_of": [str(u.uuid) for u in umbrellas],
        "members": [str(m.uuid) for m in organisation.members_public],
        "municipalities": [
            {"code": m.code, "name": m.name, "region_code": m.region.code}
            for m in organisation.municipalities.all()
        ],
        "last_confirmed": (
            organisation.last_confirmed_at.date().isoformat()
            if organisation.last_confirmed_at
            else None
        ),
        "possibly_outdated": organisation.is_stale,
        "phones": (
            [{"id": _id("phone", org_id), "number": organisation.phone, "type": "voice"}]
            if organisation.phone
            else []
        ),
        "contacts": contacts,
        "locations": locations,
        "services": [_service(offer, org_id) for offer in organisation.active_offers],
        "attributes": _attributes(org_id, "organization", terms),
    }


def _int_param(request, name: str, default: int, low: int, high: int) -> int | None:
    raw = request.GET.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        return None
    return value if low <= value <= high else None


@public_page(query=[*DirectorySearchForm.base_fields, "page", "per_page"])
@require_GET
def organisation_list(request):
    form = DirectorySearchForm(request.GET)
    if not form.is_valid():
        return _error("Invalid query.", 400, {k: list(v) for k, v in form.errors.items()})
    page_number = _int_param(request, "page", 1, 1, MAX_PAGE)
    size = _int_param(request, "per_page", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    if page_number is None or size is None:
        return _error(
            f"page must be 1 to {MAX_PAGE}; per_page 1 to {MAX_PAGE_SIZE}.",
            400,
        )
    query = form.directory_query()
    if selectors.unknown_filter_codes(query):
        results = selectors.organisation_public().none()
    else:
        results = selectors.organisation_with_details(selectors.organisation_search(query))
    paginator = Paginator(results, size)
    try:
        contents = [organisation_json(org, request) for org in paginator.page(page_number)]
    except EmptyPage:
        contents = []
    total_pages = paginator.num_pages if paginator.count else 0
    return _json(
        {
            "total_items": paginator.count,
            "total_pages": total_pages,
            "page_number": page_number,
            "size": size,
            "first_page": page_number == 1,
            "last_page": page_number >= total_pages,
            "empty": not contents,
            "contents": contents,
        }
    )


@public_page
@require_GET
def organisation_detail(request, key):
    if len(key) > 120 or not _KEY.fullmatch(key):
        return _error("Not found.", 404)
    organisation = selectors.organisation_find_public(key)
    if organisation is None:
        return _error("Not found.", 404)
    return _json(organisation_json(organisation, request))


@public_page
@require_GET
def openapi(request):
    server = request.build_absolute_uri(reverse("directory_api:organisations")).rsplit("/", 1)[0]
    return _json(build_openapi(server_url=server))
