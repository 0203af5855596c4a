"""Reads shared by the directory's pages, API and export.

Every public read starts from `organisation_public()`: published organisations only, and
contact points only with recorded consent.
"""

import uuid
from dataclasses import dataclass, fields

from django.db import connection
from django.db.models import BooleanField, Count, FloatField, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL

from directory.models import (
    Area,
    ContactRole,
    Municipality,
    Offer,
    Organisation,
    OrganisationChange,
    Person,
    Sector,
    Suggestion,
    TargetGroup,
)
from directory.services import normalise

# The filters of the list page and the API, each with its vocabulary and lookup.
FILTERS = {
    "sector": (Sector, "sector__code"),
    "municipality": (Municipality, "municipalities__code"),
    "area": (Area, "areas__code"),
    "target_group": (TargetGroup, "target_groups__code"),
}


@dataclass(frozen=True)
class DirectoryQuery:
    """What a visitor asked for: free text and one code per filter ('' for none)."""

    q: str = ""
    sector: str = ""
    municipality: str = ""
    area: str = ""
    target_group: str = ""

    def without(self, name: str) -> "DirectoryQuery":
        return DirectoryQuery(**{**self.as_dict(), name: ""})

    def as_dict(self) -> dict:
        return {field.name: getattr(self, field.name) for field in fields(self)}

    @property
    def is_empty(self) -> bool:
        return not any(self.as_dict().values())


def organisation_public() -> QuerySet[Organisation]:
    return Organisation.objects.filter(state=Organisation.State.PUBLISHED)


def organisation_count_published() -> int:
    """For the home page: how many organisations the public directory lists."""
    return organisation_public().count()


def _apply_text(queryset: QuerySet, q: str, *, rank: bool) -> QuerySet:
    q = q.strip()
    if not q:
        return queryset
    folded = normalise(q)
    if connection.vendor == "postgresql":
        # Full text (Swedish stemming, weighted: name, city, description) OR a trigram word
        # match on the folded name, which forgives typos and a missing å/ä/ö. Both use an index.
        match = RawSQL(
            "(directory_organisation.search_vector @@ websearch_to_tsquery('swedish', %s)"
            " OR %s <%% directory_organisation.name_normalised)",
            [q, folded],
            output_field=BooleanField(),
        )
        queryset = queryset.filter(match)
        if rank:
            score = RawSQL(
                "ts_rank(directory_organisation.search_vector, websearch_to_tsquery('swedish', %s))"
                " + word_similarity(%s, directory_organisation.name_normalised)",
                [q, folded],
                output_field=FloatField(),
            )
            queryset = queryset.annotate(rank=score).order_by("-rank", "name_normalised", "id")
        return queryset
    # SQLite (embedded run): every word must appear somewhere, å/ä/ö folded on the name.
    for word in q.split()[:10]:
        queryset = queryset.filter(
            Q(name_normalised__contains=normalise(word))
            | Q(alternate_name__icontains=word)
            | Q(city__icontains=word)
            | Q(description__icontains=word)
        )
    return queryset


def _apply_filters(queryset: QuerySet, query: DirectoryQuery) -> QuerySet:
    for name, (_model, lookup) in FILTERS.items():
        code = getattr(query, name)
        if code:
            queryset = queryset.filter(**{lookup: code})
    return queryset


def organisation_search(query: DirectoryQuery, *, rank: bool = True) -> QuerySet[Organisation]:
    """Published organisations matching the query, best match first (or by name)."""
    queryset = _apply_filters(organisation_public(), query)
    queryset = _apply_text(queryset, query.q, rank=rank)
    if not (rank and query.q.strip() and connection.vendor == "postgresql"):
        queryset = queryset.order_by("name_normalised", "id")
    return queryset


def organisation_list_page(queryset: QuerySet) -> QuerySet:
    """What a row of the list page shows, loaded in a fixed number of queries."""
    return queryset.select_related("sector", "legal_form").prefetch_related(
        Prefetch("municipalities", queryset=Municipality.objects.only("id", "code", "name"))
    )


def organisation_facets(query: DirectoryQuery) -> dict[str, list[dict]]:
    """For each filter, its values with the number of current results that have them.

    One statement: the matching organisations are selected once (a CTE, which the database
    materialises because it is used four times) and counted per sector, municipality, area
    and target group. Values with no result are left out except the one selected, and the
    sectors, which are few and always offered.
    """
    matched = (
        _apply_text(_apply_filters(organisation_public(), query), query.q, rank=False)
        .order_by()
        .values("id", "sector_id")
    )
    matched_sql, params = matched.query.sql_with_params()
    sql = f"""
        WITH matched AS ({matched_sql})
        SELECT 'sector', t.code, COUNT(*) FROM matched m
            JOIN directory_sector t ON t.id = m.sector_id GROUP BY t.code
        UNION ALL
        SELECT 'municipality', t.code, COUNT(*) FROM matched m
            JOIN directory_organisation_municipalities l ON l.organisation_id = m.id
            JOIN directory_municipality t ON t.id = l.municipality_id GROUP BY t.code
        UNION ALL
        SELECT 'area', t.code, COUNT(*) FROM matched m
            JOIN directory_organisation_areas l ON l.organisation_id = m.id
            JOIN directory_area t ON t.id = l.area_id GROUP BY t.code
        UNION ALL
        SELECT 'target_group', t.code, COUNT(*) FROM matched m
            JOIN directory_organisation_target_groups l ON l.organisation_id = m.id
            JOIN directory_targetgroup t ON t.id = l.targetgroup_id GROUP BY t.code
    """  # noqa: S608 - the only interpolation is the ORM's own compiled, parametrised SQL
    counts: dict[str, dict[str, int]] = {name: {} for name in FILTERS}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for name, code, count in cursor.fetchall():
            counts[name][code] = count
    facets = {}
    for name, (model, _lookup) in FILTERS.items():
        selected = getattr(query, name)
        facets[name] = [
            {"code": term.code, "label": term.label, "count": counts[name].get(term.code, 0)}
            for term in model.objects.all()
            if counts[name].get(term.code) or term.code == selected or name == "sector"
        ]
    return facets


def unknown_filter_codes(query: DirectoryQuery) -> list[str]:
    """The filter names whose code is not in their vocabulary (for a clear message)."""
    unknown = []
    for name, (model, _lookup) in FILTERS.items():
        code = getattr(query, name)
        if code and not model.objects.filter(code=code).exists():
            unknown.append(name)
    return unknown


def _public_contacts() -> QuerySet[ContactRole]:
    return ContactRole.objects.filter(
        consent_given_at__isnull=False, person__erased_at__isnull=True
    ).select_related("person")


def organisation_detail_public() -> QuerySet[Organisation]:
    """Published organisations with everything their public page and API entry show."""
    return organisation_with_details(organisation_public())


def organisation_with_details(queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """Load what a public page or API entry shows, in a fixed number of queries."""
    published = organisation_public().only("id", "uuid", "name", "slug", "state")
    return queryset.select_related("sector", "legal_form").prefetch_related(
        "areas",
        "target_groups",
        Prefetch("municipalities", queryset=Municipality.objects.select_related("region")),
        Prefetch(
            "offers",
            queryset=Offer.objects.filter(is_active=True).prefetch_related(
                "target_groups", "areas", "municipalities"
            ),
            to_attr="active_offers",
        ),
        Prefetch("contact_roles", queryset=_public_contacts(), to_attr="public_contacts"),
        Prefetch(
            "members", queryset=published.order_by("name_normalised"), to_attr="members_public"
        ),
        Prefetch(
            "member_of", queryset=published.order_by("name_normalised"), to_attr="umbrellas_public"
        ),
    )


def organisation_find_public(key: str) -> Organisation | None:
    """One published organisation by slug or by its public id (uuid), fully loaded."""
    queryset = organisation_detail_public()
    try:
        return queryset.filter(uuid=uuid.UUID(key)).first()
    except (ValueError, AttributeError):
        return queryset.filter(slug=key).first()


# --- Editors and the secretariat ----------------------------------------------------------


def organisation_editable_by(user) -> QuerySet[Organisation]:
    """The organisations a user may edit: all for the secretariat, else their own."""
    from accounts.permissions import can

    queryset = Organisation.objects.select_related("sector", "legal_form")
    if can(user, "directory.change_organisation"):
        return queryset
    if not can(user, "directory.edit_own_organisation"):
        return queryset.none()
    return queryset.filter(editors=user)


def organisation_for_edit(user, slug: str) -> Organisation | None:
    return (
        organisation_editable_by(user)
        .prefetch_related(
            "areas",
            "target_groups",
            "municipalities",
            "member_of",
            Prefetch("offers", queryset=Offer.objects.order_by("title")),
            Prefetch(
                "contact_roles",
                queryset=ContactRole.objects.select_related("person"),
            ),
        )
        .filter(slug=slug)
        .first()
    )


def organisation_history(organisation: Organisation) -> QuerySet[OrganisationChange]:
    return organisation.changes.select_related("changed_by").order_by("-changed_at", "-id")


def suggestion_queue(*, state: str = Suggestion.State.PENDING) -> QuerySet[Suggestion]:
    return Suggestion.objects.filter(state=state).select_related(
        "organisation", "sector", "municipality", "decided_by", "created_organisation"
    )


def person_list() -> QuerySet[Person]:
    return (
        Person.objects.filter(erased_at__isnull=True)
        .annotate(role_count=Count("contact_roles"))
        .order_by("name", "id")
    )


def organisation_stale_count() -> int:
    from django.utils import timezone

    from directory.models import STALE_AFTER

    return organisation_public().filter(last_confirmed_at__lt=timezone.now() - STALE_AFTER).count()
