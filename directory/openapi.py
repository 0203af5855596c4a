"""The OpenAPI 3.1 description of the directory's open-data API (served as openapi.json).

Written by hand so that it states exactly what the API promises; tests validate every
response against it (schemathesis) so the two cannot drift apart.
"""

from directory.api_constants import MAX_PAGE, MAX_PAGE_SIZE

NULLABLE_STRING = {"type": ["string", "null"]}
STRING = {"type": "string"}
ID = {"type": "string", "format": "uuid"}


def _object(properties: dict, required: list[str] | None = None) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": required if required is not None else list(properties),
    }


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _array(item: dict) -> dict:
    return {"type": "array", "items": item}


SCHEMAS = {
    "TaxonomyTerm": _object(
        {
            "id": ID,
            "code": STRING,
            "name": STRING,
            "taxonomy": {
                "type": "string",
                "enum": ["sector", "legal_form", "area", "target_group"],
            },
            "language": STRING,
        }
    ),
    "Attribute": _object(
        {
            "id": ID,
            "link_id": ID,
            "link_type": STRING,
            "link_entity": {"type": "string", "enum": ["organization", "service"]},
            "value": STRING,
            "taxonomy_term": _ref("TaxonomyTerm"),
        }
    ),
    "Phone": _object({"id": ID, "number": STRING, "type": STRING}, ["id", "number"]),
    "Contact": _object(
        {
            "id": ID,
            "organization_id": ID,
            "name": STRING,
            "title": STRING,
            "email": NULLABLE_STRING,
            "phones": _array(_object({"id": ID, "number": STRING})),
        }
    ),
    "Address": _object(
        {
            "id": ID,
            "location_id": ID,
            "address_1": STRING,
            "city": STRING,
            "postal_code": STRING,
            "country": STRING,
            "address_type": STRING,
        }
    ),
    "Accessibility": _object({"id": ID, "location_id": ID, "description": STRING}),
    "Location": _object(
        {
            "id": ID,
            "location_type": STRING,
            "name": STRING,
            "addresses": _array(_ref("Address")),
            "accessibility": _array(_ref("Accessibility")),
        }
    ),
    "ServiceArea": _object({"id": ID, "name": STRING, "extent_type": STRING, "code": STRING}),
    "Service": _object(
        {
            "id": ID,
            "organization_id": ID,
            "name": STRING,
            "description": STRING,
            "url": NULLABLE_STRING,
            "application_process": STRING,
            "status": {"type": "string", "enum": ["active", "inactive"]},
            "service_areas": _array(_ref("ServiceArea")),
            "location_description": STRING,
            "attributes": _array(_ref("Attribute")),
        }
    ),
    "Municipality": _object(
        {
            "code": {"type": "string", "pattern": "^[0-9]{4}$"},
            "name": STRING,
            "region_code": {"type": "string", "pattern": "^[0-9]{2}$"},
        }
    ),
    "Organization": _object(
        {
            "id": ID,
            "name": STRING,
            "alternate_name": NULLABLE_STRING,
            "description": STRING,
            "email": NULLABLE_STRING,
            "website": NULLABLE_STRING,
            "tax_id": NULLABLE_STRING,
            "legal_status": NULLABLE_STRING,
            "uri": STRING,
            "parent_organization_id": {"type": ["string", "null"], "format": "uuid"},
            "slug": STRING,
            "sector": {
                "type": "string",
                "enum": ["civil_society", "public", "business", "academia"],
            },
            "legal_form": NULLABLE_STRING,
            "is_umbrella": {"type": "boolean"},
            "member_of": _array(ID),
            "members": _array(ID),
            "municipalities": _array(_ref("Municipality")),
            "last_confirmed": {"type": ["string", "null"], "format": "date"},
            "possibly_outdated": {"type": "boolean"},
            "phones": _array(_ref("Phone")),
            "contacts": _array(_ref("Contact")),
            "locations": _array(_ref("Location")),
            "services": _array(_ref("Service")),
            "attributes": _array(_ref("Attribute")),
        }
    ),
    "Page": _object(
        {
            "total_items": {"type": "integer", "minimum": 0},
            "total_pages": {"type": "integer", "minimum": 0},
            "page_number": {"type": "integer", "minimum": 1},
            "size": {"type": "integer", "minimum": 1},
            "first_page": {"type": "boolean"},
            "last_page": {"type": "boolean"},
            "empty": {"type": "boolean"},
            "contents": _array(_ref("Organization")),
        }
    ),
    "Error": _object(
        {"error": STRING, "fields": {"type": "object", "additionalProperties": _array(STRING)}}
    ),
}


def _code_parameter(name: str, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description + " An unknown code gives an empty result.",
        "schema": {"type": "string", "maxLength": 40},
    }


def _json_response(description: str, schema: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


def build_openapi(*, server_url: str) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Organisation directory (open data)",
            "version": "1.0.0",
            "description": (
                "Published organisations, their offers (services) and consented contact "
                "points, shaped after Open Referral HSDS 3. Codes are stable."
            ),
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/organisations": {
                "get": {
                    "operationId": "listOrganisations",
                    "summary": "Search and filter the directory",
                    "parameters": [
                        {
                            "name": "q",
                            "in": "query",
                            "required": False,
                            "description": "Free text; typos and missing å/ä/ö are forgiven.",
                            "schema": {"type": "string", "maxLength": 200},
                        },
                        _code_parameter("sector", "Sector code, e.g. civil_society."),
                        _code_parameter("municipality", "Four-digit municipality code."),
                        _code_parameter("area", "Area of activity code."),
                        _code_parameter("target_group", "Target group code."),
                        {
                            "name": "page",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
                        },
                        {
                            "name": "per_page",
                            "in": "query",
                            "required": False,
                            "schema": {
                                "type": "integer",
                                "minimum": 1,
                                "maximum": MAX_PAGE_SIZE,
                            },
                        },
                    ],
                    "responses": {
                        "200": _json_response("One page of organisations", "Page"),
                        "400": _json_response("The query could not be read", "Error"),
                    },
                }
            },
            "/organisations/{key}": {
                "get": {
                    "operationId": "getOrganisation",
                    "summary": "One organisation by id (uuid) or slug",
                    "parameters": [
                        {
                            "name": "key",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "minLength": 1},
                        }
                    ],
                    "responses": {
                        "200": _json_response("The organisation", "Organization"),
                        "404": _json_response("No published organisation", "Error"),
                    },
                }
            },
        },
        "components": {"schemas": SCHEMAS},
    }
