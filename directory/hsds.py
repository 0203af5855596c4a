"""The directory as Open Referral HSDS 3.0.1 objects (the open-data API's payloads).

An organisation is an HSDS `organization`, an offer a `service` with one
`service_at_location`. Our vocabularies are HSDS taxonomies whose terms reach records as
`attributes`. What HSDS has no field for is published twice: as attributes or metadata
where HSDS has a place (sector, legal form, municipalities served, last confirmed), and as
the extension properties of our profile (PROFILE below, served at /api/directory/profile).
Empty optional fields are left out rather than sent as null: HSDS types them as strings.
Sub-records get stable ids derived from their owner (uuid5), so they do not change
between calls.
"""

import functools
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from directory.models import (
    STALE_AFTER,
    Area,
    Language,
    LegalForm,
    Municipality,
    Region,
    Sector,
    TargetGroup,
)

HSDS_VERSION = "3.0.1"
_NAMESPACE = uuid.UUID("5b0c3a52-6f7e-4d3e-9b43-0d3b6b0c5e11")


def stable_id(*parts) -> str:
    return str(uuid.uuid5(_NAMESPACE, ":".join(str(part) for part in parts)))


def _language() -> str:
    return (get_language() or "sv")[:2]


def _put(data: dict, **optional) -> dict:
    """Add the optional fields that have a value (HSDS has no null strings)."""
    data.update({key: value for key, value in optional.items() if value not in (None, "")})
    return data


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# --- Taxonomies -----------------------------------------------------------------------------

# code: (name, description); the vocabularies of the directory plus two for access and cost.
TAXONOMIES = {
    "sector": (
        gettext_lazy("Sector"),
        gettext_lazy("The sector an organisation belongs to."),
    ),
    "legal_form": (
        gettext_lazy("Legal form"),
        gettext_lazy("The legal form of an organisation."),
    ),
    "area": (
        gettext_lazy("Area of activity"),
        gettext_lazy("What an organisation or an offer works with."),
    ),
    "target_group": (
        gettext_lazy("Target group"),
        gettext_lazy("Whom an organisation or an offer is for."),
    ),
    "municipality": (
        gettext_lazy("Municipality"),
        gettext_lazy(
            "Swedish counties and municipalities with their official codes (länskod, "
            "kommunkod); a municipality's parent is its county."
        ),
    ),
    "language": (
        gettext_lazy("Language"),
        gettext_lazy("Languages an offer is given in, with ISO 639 codes."),
    ),
    "cost": (gettext_lazy("Cost"), gettext_lazy("Whether an offer is free of charge.")),
    "referral": (
        gettext_lazy("Referral"),
        gettext_lazy("Whether an offer needs a referral."),
    ),
}
_FIXED_TERMS = {
    "cost": [("free", gettext_lazy("Free of charge")), ("fee", gettext_lazy("With a fee"))],
    "referral": [
        ("no_referral_needed", gettext_lazy("No referral needed")),
        ("referral_needed", gettext_lazy("Referral needed")),
    ],
}
_TERM_MODELS = {
    "sector": Sector,
    "legal_form": LegalForm,
    "area": Area,
    "target_group": TargetGroup,
    "language": Language,
}


@dataclass(frozen=True)
class Term:
    taxonomy: str
    code: str
    name: str
    parent: str = ""  # the parent term's code (a municipality's county)

    @property
    def id(self) -> str:
        return term_id(self.taxonomy, self.code)


# A term's and a taxonomy's ids depend on their codes alone: worked out once per process,
# not again (a SHA-1 each) for every attribute of every record.
@functools.cache
def term_id(taxonomy: str, code: str) -> str:
    return stable_id("term", taxonomy, code)


@functools.cache
def taxonomy_id(code: str) -> str:
    return stable_id("taxonomy", code)


def taxonomy_json(code: str, base_url: str) -> dict:
    name, description = TAXONOMIES[code]
    return {
        "id": taxonomy_id(code),
        "name": str(name),
        "description": str(description),
        "uri": f"{base_url}/api/directory/taxonomies/{taxonomy_id(code)}",
        "version": "1",
    }


def terms_all() -> list[Term]:
    """Every term of every taxonomy, in the taxonomies' order (a few hundred)."""
    terms = []
    for taxonomy in TAXONOMIES:
        model = _TERM_MODELS.get(taxonomy)
        if model is not None:
            terms += [Term(taxonomy, t.code, t.label) for t in model.objects.all()]
        elif taxonomy == "municipality":
            terms += [Term(taxonomy, r.code, r.name) for r in Region.objects.all()]
            terms += [
                Term(taxonomy, m.code, m.name, m.code[:2])
                for m in Municipality.objects.order_by("code")
            ]
        else:
            terms += [Term(taxonomy, code, str(label)) for code, label in _FIXED_TERMS[taxonomy]]
    return terms


def term_json(term: Term) -> dict:
    taxonomy_name, _description = TAXONOMIES[term.taxonomy]
    data = {
        "id": term.id,
        "code": term.code,
        "name": term.name,
        "description": _("%(term)s (%(taxonomy)s)")
        % {"term": term.name, "taxonomy": taxonomy_name},
        "taxonomy": str(taxonomy_name),
        "taxonomy_id": taxonomy_id(term.taxonomy),
        "language": _language(),
    }
    if term.parent:
        data["parent_id"] = term_id(term.taxonomy, term.parent)
    return data


def _attributes(owner_id: str, entity: str, terms: list[Term]) -> list[dict]:
    return [
        {
            "id": stable_id("attribute", owner_id, term.taxonomy, term.code),
            "link_id": owner_id,
            "link_type": term.taxonomy,
            "link_entity": entity,
            "taxonomy_term_id": term.id,
            "value": term.code,
            "taxonomy_term": term_json(term),
        }
        for term in terms
    ]


# --- Organisations --------------------------------------------------------------------------


# What an organisation's list item is made of, as `.values()` reads it (see
# selectors.organisation_api_rows); a model instance gives the same through `_list_row`.
ORGANIZATION_LIST_FIELDS = (
    "id",
    "uuid",
    "name",
    "description",
    "slug",
    "alternate_name",
    "email",
    "website",
    "organisation_number",
    "is_umbrella",
    "last_confirmed_at",
    "created_at",
)


def organization_list_json(organisation, base_url: str) -> dict:
    """The one-to-one fields (HSDS organization_list) plus our profile's extensions."""
    return organization_list_row_json(_list_row(organisation), base_url)


def _list_row(organisation) -> dict:
    """A model instance (with organisation_with_details' prefetches) as a list row."""
    row = {name: getattr(organisation, name) for name in ORGANIZATION_LIST_FIELDS}
    legal_form = organisation.legal_form
    row.update(
        sector_code=organisation.sector.code,
        legal_form_code=legal_form.code if legal_form else None,
        legal_form_label_sv=legal_form.label_sv if legal_form else None,
        legal_form_label_en=legal_form.label_en if legal_form else None,
        umbrellas=[u.uuid for u in getattr(organisation, "umbrellas_public", None) or []],
        members=[m.uuid for m in getattr(organisation, "members_public", None) or []],
    )
    return row


def organization_list_row_json(row: dict, base_url: str) -> dict:
    """`organization_list_json` from plain values: ORGANIZATION_LIST_FIELDS plus the sector
    and legal form codes and labels and the published umbrellas' and members' uuids."""
    umbrellas, legal_form = row["umbrellas"], row["legal_form_code"]
    english = _language() == "en"
    confirmed = row["last_confirmed_at"]
    data = _put(
        {
            "id": str(row["uuid"]),
            "name": row["name"],
            "description": row["description"],
            "uri": base_url + reverse("directory:detail", args=[row["slug"]]),
        },
        alternate_name=row["alternate_name"],
        email=row["email"],
        website=row["website"],
        tax_id=row["organisation_number"],
        legal_status=(
            (row["legal_form_label_en"] if english else row["legal_form_label_sv"])
            if legal_form
            else None
        ),
        parent_organization_id=str(umbrellas[0]) if umbrellas else None,
    )
    # Our profile's extension properties (see PROFILE).
    data.update(
        {
            "slug": row["slug"],
            "sector": row["sector_code"],
            "legal_form": legal_form or "",
            "is_umbrella": row["is_umbrella"],
            "member_of": [str(u) for u in umbrellas],
            "members": [str(m) for m in row["members"]],
            "last_confirmed": timezone.localdate(confirmed).isoformat() if confirmed else "",
            "possibly_outdated": (confirmed or row["created_at"]) < timezone.now() - STALE_AFTER,
        }
    )
    return data


def _organisation_terms(organisation) -> list[Term]:
    terms = [Term("sector", organisation.sector.code, organisation.sector.label)]
    if organisation.legal_form:
        terms.append(
            Term("legal_form", organisation.legal_form.code, organisation.legal_form.label)
        )
    terms += [Term("area", a.code, a.label) for a in organisation.areas.all()]
    terms += [Term("target_group", t.code, t.label) for t in organisation.target_groups.all()]
    terms += [
        Term("municipality", m.code, m.name, m.code[:2]) for m in organisation.municipalities.all()
    ]
    return terms


def _location(organisation) -> dict | None:
    org_id = str(organisation.uuid)
    has_address = organisation.street_address or organisation.city
    if not (has_address or organisation.accessibility):
        return None
    location_id = stable_id("location", org_id)
    municipalities = list(organisation.municipalities.all())
    county = municipalities[0].region.name if len(municipalities) >= 1 else ""
    location = {
        "id": location_id,
        "location_type": "physical",
        "organization_id": org_id,
        "name": organisation.name,
        "addresses": [],
        "accessibility": [],
    }
    if has_address:
        location["addresses"].append(
            {
                "id": stable_id("address", org_id),
                "location_id": location_id,
                "address_1": organisation.street_address,
                "city": organisation.city,
                "state_province": county,
                "postal_code": organisation.postal_code,
                "country": organisation.country,
                "address_type": "physical",
            }
        )
    if organisation.accessibility:
        location["accessibility"].append(
            {
                "id": stable_id("accessibility", org_id),
                "location_id": location_id,
                "description": organisation.accessibility,
            }
        )
    return location


def _contact(role, *, organisation_id: str = "", service_id: str = "") -> dict:
    contact_id = stable_id("contact", role.pk)
    data = _put(
        {"id": contact_id, "name": role.person.name, "title": role.title, "phones": []},
        organization_id=organisation_id,
        service_id=service_id,
        email=role.public_email,
    )
    if role.public_phone:
        data["phones"].append(
            {
                "id": stable_id("contact-phone", role.pk),
                "contact_id": contact_id,
                "number": role.public_phone,
                "type": "voice",
            }
        )
    return data


def _metadata(resource_id: str, resource_type: str, organisation) -> list[dict]:
    if not organisation.last_confirmed_at:
        return []
    day = timezone.localdate(organisation.last_confirmed_at).isoformat()
    return [
        {
            "id": stable_id("metadata", resource_id, "confirmed"),
            "resource_id": resource_id,
            "resource_type": resource_type,
            "last_action_date": day,
            "last_action_type": "confirmed",
            "field_name": "last_confirmed",
            "previous_value": "",
            "replacement_value": day,
            "updated_by": "directory",
        }
    ]


def organization_json(organisation, base_url: str, *, full_service: bool = False) -> dict:
    """The full record (HSDS organization), offers as list items or, asked for, in full."""
    org_id = str(organisation.uuid)
    data = organization_list_json(organisation, base_url)
    location = _location(organisation)
    data.update(
        {
            "phones": (
                [
                    {
                        "id": stable_id("phone", org_id),
                        "organization_id": org_id,
                        "number": organisation.phone,
                        "type": "voice",
                    }
                ]
                if organisation.phone
                else []
            ),
            "contacts": [
                _contact(role, organisation_id=org_id) for role in organisation.public_contacts
            ],
            "locations": [location] if location else [],
            "organization_identifiers": (
                [
                    {
                        "id": stable_id("identifier", org_id),
                        "organization_id": org_id,
                        "identifier_scheme": "SE-ON",
                        "identifier_type": "organisationsnummer",
                        "identifier": organisation.organisation_number,
                    }
                ]
                if organisation.organisation_number
                else []
            ),
            "services": [
                service_json(offer, base_url, organisation=organisation, nested=False)
                if full_service
                else service_list_json(offer, base_url, organisation=organisation)
                for offer in organisation.active_offers
            ],
            "attributes": _attributes(org_id, "organization", _organisation_terms(organisation)),
            "metadata": _metadata(org_id, "organization", organisation),
            "funding": [],
            "programs": [],
        }
    )
    return data


# --- Offers (services) ----------------------------------------------------------------------


def _offer_terms(offer) -> list[Term]:
    terms = [Term("area", a.code, a.label) for a in offer.areas.all()]
    terms += [Term("target_group", t.code, t.label) for t in offer.target_groups.all()]
    terms += [Term("municipality", m.code, m.name, m.code[:2]) for m in offer.municipalities.all()]
    terms += [Term("language", lang.code, lang.label) for lang in offer.languages.all()]
    cost = "free" if offer.is_free else "fee"
    terms.append(Term("cost", cost, str(dict(_FIXED_TERMS["cost"])[cost])))
    referral = "referral_needed" if offer.referral_required else "no_referral_needed"
    terms.append(Term("referral", referral, str(dict(_FIXED_TERMS["referral"])[referral])))
    return terms


def fees_text(offer) -> str:
    if offer.is_free:
        return offer.fees_description or _("Free of charge")
    return offer.fees_description or _("With a fee")


def eligibility_text(offer) -> str:
    referral = _("Referral needed.") if offer.referral_required else _("No referral needed.")
    return f"{offer.eligibility} {referral}".strip()


# What a service's list item is made of, as `.values()` reads it (the organisation's uuid and
# email come as organisation_uuid and organisation_email); a model gives the same through
# `_service_row`.
SERVICE_LIST_FIELDS = (
    "uuid",
    "title",
    "description",
    "is_active",
    "is_free",
    "fees_description",
    "eligibility",
    "referral_required",
    "updated_at",
    "url",
    "how_to_apply",
    "assured_at",
)


@dataclass(frozen=True)
class ServiceRow:
    """A service's list item as plain values (what `fees_text` and `eligibility_text` read
    has the model's names)."""

    uuid: uuid.UUID
    title: str
    description: str
    is_active: bool
    is_free: bool
    fees_description: str
    eligibility: str
    referral_required: bool
    updated_at: datetime
    url: str
    how_to_apply: str
    assured_at: object
    organisation_uuid: uuid.UUID
    organisation_email: str


def _service_row(offer, organisation) -> ServiceRow:
    return ServiceRow(
        **{name: getattr(offer, name) for name in SERVICE_LIST_FIELDS},
        organisation_uuid=organisation.uuid,
        organisation_email=organisation.email,
    )


def service_list_json(offer, base_url: str, *, organisation=None) -> dict:
    """The one-to-one fields of a service (HSDS service_list)."""
    return service_list_row_json(_service_row(offer, organisation or offer.organisation), base_url)


def service_list_row_json(row: ServiceRow, base_url: str) -> dict:
    """`service_list_json` from plain values (selectors.ServiceApiRows)."""
    return _put(
        {
            "id": str(row.uuid),
            "organization_id": str(row.organisation_uuid),
            "name": row.title,
            "description": row.description,
            "status": "active" if row.is_active else "inactive",
            "fees_description": fees_text(row),
            "eligibility_description": eligibility_text(row),
            "last_modified": _timestamp(row.updated_at),
        },
        url=row.url or (base_url + reverse("directory:offer_detail", args=[row.uuid])),
        application_process=row.how_to_apply,
        assured_date=row.assured_at.isoformat() if row.assured_at else None,
        assurer_email=row.organisation_email if row.assured_at else None,
    )


def _schedules(offer, service_id: str) -> list[dict]:
    if not (offer.schedule_frequency or offer.opens_at or offer.schedule_note):
        return []
    return [
        _put(
            {
                "id": stable_id("schedule", service_id),
                "service_id": service_id,
                "notes": _("Times are local time in Sweden (Europe/Stockholm)."),
            },
            freq=offer.schedule_frequency,
            wkst="MO" if offer.schedule_frequency else None,
            byday=offer.schedule_days,
            opens_at=offer.opens_at.strftime("%H:%M") if offer.opens_at else None,
            closes_at=offer.closes_at.strftime("%H:%M") if offer.closes_at else None,
            description=offer.schedule_note,
        )
    ]


def _service_location(offer, organisation) -> dict | None:
    """Where the offer is given: its own place if it names one, else the organisation's."""
    if offer.location:
        virtual = offer.location.strip().lower() in {"online", "digitalt", "på nätet"}
        return {
            "id": stable_id("offer-location", offer.uuid),
            "location_type": "virtual" if virtual else "physical",
            "organization_id": str(organisation.uuid),
            "name": offer.location,
        }
    return _location(organisation)


def service_at_location_json(offer, base_url: str, *, full: bool = True) -> dict:
    service_id = str(offer.uuid)
    location = _service_location(offer, offer.organisation)
    data = _put(
        # An offer has exactly one service_at_location; it shares the offer's id.
        {"id": service_id, "service_id": service_id},
        location_id=location["id"] if location else None,
        description=offer.title,
    )
    if full:
        data["schedules"] = _schedules(offer, service_id)
        if location:
            data["location"] = location
    return data


def service_json(offer, base_url: str, *, organisation=None, nested: bool = True) -> dict:
    """The full record (HSDS service); `nested` adds the organisation's one-to-one fields."""
    organisation = organisation or offer.organisation
    service_id = str(offer.uuid)
    data = service_list_json(offer, base_url, organisation=organisation)
    cost = {"id": stable_id("cost", service_id), "service_id": service_id, "currency": "SEK"}
    if offer.is_free:
        cost.update(amount=0, option=str(_("Free of charge")))
    elif offer.fees_description:
        cost["amount_description"] = offer.fees_description
    data.update(
        {
            "phones": [],
            "schedules": _schedules(offer, service_id),
            "service_areas": [
                {
                    "id": stable_id("area", service_id, m.code),
                    "service_id": service_id,
                    "name": m.name,
                    "description": _("%(municipality)s municipality, %(county)s")
                    % {"municipality": m.name, "county": m.region.name},
                }
                for m in offer.municipalities.all()
            ],
            "service_at_locations": [
                service_at_location_json(offer, base_url) if offer.organisation_id else {}
            ],
            "languages": [
                {
                    "id": stable_id("language", service_id, lang.code),
                    "service_id": service_id,
                    "name": lang.label,
                    "code": lang.code,
                }
                for lang in offer.languages.all()
            ],
            "cost_options": [cost],
            "contacts": [
                _contact(role, service_id=service_id)
                for role in getattr(offer, "public_contacts", [])
            ],
            "attributes": _attributes(service_id, "service", _offer_terms(offer)),
            "metadata": [],
            "funding": [],
            "required_documents": [],
        }
    )
    if nested:
        data["organization"] = organization_list_json(organisation, base_url)
    return data


def service_minimal_json(offer) -> dict:
    return {"id": str(offer.uuid), "last_modified": _timestamp(offer.updated_at)}


# --- Our profile ----------------------------------------------------------------------------

PROFILE = {
    "name": "samverkansradet",
    "title": "Samverkansrådet directory profile of HSDS 3.0.1",
    "hsds_version": HSDS_VERSION,
    "description": (
        "HSDS 3.0.1 unchanged, with extension properties on organization that carry what "
        "a Swedish cross-sector directory needs and HSDS has no field for. The same facts "
        "are also given the HSDS way where there is one: sector, legal form, areas, target "
        "groups and municipalities served as attributes (taxonomy terms), the last "
        "confirmation as a metadata entry, the first umbrella as parent_organization_id."
    ),
    "extensions": {
        "organization": {
            "slug": {"type": "string", "description": "The address in the web directory."},
            "sector": {
                "type": "string",
                "enum": ["civil_society", "public", "business", "academia"],
                "description": "Sector code (also an attribute in the sector taxonomy).",
            },
            "legal_form": {"type": "string", "description": "Legal form code, or empty."},
            "is_umbrella": {
                "type": "boolean",
                "description": "Other organisations are members (paraplyorganisation).",
            },
            "member_of": {
                "type": "array",
                "items": {"type": "string", "format": "uuid"},
                "description": "Ids of the umbrella organisations it is a member of.",
            },
            "members": {
                "type": "array",
                "items": {"type": "string", "format": "uuid"},
                "description": "Ids of its published member organisations.",
            },
            "last_confirmed": {
                "type": "string",
                "description": "Date (YYYY-MM-DD) the entry was last confirmed, or empty.",
            },
            "possibly_outdated": {
                "type": "boolean",
                "description": "Not confirmed for twelve months.",
            },
        }
    },
    "taxonomies": {code: str(name) for code, (name, _d) in TAXONOMIES.items()},
}
