"""Open data: the public directory as an Open Referral HSDS 3.0.1 API.

Paths and parameters follow the HSDS OpenAPI description; payloads are built by
directory.hsds and validated in the tests against the official compiled schemas. The API
is read-only: GET and HEAD answer, any other method gets 405 with a JSON body.
"""

import functools
import re
import uuid
from datetime import UTC

from django.core.paginator import EmptyPage, Paginator
from django.db.models import F
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from directory import hsds, selectors
from directory.api_constants import DEFAULT_PAGE_SIZE, MAX_PAGE, MAX_PAGE_SIZE
from directory.forms import DirectorySearchForm
from directory.openapi import build_openapi
from portal.page_cache import public_page

# A slug or a uuid: anything else cannot name an organisation and never reaches the database.
_KEY = re.compile(r"[-a-zA-Z0-9_]+")
_MAX_SEARCH = 200
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False, "": False}


def _json(data, status=200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    # Open data: any site may read it (read-only, no cookies involved).
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error(message: str, status: int, fields: dict | None = None) -> JsonResponse:
    return _json({"error": str(message), "fields": fields or {}}, status=status)


class BadParameter(Exception):
    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name
        self.message = message


# Every query parameter an API view here reads: the page cache passes only these to the view
# and keys on only these (portal/page_cache.py), so made-up parameters cannot fill the cache.
API_QUERY = [
    *DirectorySearchForm.base_fields,
    "search",
    "page",
    "per_page",
    "format",
    "full",
    "full_service",
    "minimal",
    "modified_after",
    "organization_id",
    "taxonomy_term_id",
    "taxonomy_id",
    "parent_id",
    "top_only",
]


def read_only(view):
    """GET and HEAD only; other methods get 405 with a JSON body (and no CSRF page, since
    nothing here writes). Anonymous GETs come from the shared page cache."""
    cached = public_page(view, query=API_QUERY)

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in {"GET", "HEAD"}:
            response = _error(_("This address is read-only: use GET."), 405)
            response["Allow"] = "GET, HEAD"
            return response
        try:
            response = cached(request, *args, **kwargs)
        except BadParameter as error:
            response = _error(_("Invalid query."), 400, {error.name: [str(error.message)]})
        if request.method == "HEAD":
            length = len(response.content)
            response.content = b""
            response["Content-Length"] = str(length)
        return response

    return wrapper


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _text(request, name: str) -> str:
    value = request.GET.get(name, "")
    if "\x00" in value:
        raise BadParameter(name, _("The text contains a character that is not allowed."))
    if len(value) > _MAX_SEARCH:
        raise BadParameter(name, _("At most %(count)d characters.") % {"count": _MAX_SEARCH})
    return value.strip()


def _int(request, name: str, default: int, high: int) -> int:
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= high:
        raise BadParameter(name, _("A whole number from 1 to %(high)d.") % {"high": high})
    return value


def _bool(request, name: str) -> bool:
    raw = request.GET.get(name, "").lower()
    if raw not in _BOOLEANS:
        raise BadParameter(name, _("true or false."))
    return _BOOLEANS[raw]


def _uuid(request, name: str) -> str:
    raw = request.GET.get(name, "")
    if raw == "":
        return ""
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        raise BadParameter(name, _("An id (uuid).")) from None


def _modified_after(request):
    raw = request.GET.get("modified_after", "")
    if raw == "":
        return None
    try:
        moment = parse_datetime(raw)
        if moment is None and parse_date(raw) is not None:
            moment = parse_datetime(raw + "T00:00:00Z")
    except ValueError:
        moment = None
    if moment is None:
        raise BadParameter("modified_after", _("A date and time, e.g. 2026-01-31T12:00:00Z."))
    try:
        if moment.tzinfo is None:
            moment = timezone.make_aware(moment)
        # In UTC: the database need not understand odd offsets such as -20:13.
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise BadParameter(
            "modified_after", _("A date and time, e.g. 2026-01-31T12:00:00Z.")
        ) from None


def _format(request) -> None:
    if request.GET.get("format", "json") not in {"json", ""}:
        raise BadParameter("format", _("Only json is offered."))


def _page(request, items, to_json) -> JsonResponse:
    """The HSDS page envelope over a queryset or a list."""
    _format(request)
    number = _int(request, "page", 1, MAX_PAGE)
    size = _int(request, "per_page", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    paginator = Paginator(items, size)
    try:
        contents = [to_json(item) for item in paginator.page(number)]
    except EmptyPage:
        contents = []
    total_pages = paginator.num_pages if paginator.count else 0
    return _json(
        {
            "total_items": paginator.count,
            "total_pages": total_pages,
            "page_number": number,
            "size": len(contents),
            "first_page": number == 1,
            "last_page": number >= total_pages,
            "empty": not contents,
            "contents": contents,
        }
    )


def _not_found() -> JsonResponse:
    return _error(_("Not found."), 404)


# --- Index, profile, OpenAPI ------------------------------------------------------------------


@read_only
def index(request):
    base = _base_url(request)
    return _json(
        {
            "version": hsds.HSDS_VERSION,
            "profile": base + reverse("directory_api:profile"),
            "openapi_url": base + reverse("directory_api:openapi"),
        }
    )


@read_only
def profile(request):
    return _json(hsds.PROFILE)


@read_only
def openapi(request):
    return _json(build_openapi(server_url=_base_url(request)))


# --- Organisations ----------------------------------------------------------------------------


@read_only
def organization_list(request):
    # HSDS `search`; `q` and the directory's filters (our profile) are read as before.
    data = request.GET.copy()
    data["q"] = _text(request, "search") or _text(request, "q")
    form = DirectorySearchForm(data)
    if not form.is_valid():
        return _error(_("Invalid query."), 400, {k: list(v) for k, v in form.errors.items()})
    full = _bool(request, "full")
    full_service = _bool(request, "full_service")
    query = form.directory_query()
    if selectors.unknown_filter_codes(query):
        matched = selectors.organisation_public().none()
    else:
        matched = selectors.organisation_search(query)
    base = _base_url(request)
    unfiltered = query.is_empty
    if full or full_service:
        return _page(
            request,
            _counted(selectors.organisation_with_details(matched), "organisations", unfiltered),
            lambda org: hsds.organization_json(org, base, full_service=full_service),
        )
    # The list items from plain values (selectors.OrganisationApiRows), not from
    # organisation_with_details' model instances: the same items in 4 statements, not 12.
    rows = selectors.OrganisationApiRows(matched, hsds.ORGANIZATION_LIST_FIELDS)
    return _page(
        request,
        _counted(rows, "organisations", unfiltered),
        lambda row: hsds.organization_list_row_json(row, base),
    )


def _counted(items, name: str, unfiltered: bool):
    """A list without filters keeps its count in the cache (selectors.count_cached), under
    the content version that every write to a directory table moves: always exact."""
    if not unfiltered:
        return items
    return selectors.Counted(items, lambda: selectors.count_cached(name, items.count))


@read_only
def organization_detail(request, key):
    if len(key) > 120 or not _KEY.fullmatch(key):
        return _not_found()
    full_service = _bool(request, "full_service")
    organisation = selectors.organisation_find_public(key)
    if organisation is None:
        return _not_found()
    return _json(
        hsds.organization_json(organisation, _base_url(request), full_service=full_service)
    )


def organisations_moved(request, key=None):
    """The paths before HSDS 3 naming: permanently moved, query string kept."""
    target = (
        reverse("directory_api:organization", args=[key])
        if key is not None
        else reverse("directory_api:organizations")
    )
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)


# --- Services -------------------------------------------------------------------------------


def _service_filters(request) -> selectors.OfferApiQuery:
    return selectors.OfferApiQuery(
        q=_text(request, "search"),
        organisation_id=_uuid(request, "organization_id"),
        term=_term(request),
        taxonomy=_taxonomy(request),
        modified_after=_modified_after(request),
    )


def _term(request) -> hsds.Term | None:
    wanted = _uuid(request, "taxonomy_term_id")
    if not wanted:
        return None
    found = next((t for t in hsds.terms_all() if t.id == wanted), None)
    # An unknown term matches nothing, like an unknown filter code.
    return found or hsds.Term("", "", "")


def _taxonomy(request) -> str | None:
    wanted = _uuid(request, "taxonomy_id")
    if not wanted:
        return None
    return next((code for code in hsds.TAXONOMIES if hsds.taxonomy_id(code) == wanted), "")


@read_only
def service_list(request):
    query = _service_filters(request)
    minimal, full = _bool(request, "minimal"), _bool(request, "full")
    offers = selectors.offer_api_search(query)
    unfiltered = query == selectors.OfferApiQuery()
    base = _base_url(request)
    if minimal:
        return _page(request, _counted(offers, "offers", unfiltered), hsds.service_minimal_json)
    if full:
        return _page(
            request,
            _counted(selectors.offer_with_details(offers), "offers", unfiltered),
            lambda o: hsds.service_json(o, base),
        )
    # Plain values, not offers and organisations as model instances (one statement as before).
    rows = offers.values(
        *hsds.SERVICE_LIST_FIELDS,
        organisation_uuid=F("organisation__uuid"),
        organisation_email=F("organisation__email"),
    )
    return _page(
        request,
        _counted(rows, "offers", unfiltered),
        lambda row: hsds.service_list_row_json(hsds.ServiceRow(**row), base),
    )


@read_only
def service_detail(request, key):
    offer = selectors.offer_find_public(key)
    if offer is None:
        return _not_found()
    return _json(hsds.service_json(offer, _base_url(request)))


@read_only
def service_at_location_list(request):
    query = _service_filters(request)
    full = _bool(request, "full")
    # The location (its id too) is the organisation's when the offer names none, and
    # needs its municipalities' county: prefetched for the short list as well, or every
    # row would read them (one statement per offer).
    offers = (
        selectors.offer_api_search(query)
        .select_related("organisation", "organisation__legal_form")
        .prefetch_related("organisation__municipalities__region")
    )
    base = _base_url(request)
    return _page(
        request,
        _counted(offers, "offers", query == selectors.OfferApiQuery()),
        lambda o: hsds.service_at_location_json(o, base, full=full),
    )


@read_only
def service_at_location_detail(request, key):
    try:
        wanted = str(uuid.UUID(key))
    except ValueError:
        return _not_found()
    offer = selectors.offer_by_service_at_location(wanted)
    if offer is None:
        return _not_found()
    return _json(hsds.service_at_location_json(offer, _base_url(request)))


# --- Taxonomies -----------------------------------------------------------------------------


def _matches(text: str, *values: str) -> bool:
    from directory.services import normalise

    folded = normalise(text)
    return all(any(word in normalise(v) for v in values) for word in folded.split())


@read_only
def taxonomy_list(request):
    search = _text(request, "search")
    base = _base_url(request)
    taxonomies = [hsds.taxonomy_json(code, base) for code in hsds.TAXONOMIES]
    if search:
        taxonomies = [t for t in taxonomies if _matches(search, t["name"], t["description"])]
    return _page(request, taxonomies, lambda item: item)


@read_only
def taxonomy_detail(request, key):
    base = _base_url(request)
    for code in hsds.TAXONOMIES:
        if hsds.taxonomy_id(code) == key:
            return _json(hsds.taxonomy_json(code, base))
    return _not_found()


@read_only
def taxonomy_term_list(request):
    search = _text(request, "search")
    taxonomy = _uuid(request, "taxonomy_id")
    parent = _uuid(request, "parent_id")
    top_only = _bool(request, "top_only")
    terms = hsds.terms_all()
    if taxonomy:
        terms = [t for t in terms if hsds.taxonomy_id(t.taxonomy) == taxonomy]
    if parent:
        terms = [t for t in terms if t.parent and hsds.term_id(t.taxonomy, t.parent) == parent]
    if top_only:
        terms = [t for t in terms if not t.parent]
    if search:
        terms = [t for t in terms if _matches(search, t.name, t.code)]
    return _page(request, terms, hsds.term_json)


@read_only
def taxonomy_term_detail(request, key):
    for term in hsds.terms_all():
        if term.id == key:
            return _json(hsds.term_json(term))
    return _not_found()
