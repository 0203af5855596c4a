"""The OpenAPI 3.1 description of the portal's public JSON (served as openapi.json).

The directory's part follows the Open Referral HSDS 3.0.1 OpenAPI description: the same
paths and parameters, and its response schemas are the official HSDS table schemas
(vendored in directory/hsds/), bundled here as components. The council's, workshops' and
agreements' public JSON are described too. Tests run schemathesis over this whole document,
so what it promises and what the portal answers cannot drift apart.
"""

import json
from functools import cache
from pathlib import Path

from directory.api_constants import MAX_PAGE, MAX_PAGE_SIZE

HSDS_DIR = Path(__file__).parent / "hsds"
STRING = {"type": "string"}
ID = {"type": "string", "format": "uuid"}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _rewrite_refs(node):
    """`"$ref": "phone.json"` (a sibling file) becomes a reference to the component."""
    if isinstance(node, dict):
        return {
            key: (
                f"#/components/schemas/{value.removesuffix('.json')}"
                if key == "$ref" and isinstance(value, str) and value.endswith(".json")
                else _rewrite_refs(value)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rewrite_refs(item) for item in node]
    return node


@cache
def hsds_schemas() -> dict:
    schemas = {}
    for path in sorted(HSDS_DIR.glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        # Keep what JSON Schema reads; the data-package keys are documentation.
        for key in ("path", "datapackage_metadata", "tabular_required"):
            schema.pop(key, None)
        schemas[path.stem] = _rewrite_refs(schema)
    return schemas


def _object(properties: dict, required: list[str] | None = None) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": required if required is not None else list(properties),
    }


def _array(item: dict) -> dict:
    return {"type": "array", "items": item}


OWN_SCHEMAS = {
    "Page": _object(
        {
            "total_items": {"type": "integer", "minimum": 0},
            "total_pages": {"type": "integer", "minimum": 0},
            "page_number": {"type": "integer", "minimum": 1},
            "size": {"type": "integer", "minimum": 0},
            "first_page": {"type": "boolean"},
            "last_page": {"type": "boolean"},
            "empty": {"type": "boolean"},
            "contents": {"type": "array"},
        }
    ),
    "Error": _object(
        {"error": STRING, "fields": {"type": "object", "additionalProperties": _array(STRING)}}
    ),
    "Index": _object(
        {
            "version": STRING,
            "profile": {"type": "string", "format": "uri"},
            "openapi_url": {"type": "string", "format": "uri"},
        }
    ),
    "Profile": _object(
        {
            "name": STRING,
            "title": STRING,
            "hsds_version": STRING,
            "description": STRING,
            "extensions": {"type": "object"},
            "taxonomies": {"type": "object", "additionalProperties": STRING},
        }
    ),
    # The profile's extension properties on an organization (see directory/hsds.py).
    "OrganizationExtension": _object(
        {
            "slug": STRING,
            "sector": {"enum": ["civil_society", "public", "business", "academia"]},
            "legal_form": STRING,
            "is_umbrella": {"type": "boolean"},
            "member_of": _array(ID),
            "members": _array(ID),
            "last_confirmed": STRING,
            "possibly_outdated": {"type": "boolean"},
        }
    ),
    "ServiceMinimal": _object(
        {"id": ID, "last_modified": {"type": "string", "format": "date-time"}}
    ),
    "ApiError": {
        "type": "object",
        "properties": {"error": STRING, "detail": STRING},
        "required": ["error"],
    },
    "CouncilComposition": {
        "type": "object",
        "properties": {"on": {"type": "string", "format": "date"}},
        "required": ["on"],
    },
    "Workshop": {
        "type": "object",
        "properties": {"id": {"type": "integer"}, "title": STRING, "stats_url": STRING},
        "required": ["id", "title", "stats_url"],
    },
    "WorkshopList": _object(
        {
            "count": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "pages": {"type": "integer", "minimum": 0},
            "results": _array(_ref("Workshop")),
        }
    ),
    "Agreement": {
        "type": "object",
        "properties": {"id": {"type": "integer"}},
        "required": ["id"],
    },
    "AgreementList": {
        "type": "object",
        "properties": {
            "count": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "pages": {"type": "integer", "minimum": 0},
            "next": {"type": ["integer", "null"]},
            "results": _array(_ref("Agreement")),
        },
        "required": ["count", "page", "pages", "results"],
    },
}


def _param(name: str, description: str, schema: dict, where: str = "query") -> dict:
    return {
        "name": name,
        "in": where,
        "required": where == "path",
        "description": description,
        "schema": schema,
    }


P = {
    "search": _param(
        "search",
        "Full text search (Swedish stemming; typos and missing å/ä/ö forgiven).",
        {"type": "string", "maxLength": 200},
    ),
    "page": _param("page", "Page number.", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}),
    "per_page": _param(
        "per_page",
        "Results per page.",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
    ),
    "format": _param("format", "Only `json` is offered.", {"type": "string", "enum": ["json"]}),
    "taxonomy_term_id": _param(
        "taxonomy_term_id",
        "Services with this taxonomy term.",
        {"type": "string", "format": "uuid"},
    ),
    "taxonomy_id": _param(
        "taxonomy_id",
        "Services with any term of this taxonomy.",
        {"type": "string", "format": "uuid"},
    ),
    "organization_id": _param(
        "organization_id",
        "Services of this organization.",
        {"type": "string", "format": "uuid"},
    ),
    "modified_after": _param(
        "modified_after",
        "Changed on or after this date and time (ISO 8601).",
        {"type": "string", "format": "date-time"},
    ),
    "minimal": _param("minimal", "Only each service's id and last_modified.", {"type": "boolean"}),
    "full": _param("full", "Fully nested records in the list.", {"type": "boolean"}),
    "full_service": _param(
        "full_service", "The organization's services in full.", {"type": "boolean"}
    ),
    "top_only": _param("top_only", "Only terms without a parent.", {"type": "boolean"}),
    "parent_id": _param(
        "parent_id", "Only the children of this term.", {"type": "string", "format": "uuid"}
    ),
}


def _code(name: str, description: str) -> dict:
    return _param(
        name,
        description + " Profile parameter; an unknown code gives an empty result.",
        {"type": "string", "maxLength": 40},
    )


def _id_param(description: str) -> dict:
    return _param("id", description, {"type": "string", "minLength": 1}, where="path")


def _response(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _page_of(item: dict) -> dict:
    return {
        "allOf": [_ref("Page")],
        "properties": {"contents": _array(item)},
    }


_BAD = {"400": _response("The query could not be read", _ref("Error"))}
_MISSING = {"404": _response("Not found", _ref("Error"))}


def _get(operation_id: str, summary: str, parameters: list, responses: dict) -> dict:
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "parameters": parameters,
            # Any path or parameter with a control character is refused at the edge with 400
            # (portal.middleware), before the operation runs: every operation can answer it.
            "responses": {**_BAD, **responses},
        }
    }


def _organization(list_item: bool) -> dict:
    return {
        "allOf": [
            _ref("organization_list" if list_item else "organization"),
            _ref("OrganizationExtension"),
        ]
    }


def directory_paths() -> dict:
    listing = [P["search"], P["page"], P["per_page"], P["format"]]
    service_filters = [
        P["taxonomy_term_id"],
        P["taxonomy_id"],
        P["organization_id"],
        P["modified_after"],
    ]
    return {
        "/api/directory/": _get(
            "getIndex",
            "HSDS version, profile and the address of this description",
            [],
            {"200": _response("About this API", _ref("Index"))},
        ),
        "/api/directory/profile": _get(
            "getProfile",
            "Our HSDS profile: the extension properties and taxonomies",
            [],
            {"200": _response("The profile", _ref("Profile"))},
        ),
        "/api/directory/openapi.json": _get(
            "getOpenApi",
            "This description",
            [],
            {"200": _response("OpenAPI 3.1", {"type": "object"})},
        ),
        "/api/directory/organizations": _get(
            "listOrganizations",
            "Published organizations (HSDS organization_list)",
            [
                *listing,
                P["full"],
                P["full_service"],
                _param(
                    "q", "The same as search (older name).", {"type": "string", "maxLength": 200}
                ),
                _code("sector", "Sector code, e.g. civil_society."),
                _code("municipality", "Four-digit municipality code."),
                _code("area", "Area of activity code."),
                _code("target_group", "Target group code."),
            ],
            {"200": _response("One page", _page_of(_organization(True))), **_BAD},
        ),
        "/api/directory/organizations/{id}": {
            "parameters": [_id_param("The organization's id (uuid) or its slug.")],
            **_get(
                "getOrganization",
                "One organization in full (HSDS organization)",
                [P["full_service"]],
                {"200": _response("The organization", _organization(False)), **_BAD, **_MISSING},
            ),
        },
        "/api/directory/services": _get(
            "listServices",
            "Active offers of published organizations (HSDS service_list)",
            [*listing, *service_filters, P["minimal"], P["full"]],
            {
                "200": _response(
                    "One page",
                    _page_of(
                        {"anyOf": [_ref("service_list"), _ref("ServiceMinimal"), _ref("service")]}
                    ),
                ),
                **_BAD,
            },
        ),
        "/api/directory/services/{id}": {
            "parameters": [_id_param("The service's id (uuid).")],
            **_get(
                "getService",
                "One offer in full (HSDS service)",
                [],
                {"200": _response("The service", _ref("service")), **_MISSING},
            ),
        },
        "/api/directory/service_at_locations": _get(
            "listServiceAtLocations",
            "Where each offer is given (one per offer, sharing its id)",
            [*listing, *service_filters, P["full"]],
            {"200": _response("One page", _page_of(_ref("service_at_location"))), **_BAD},
        ),
        "/api/directory/service_at_locations/{id}": {
            "parameters": [_id_param("The service_at_location's id (uuid).")],
            **_get(
                "getServiceAtLocation",
                "One service_at_location with its location and schedule",
                [],
                {
                    "200": _response("The service_at_location", _ref("service_at_location")),
                    **_MISSING,
                },
            ),
        },
        "/api/directory/taxonomies": _get(
            "listTaxonomies",
            "The vocabularies the directory classifies with",
            listing,
            {"200": _response("One page", _page_of(_ref("taxonomy"))), **_BAD},
        ),
        "/api/directory/taxonomies/{id}": {
            "parameters": [_id_param("The taxonomy's id (uuid).")],
            **_get(
                "getTaxonomy",
                "One taxonomy",
                [],
                {"200": _response("The taxonomy", _ref("taxonomy")), **_MISSING},
            ),
        },
        "/api/directory/taxonomy_terms": _get(
            "listTaxonomyTerms",
            "Terms of the taxonomies (municipalities have their county as parent)",
            [
                *listing,
                _param(
                    "taxonomy_id", "Terms of this taxonomy.", {"type": "string", "format": "uuid"}
                ),
                P["top_only"],
                P["parent_id"],
            ],
            {"200": _response("One page", _page_of(_ref("taxonomy_term"))), **_BAD},
        ),
        "/api/directory/taxonomy_terms/{id}": {
            "parameters": [_id_param("The term's id (uuid).")],
            **_get(
                "getTaxonomyTerm",
                "One taxonomy term",
                [],
                {"200": _response("The term", _ref("taxonomy_term")), **_MISSING},
            ),
        },
    }


def _not_found_any() -> dict:
    """A 404 from the view (JSON) or from the router, for an id that is not a number (the
    site's HTML page)."""
    return {
        "description": "No such record",
        "content": {
            "application/json": {"schema": _ref("ApiError")},
            "text/html": {"schema": {"type": "string"}},
        },
    }


def other_paths() -> dict:
    """The public JSON of the other apps (read-only)."""
    positive = {"type": "integer", "minimum": 1, "maximum": 2_147_483_647}
    return {
        "/api/council/composition": _get(
            "getCouncilComposition",
            "The council's representatives by gender and sector, with the balance verdict",
            [
                _param(
                    "on",
                    "The date (YYYY-MM-DD); today if left out.",
                    {"type": "string", "format": "date"},
                )
            ],
            {
                "200": _response("The composition", _ref("CouncilComposition")),
                "400": _response("The date could not be read", _ref("ApiError")),
            },
        ),
        "/api/workshops/": _get(
            "listWorkshops",
            "Public workshops",
            [_param("page", "Page number.", positive)],
            {
                "200": _response("One page", _ref("WorkshopList")),
                "400": _response("Bad page number", _ref("ApiError")),
                "404": _response("No such page", _ref("ApiError")),
            },
        ),
        "/api/workshops/{id}/stats": {
            "parameters": [_param("id", "The workshop's id.", positive, where="path")],
            **_get(
                "getWorkshopStats",
                "Registered and attended, by gender and sector, with the balance verdict",
                [],
                {
                    "200": _response("The statistics", _ref("Workshop")),
                    "404": _not_found_any(),
                },
            ),
        },
        "/api/agreements/": _get(
            "listAgreements",
            "Local agreements: parties, phase and principle assessments",
            [_param("page", "Page number.", positive)],
            {
                "200": _response("One page", _ref("AgreementList")),
                "400": _response("No such page", _ref("ApiError")),
            },
        ),
        "/api/agreements/{id}": {
            "parameters": [_param("id", "The agreement's id.", positive, where="path")],
            **_get(
                "getAgreement",
                "One agreement with its phase history",
                [],
                {
                    "200": _response("The agreement", _ref("Agreement")),
                    "404": _not_found_any(),
                },
            ),
        },
    }


def build_openapi(*, server_url: str) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Samverkansrådet open data",
            "version": "2.0.0",
            "description": (
                "The organisation directory as an Open Referral HSDS 3.0.1 API (profile at "
                "/api/directory/profile), and the council's, workshops' and agreements' "
                "public JSON. Read-only: GET and HEAD; other methods get 405. Codes are stable."
            ),
        },
        "servers": [{"url": server_url}],
        "paths": {**directory_paths(), **other_paths()},
        "components": {"schemas": {**hsds_schemas(), **OWN_SCHEMAS}},
    }
