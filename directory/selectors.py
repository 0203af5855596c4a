"""Reads shared by the directory's pages, API and export.

Every public read starts from `organisation_public()`: published organisations only, and
contact points only with recorded consent.
"""

import functools
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, fields

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    BigIntegerField,
    BooleanField,
    CharField,
    Count,
    F,
    FloatField,
    IntegerField,
    Prefetch,
    QuerySet,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Collate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from directory.collation import SWEDISH_COLLATION
from directory.models import (
    STALE_AFTER,
    Area,
    ContactRole,
    Language,
    LegalForm,
    Municipality,
    Offer,
    Organisation,
    OrganisationChange,
    Person,
    Sector,
    Suggestion,
    TargetGroup,
)
from directory.services import normalise, person_subject
from portal import personal_data
from portal.compiled_queries import CompiledQuery, prefetched
from portal.page_cache import content_version

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


# A misspelt word may match this many words of the names (best first); more would only be
# ever weaker matches of the same word.
FUZZY_WORDS_PER_WORD = 50
# Only this many of the best full-text matches (by ts_rank, cheap) are re-ranked with the
# full score (ts_rank + trigram word similarity to the name); the rest follow by ts_rank.
RERANK_POOL = 200
_MAX_WORDS = 10

# The link tables on SQLite; on PostgreSQL the same ids are arrays on the row (migration 0004).
# Every SQL text built below from these constants passes user input only as parameters.
_LINKS = {
    "municipality": (
        "municipality_ids",
        "directory_organisation_municipalities",
        "municipality_id",
    ),
    "area": ("area_ids", "directory_organisation_areas", "area_id"),
    "target_group": (
        "target_group_ids",
        "directory_organisation_target_groups",
        "targetgroup_id",
    ),
}


@dataclass(frozen=True)
class _Text:
    """A search text prepared once per request: as typed, folded, and its typo alternatives."""

    q: str
    folded: str
    # A tsquery (text form) of name words similar to each typed word, or "" if some word has
    # none; empty on SQLite.
    fuzzy: str = ""


def _tsquery_lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _fuzzy_tsquery(folded: str, *, table: str = "directory_searchword", weight: str = ":A") -> str:
    """Name words similar to every typed word, as a tsquery on name (weight A) lexemes.

    Each typed word is compared with the words of all names (directory_searchword, trigram
    index) using the pg_trgm word similarity test `<%`, which the search used to run against
    every candidate name; every word must find a similar one (AND), any of them will do (OR).
    """
    words = list(dict.fromkeys(re.findall(r"\w+", folded)))[:_MAX_WORDS]
    if not words:
        return ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT ARRAY(
                SELECT s.word FROM {table} s WHERE w.word <%% s.word
                ORDER BY w.word <<-> s.word, s.word LIMIT %s)
            FROM unnest(%s::text[]) AS w(word)
            """,  # noqa: S608 - the table is one of two constants
            [FUZZY_WORDS_PER_WORD, words],
        )
        alternatives = [row[0] for row in cursor.fetchall()]
    if not all(alternatives):
        return ""
    return " & ".join(
        "(" + " | ".join(_tsquery_lexeme(word) + weight for word in similar) + ")"
        for similar in alternatives
    )


def _text(q: str) -> _Text | None:
    q = q.strip()
    if not q:
        return None
    folded = normalise(q)
    fuzzy = _fuzzy_tsquery(folded) if connection.vendor == "postgresql" else ""
    return _Text(q=q, folded=folded, fuzzy=fuzzy)


def _tsquery(text: _Text) -> tuple[str, list]:
    """The tsquery of a search (PostgreSQL) as SQL with its parameters.

    Full text (Swedish stemming, weighted: name, city, description) OR a name word similar
    to each typed word, which forgives typos and a missing å/ä/ö. One GIN lookup, no
    per-row trigram comparison."""
    if text.fuzzy:
        return "(websearch_to_tsquery('swedish', %s) || %s::tsquery)", [text.q, text.fuzzy]
    return "websearch_to_tsquery('swedish', %s)", [text.q]


def _apply_text(queryset: QuerySet, text: _Text | None, *, rank: bool) -> QuerySet:
    if text is None:
        return queryset
    if connection.vendor == "postgresql":
        tsquery, tsquery_params = _tsquery(text)
        queryset = queryset.filter(
            RawSQL(  # noqa: S611 - constant SQL, the text only as parameters
                f"directory_organisation.search_vector @@ {tsquery}",
                tsquery_params,
                output_field=BooleanField(),
            )
        )
        if rank:
            queryset = _rank(queryset, text, tsquery, tsquery_params)
        return queryset
    return _sqlite_text(queryset, text.folded, "directory_organisation")


# --- SQLite (the embedded run): FTS5 with the trigram tokenizer ------------------------------

# A typed word and a listed word are taken as the same word misspelt from this trigram
# similarity on (pg_trgm's measure: shared trigrams of the padded words over all of them).
SQLITE_SIMILARITY = 0.55
_SQLITE_CANDIDATES = 200


def _trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def trigram_similarity(a: str, b: str) -> float:
    first, second = _trigrams(a), _trigrams(b)
    return len(first & second) / len(first | second) if first and second else 0.0


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _sqlite_similar_words(word: str) -> list[str]:
    """Listed words within SQLITE_SIMILARITY of a typed word, from the FTS5 trigram word
    table: the candidates share trigrams with it (index lookup), the measure picks."""
    grams = [word[i : i + 3] for i in range(len(word) - 2)]
    if not grams:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM directory_searchword_fts WHERE directory_searchword_fts MATCH %s"
            " ORDER BY rank LIMIT %s",
            [" OR ".join(_fts_phrase(gram) for gram in dict.fromkeys(grams)), _SQLITE_CANDIDATES],
        )
        candidates = [row[0] for row in cursor.fetchall()]
    return [c for c in candidates if c != word and trigram_similarity(word, c) >= SQLITE_SIMILARITY]


def _sqlite_text(queryset: QuerySet, folded: str, table: str) -> QuerySet:
    """Every typed word must be in the text as a substring (so part of a compound word is
    found) or, from four letters on, one of its likely spellings. Words under three letters
    are too short for trigrams and are looked for with LIKE."""
    words = [w for w in re.findall(r"\w+", folded)][:_MAX_WORDS]
    if not words:
        return queryset
    terms, likes = [], []
    for word in words:
        if len(word) < 3:
            likes.append(f"%{word}%")
            continue
        spellings = [word] + (_sqlite_similar_words(word) if len(word) >= 4 else [])
        terms.append("(" + " OR ".join(_fts_phrase(w) for w in spellings) + ")")
    conditions, params = [], []
    if terms:
        conditions.append(f"{table}_fts MATCH %s")
        params.append(" AND ".join(terms))
    for like in likes:
        conditions.append("body LIKE %s")
        params.append(like)
    sql = f"{table}.id IN (SELECT rowid FROM {table}_fts WHERE {' AND '.join(conditions)})"  # noqa: S608
    return queryset.filter(RawSQL(sql, params, output_field=BooleanField()))  # noqa: S611


def _rank(queryset: QuerySet, text: _Text, tsquery: str, tsquery_params: list) -> QuerySet:
    """Best match first: the full score for the RERANK_POOL best by ts_rank, then the rest.

    The full score is ts_rank on the typed words plus the trigram word similarity of the
    folded text to the name. Computing it for every match of a broad word (thousands) was
    most of the page's time; ts_rank alone is cheap, and the full score only reorders
    names within the pool (a name match always outranks a description match in ts_rank).
    """
    cheap = f"ts_rank(directory_organisation.search_vector, {tsquery})"
    window = f"row_number() OVER (ORDER BY {cheap} DESC, directory_organisation.id)"
    full = (
        "ts_rank(directory_organisation.search_vector, websearch_to_tsquery('swedish', %s))"
        " + word_similarity(%s, directory_organisation.name_normalised)"
    )
    in_pool = RawSQL(  # noqa: S611 - constant SQL, the text only as parameters
        f"{window} <= {RERANK_POOL}", tsquery_params, output_field=BooleanField()
    )
    score = RawSQL(  # noqa: S611
        f"CASE WHEN {window} <= {RERANK_POOL} THEN {full} ELSE {cheap} END",
        [*tsquery_params, text.q, text.folded, *tsquery_params],
        output_field=FloatField(),
    )
    return queryset.annotate(rank_pool=in_pool, rank=score).order_by(
        "-rank_pool", "-rank", "name_normalised", "id"
    )


def _filter_ids(query: DirectoryQuery) -> dict[str, int | None]:
    """The id of each chosen filter value (None for an unknown code), in one statement.

    Filtering by id rather than by a join on the code lets the planner use its statistics
    for the value: a sector that most organisations have is then not intersected by index."""
    chosen = {name: getattr(query, name) for name in FILTERS if getattr(query, name)}
    if not chosen:
        return {}
    parts, params = [], []
    for name, code in chosen.items():
        table = FILTERS[name][0]._meta.db_table
        parts.append(f"SELECT CAST(%s AS text), id FROM {table} WHERE code = %s")  # noqa: S608
        params += [name, code]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        found = dict(cursor.fetchall())
    return {name: found.get(name) for name in chosen}


def _apply_filters(queryset: QuerySet, ids: dict[str, int | None]) -> QuerySet:
    if None in ids.values():
        return queryset.none()
    postgres = connection.vendor == "postgresql"
    for name, term_id in ids.items():
        if name == "sector":
            queryset = queryset.filter(sector_id=term_id)
        elif postgres:
            queryset = queryset.filter(
                RawSQL(  # noqa: S611 - constant SQL, the id only as a parameter
                    f"directory_organisation.{_LINKS[name][0]} @> ARRAY[%s]::bigint[]",
                    [term_id],
                    output_field=BooleanField(),
                )
            )
        else:
            queryset = queryset.filter(**{FILTERS[name][1].split("__")[0]: term_id})
    return queryset


def _by_name() -> list:
    """Alphabetical as a Swedish reader expects: Å, Ä and Ö after Z.

    PostgreSQL sorts with its ICU Swedish collation (indexed, migration 0005); on SQLite,
    the embedded run, directory/collation.py registers one under the same name.
    """
    return [Collate("name", SWEDISH_COLLATION).asc(), "id"]


def _search(
    ids: dict[str, int | None], text: _Text | None, *, rank: bool
) -> QuerySet[Organisation]:
    queryset = _apply_text(_apply_filters(organisation_public(), ids), text, rank=rank)
    if not (rank and text and connection.vendor == "postgresql"):
        queryset = queryset.order_by(*_by_name())
    return queryset


def organisation_search(query: DirectoryQuery, *, rank: bool = True) -> QuerySet[Organisation]:
    """Published organisations matching the query, best match first (or by name)."""
    return _search(_filter_ids(query), _text(query.q), rank=rank)


# --- The list page's statements on PostgreSQL, written out ----------------------------------
#
# The same conditions and order as `_search` (with `_apply_filters`, `_apply_text`, `_rank`)
# builds through the ORM, which the API and the CSV export keep using: as SQL text, since
# compiling those querysets (and loading the rows through `.values()`) cost the list page
# more Python time than a cheap search's SQL. tests/directory/test_list_statements.py
# compares both on the same data: same results, same order, same counts.


def _pg_where(ids: dict[str, int | None], text: _Text | None) -> tuple[str, list]:
    """The list page's WHERE on PostgreSQL: published, each chosen filter value, the words."""
    conditions = ["directory_organisation.state = %s"]
    params: list = [Organisation.State.PUBLISHED.value]
    for name, term_id in ids.items():
        if name == "sector":
            conditions.append("directory_organisation.sector_id = %s")
        else:
            conditions.append(f"directory_organisation.{_LINKS[name][0]} @> ARRAY[%s]::bigint[]")
        params.append(term_id)
    if text is not None:
        tsquery, tsquery_params = _tsquery(text)
        conditions.append(f"directory_organisation.search_vector @@ {tsquery}")
        params += tsquery_params
    return " AND ".join(conditions), params


def _pg_matches(ids: dict[str, int | None], text: _Text, *, facets: bool) -> tuple[str, list]:
    """The CTEs of a ranked search: `matches` (each with its ts_rank, and with `facets` what
    the counts read) read once, and `pool`, the RERANK_POOL best of them."""
    where, params = _pg_where(ids, text)
    tsquery, tsquery_params = _tsquery(text)
    counted = (
        ", directory_organisation.sector_id, directory_organisation.municipality_ids,"
        " directory_organisation.area_ids, directory_organisation.target_group_ids"
        if facets
        else ""
    )
    sql = f"""
        matches AS MATERIALIZED (
            SELECT directory_organisation.id, directory_organisation.name_normalised,
                   ts_rank(directory_organisation.search_vector, {tsquery}) AS cheap{counted}
            FROM directory_organisation WHERE {where}
        ), pool AS MATERIALIZED (
            SELECT matches.id, matches.name_normalised FROM matches
            ORDER BY matches.cheap DESC, matches.id LIMIT {RERANK_POOL}
        )
    """  # noqa: S608 - constants and the WHERE built above; user input only as parameters
    return sql, [*tsquery_params, *params]


# The order `_rank` gives, over `matches` and `pool`; parameters: the text, the folded text.
_RANKED = """
    SELECT x.id FROM (
        SELECT pool.id, 1 AS tier,
               ts_rank(v.search_vector, websearch_to_tsquery('swedish', %s))
               + word_similarity(%s, pool.name_normalised) AS rank,
               pool.name_normalised
        FROM pool JOIN directory_organisation v ON v.id = pool.id
        UNION ALL
        SELECT matches.id, 0, matches.cheap, matches.name_normalised FROM matches
        WHERE matches.id NOT IN (SELECT pool.id FROM pool)
    ) x ORDER BY x.tier DESC, x.rank DESC, x.name_normalised, x.id
"""


def _pg_ranked_ids(ids: dict[str, int | None], text: _Text | None) -> tuple[str, list]:
    """The matches' ids, best first (`_rank`) or by name without words (`_by_name`).

    The order `_rank` gives, computed narrower: the matches once with their ts_rank (id,
    folded name, rank), the pool as the RERANK_POOL best of them, whose full score reads the
    search vector again by id, then the rest by ts_rank. In `_rank`'s form the vector rode
    through the sort of every match (a broad word's 50,000 spilled it to disk) and the
    scan was read for the window and again for the score."""
    if text is None:
        where, params = _pg_where(ids, text)
        return (
            "SELECT directory_organisation.id FROM directory_organisation"  # noqa: S608
            f" WHERE {where} ORDER BY directory_organisation.name"
            f' COLLATE "{SWEDISH_COLLATION}", directory_organisation.id'
        ), params
    matches, params = _pg_matches(ids, text, facets=False)
    return f"WITH {matches} {_RANKED}", [*params, text.q, text.folded]


def _row_columns() -> str:
    """What a row of the list shows, for `o` (an organisation) in a statement."""
    label = _label_column()
    return f"""
        o.id, o.name, o.slug, o.is_umbrella, o.last_confirmed_at, o.created_at,
        s.{label}, l.{label},
        ARRAY(SELECT mu.name FROM directory_organisation_municipalities om
              JOIN directory_municipality mu ON mu.id = om.municipality_id
              WHERE om.organisation_id = o.id ORDER BY mu.name, mu.id)
    """  # noqa: S608 - constants only


# The page's ids (an array, in order) with their rows.
_PAGE_FROM = """
    FROM unnest(ARRAY({ranked} LIMIT %s OFFSET %s)) WITH ORDINALITY AS p(id, n)
    JOIN directory_organisation o ON o.id = p.id
    JOIN directory_sector s ON s.id = o.sector_id
    LEFT JOIN directory_legalform l ON l.id = o.legal_form_id
"""


def _pg_list_rows(
    ids: dict[str, int | None], text: _Text | None, offset: int, limit: int
) -> list["DirectoryRow"]:
    """One page of the list in one statement: the ranked ids of the page, and for each its
    row with the sector's and legal form's labels and the names of its municipalities."""
    ranked, params = _pg_ranked_ids(ids, text)
    sql = f"SELECT {_row_columns()} {_PAGE_FROM.format(ranked=ranked)} ORDER BY p.n"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        found = cursor.fetchall()
    stale_before, url = timezone.now() - STALE_AFTER, _detail_urls()
    return [_directory_row(*row, stale_before=stale_before, url=url) for row in found]


def _pg_search_page(
    ids: dict[str, int | None], text: _Text, offset: int, limit: int
) -> tuple[dict[str, dict[int, int]], list["DirectoryRow"]]:
    """A search's counts per filter value and one page of its rows, in one statement that
    reads the matches once (`_facet_counts` and `_pg_list_rows` each read them)."""
    matches, params = _pg_matches(ids, text, facets=True)
    sql = f"""
        WITH {matches}
        SELECT GROUPING(cs, cm, ca, ct), COALESCE(cs, cm, ca, ct), COUNT(*),
               NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
        FROM (
            SELECT unnest(ARRAY[matches.sector_id]) cs, unnest(matches.municipality_ids) cm,
                   unnest(matches.area_ids) ca, unnest(matches.target_group_ids) ct
            FROM matches
        ) y GROUP BY GROUPING SETS ((cs), (cm), (ca), (ct))
        UNION ALL
        SELECT -1, o.id, p.n, {_row_columns()} {_PAGE_FROM.format(ranked=_RANKED)}
    """  # noqa: S608 - constants and the statements built above; user input only as parameters
    counts: dict[str, dict[int, int]] = {name: {} for name in FILTERS}
    page = []
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, text.q, text.folded, limit, offset])
        for grouping, value, count, *row in cursor.fetchall():
            if grouping == -1:
                page.append((count, row))
            elif value is not None:
                counts[_FACET_SETS[grouping]][value] = count
    stale_before, url = timezone.now() - STALE_AFTER, _detail_urls()
    page.sort(key=lambda item: item[0])
    return counts, [_directory_row(*row, stale_before=stale_before, url=url) for _n, row in page]


def organisation_list_page(queryset: QuerySet) -> QuerySet:
    """What a row of the list page shows, loaded in a fixed number of queries."""
    return queryset.select_related("sector", "legal_form").prefetch_related(
        Prefetch("municipalities", queryset=Municipality.objects.only("id", "code", "name"))
    )


def organisation_export(queryset: QuerySet) -> QuerySet:
    """What a row of the CSV export shows: the list row's data plus the active offers."""
    return organisation_list_page(queryset).prefetch_related(
        Prefetch(
            "offers",
            queryset=Offer.objects.filter(is_active=True).only("id", "organisation_id", "title"),
            to_attr="active_offers",
        )
    )


@dataclass(frozen=True)
class DirectoryRow:
    """What a row of the list page shows, as plain values (no model instances)."""

    id: int
    name: str
    url: str
    sector_label: str
    legal_form_label: str
    is_umbrella: bool
    is_stale: bool
    municipalities: list[str]


def directory_rows(ids: list[int]) -> list[DirectoryRow]:
    """The list page's rows for these organisation ids, in that order, in two statements of
    plain values: building 20 organisations with their sector, legal form and municipalities
    as model instances (and the prefetch machinery) cost more than the SQL did."""
    label = _label_column()
    rows = {
        row["id"]: row
        for row in Organisation.objects.filter(pk__in=ids).values(
            "id",
            "name",
            "slug",
            "is_umbrella",
            "last_confirmed_at",
            "created_at",
            sector_label=F(f"sector__{label}"),
            legal_form_label=F(f"legal_form__{label}"),
        )
    }
    municipalities: dict[int, list[str]] = {pk: [] for pk in rows}
    links = (
        Organisation.municipalities.through.objects.filter(organisation_id__in=list(rows))
        .order_by("municipality__name", "municipality_id")
        .values_list("organisation_id", "municipality__name")
    )
    for organisation_id, name in links:
        municipalities[organisation_id].append(name)
    stale_before, url = timezone.now() - STALE_AFTER, _detail_urls()
    return [
        _directory_row(
            pk,
            row["name"],
            row["slug"],
            row["is_umbrella"],
            row["last_confirmed_at"],
            row["created_at"],
            row["sector_label"],
            row["legal_form_label"],
            municipalities[pk],
            stale_before=stale_before,
            url=url,
        )
        for pk in ids
        if (row := rows.get(pk)) is not None
    ]


def _directory_row(
    pk: int,
    name: str,
    slug: str,
    is_umbrella: bool,
    last_confirmed_at,
    created_at,
    sector_label: str,
    legal_form_label: str | None,
    municipalities: list[str],
    *,
    stale_before,
    url: Callable[[str], str],
) -> DirectoryRow:
    return DirectoryRow(
        id=pk,
        name=name,
        url=url(slug),
        sector_label=sector_label,
        legal_form_label=legal_form_label or "",
        is_umbrella=is_umbrella,
        is_stale=(last_confirmed_at or created_at) < stale_before,
        municipalities=municipalities,
    )


# What the `slug` path converter accepts, and what `reverse` writes as it is.
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def _detail_urls() -> Callable[[str], str]:
    """`reverse("directory:detail", args=[slug])` for the rows of a page: the address is
    reversed once and each slug put in its place (twenty reverses were a tenth of a list
    page's Python time). Anything but a plain slug still goes through `reverse`."""
    marker = "slug-in-its-place"
    before, _marker, after = reverse("directory:detail", args=[marker]).partition(marker)

    def url(slug: str) -> str:
        if _SLUG.fullmatch(slug):
            return f"{before}{slug}{after}"
        return reverse("directory:detail", args=[slug])

    return url


def _label_column() -> str:
    return "label_en" if (get_language() or "sv").startswith("en") else "label_sv"


class DirectoryResults:
    """The list page's results for a Paginator: the length is known (counted with the
    facets), and a slice runs the ranking over the matches returning only ids, then loads
    just those rows with what a row of the list shows. Sorting thousands of matches by
    rank is cheap when each carries an id and a score, not the whole organisation.

    `rows(offset, limit)` gives the rows of a slice: on PostgreSQL one statement
    (`_pg_list_rows`), on SQLite the ids from the ranked queryset, then `directory_rows`."""

    def __init__(self, rows: Callable[[int, int], list["DirectoryRow"]], total: int):
        self._rows = rows
        self._total = total

    def __len__(self) -> int:
        return self._total

    def __getitem__(self, index: slice) -> list[DirectoryRow]:
        if not isinstance(index, slice):
            raise TypeError("DirectoryResults only supports slices.")
        start, stop, _step = index.indices(self._total)
        return self._rows(start, stop - start) if stop > start else []


def _ranked_rows(ranked: QuerySet[Organisation]) -> Callable[[int, int], list[DirectoryRow]]:
    def rows(offset: int, limit: int) -> list[DirectoryRow]:
        ids = list(ranked.values_list("pk", flat=True)[offset : offset + limit])
        return directory_rows(ids) if ids else []

    return rows


@dataclass(frozen=True)
class DirectorySearch:
    """Everything the list page shows for a query: the ranked results to page through, their
    number and the counts per filter value."""

    results: DirectoryResults
    facets: dict[str, list[dict]]
    # The filters whose code is in no vocabulary (the page says so); nothing then matches.
    unknown: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return len(self.results)


def directory_search(
    query: DirectoryQuery, *, page: object = None, per_page: int = 20
) -> DirectorySearch:
    """The list page's reads: the filter ids and the text are prepared once, and one
    statement counts the results and every filter value (the total is the sum over sectors:
    every organisation has exactly one). On PostgreSQL a search with words reads the rows of
    the page asked for (`page`, as the Paginator will read it) in the same statement. The
    filter values and their ids come from the vocabularies, kept per content version."""
    version = content_version()
    vocabularies = _vocabularies(version=version)
    known = _known_codes(vocabularies)
    chosen = {name: getattr(query, name) for name in FILTERS}
    ids = {name: known.get((name, code)) for name, code in chosen.items() if code}
    unknown = tuple(name for name, term_id in ids.items() if term_id is None)
    if unknown:
        nothing = DirectoryResults(lambda offset, limit: [], 0)
        return DirectorySearch(results=nothing, facets={}, unknown=unknown)
    text = _text(query.q)
    if connection.vendor == "postgresql" and text is not None:
        offset = (_page_number(page) - 1) * per_page
        counts, first = _pg_search_page(ids, text, offset, per_page)
        rows = _prefetched(offset, first, functools.partial(_pg_list_rows, ids, text))
    else:
        counts = _facet_counts_cached(ids, text, version=version)
        if connection.vendor == "postgresql":
            rows = functools.partial(_pg_list_rows, ids, text)
        else:
            rows = _ranked_rows(_search(ids, text, rank=True))
    facets = {name: [] for name in FILTERS}
    for name, term_id, code, label in vocabularies:
        count = counts[name].get(term_id, 0)
        if count or code == chosen[name] or name == "sector":
            facets[name].append({"code": code, "label": label, "count": count})
    total = sum(counts["sector"].values())
    return DirectorySearch(results=DirectoryResults(rows, total), facets=facets)


# (filter, code) -> id for the vocabularies as last read, under the id of that list.
_known_codes_read: dict[int, tuple[list, dict[tuple[str, str], int]]] = {}


def _known_codes(vocabularies: list[tuple[str, int, str, str]]) -> dict[tuple[str, str], int]:
    """The ids of the vocabularies' codes, built once per list `_vocabularies` keeps (330
    entries were built again on every search)."""
    found = _known_codes_read.get(id(vocabularies))
    if found is not None and found[0] is vocabularies:
        return found[1]
    known = {(name, code): term_id for name, term_id, code, _label in vocabularies}
    if len(_known_codes_read) > 32:  # old versions
        _known_codes_read.clear()
    _known_codes_read[id(vocabularies)] = (vocabularies, known)
    return known


def _page_number(page: object) -> int:
    """The page number as the Paginator reads it, 1 where it would go elsewhere (a page past
    the end or below 1 is then read by a statement of its own)."""
    try:
        number = int(page)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return 1
    return number if number >= 1 else 1


def _prefetched(
    offset: int, found: list[DirectoryRow], fetch: Callable[[int, int], list[DirectoryRow]]
) -> Callable[[int, int], list[DirectoryRow]]:
    """Rows already read for the slice from `offset`; any other slice from `fetch`."""

    def rows(start: int, limit: int) -> list[DirectoryRow]:
        return found[:limit] if start == offset else fetch(start, limit)

    return rows


# The vocabularies as last read, per (database, content version, label column, filters).
_vocabularies_read: dict[tuple, list[tuple[str, int, str, str]]] = {}


def _vocabularies(
    filters: dict | None = None, *, version: int | None = None
) -> list[tuple[str, int, str, str]]:
    """(filter, id, code, label) of every filter value in display order, in one statement:
    plain tuples, as 330 model instances per page view cost more than the SQL does.

    Kept in the process under the content version (portal/page_cache.py), which every write
    to a directory table moves, so a list page reads them only after a change."""
    filters = filters or FILTERS
    label = _label_column()
    key = (
        connection.settings_dict["NAME"],
        content_version() if version is None else version,
        label,
        tuple(filters),
    )
    found = _vocabularies_read.get(key)
    if found is None:
        found = _vocabularies_query(filters, label)
        if len(_vocabularies_read) > 32:  # old versions
            _vocabularies_read.clear()
        _vocabularies_read[key] = found
    return found


def _vocabularies_query(filters: dict, label: str) -> list[tuple[str, int, str, str]]:
    parts = []
    for number, (name, (model, _lookup)) in enumerate(filters.items()):
        table = model._meta.db_table
        if model is Municipality:
            columns = "id, code, name AS label, 0 AS first, name AS second"
        else:
            columns = f"id, code, {label} AS label, position AS first, code AS second"
        parts.append(f"SELECT {number}, CAST('{name}' AS text), {columns} FROM {table}")  # noqa: S608
    sql = " UNION ALL ".join(parts) + " ORDER BY 1, 5, 6"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [(name, term_id, code, label) for _n, name, term_id, code, label, *_ in cursor]


def organisation_facets(query: DirectoryQuery) -> dict[str, list[dict]]:
    """For each filter, its values with the number of current results that have them.

    Values with no result are left out except the one selected, and the sectors, which
    are few and always offered.
    """
    return directory_search(query).facets


# How long counts without a text search are kept. Any write to a directory table moves the
# content version in their key first, so this only bounds how long unused entries stay.
FACET_CACHE_SECONDS = 60 * 60


def _facet_counts_cached(
    ids: dict[str, int | None], text: _Text | None, *, version: int | None = None
) -> dict[str, dict[int, int]]:
    """`_facet_counts`, kept in the cache when there is no text search.

    Without words the counts run over many rows (every published organisation for the
    unfiltered page: 145 ms at 100,000) but there are few filter combinations, which
    every visitor shares. The key holds the content version (portal/page_cache.py), which
    every INSERT, UPDATE or DELETE on a directory table moves, when the statement runs and
    again when its transaction commits: counts are never older than the data. Searches with
    words are counted afresh: there are too many of them to share.
    """
    if text is not None or None in ids.values():
        return _facet_counts(ids, text)
    chosen = ",".join(f"{name}={ids[name]}" for name in sorted(ids))
    # The database's name too: a benchmark's or a test's database may share the Redis.
    database = connection.settings_dict["NAME"]
    if version is None:
        version = content_version()
    key = f"directory:facets:{database}:{version}:{chosen}"
    # In this process first (no round trip, nothing to unpickle), then the shared cache.
    counts = _facet_counts_read.get(key)
    if counts is None:
        counts = cache.get(key)
        if counts is None:
            counts = _facet_counts(ids, text)
            cache.set(key, counts, FACET_CACHE_SECONDS)
        if len(_facet_counts_read) > 256:  # old versions, rare combinations
            _facet_counts_read.clear()
        _facet_counts_read[key] = counts
    return counts


# Counts without words as last read in this process, by the shared cache's key.
_facet_counts_read: dict[str, dict[str, dict[int, int]]] = {}


# GROUPING(sector, municipality, area, target group) of each grouping set: its filter.
_FACET_SETS = {7: "sector", 11: "municipality", 13: "area", 14: "target_group"}


def _facet_counts(ids: dict[str, int | None], text: _Text | None) -> dict[str, dict[int, int]]:
    """Number of matching organisations per sector, municipality, area and target group id."""
    counts: dict[str, dict[int, int]] = {name: {} for name in FILTERS}
    if None in ids.values():
        return counts
    if connection.vendor == "postgresql":
        # One pass over the matches: each row unnests its sector and its three id arrays
        # side by side, and one hashed GROUPING SETS aggregate counts all four.
        where, params = _pg_where(ids, text)
        sql = f"""
            SELECT GROUPING(s, m, a, t), COALESCE(s, m, a, t), COUNT(*) FROM (
                SELECT unnest(ARRAY[directory_organisation.sector_id]) s,
                       unnest(directory_organisation.municipality_ids) m,
                       unnest(directory_organisation.area_ids) a,
                       unnest(directory_organisation.target_group_ids) t
                FROM directory_organisation WHERE {where}
            ) y GROUP BY GROUPING SETS ((s), (m), (a), (t))
        """  # noqa: S608 - constants and the WHERE built above; user input only as parameters
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for grouping, term_id, count in cursor.fetchall():
                if term_id is not None:
                    counts[_FACET_SETS[grouping]][term_id] = count
        return counts
    # SQLite: the matches once (a CTE), counted per sector and through the link tables.
    matched = _apply_text(_apply_filters(organisation_public(), ids), text, rank=False)
    matched_sql, params = matched.order_by().values("id", "sector_id").query.sql_with_params()
    parts = ["SELECT 'sector', m.sector_id, COUNT(*) FROM matched m GROUP BY m.sector_id"]
    for name, (_column, table, key) in _LINKS.items():
        parts.append(
            f"SELECT '{name}', l.{key}, COUNT(*) FROM matched m"  # noqa: S608
            f" JOIN {table} l ON l.organisation_id = m.id GROUP BY l.{key}"
        )
    sql = f"WITH matched AS ({matched_sql}) " + " UNION ALL ".join(parts)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for name, term_id, count in cursor.fetchall():
            counts[name][term_id] = count
    return counts


def unknown_filter_codes(query: DirectoryQuery) -> list[str]:
    """The filter names whose code is not in their vocabulary (for a clear message)."""
    return [name for name, term_id in _filter_ids(query).items() if term_id is None]


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
        Prefetch("members", queryset=published.order_by(*_by_name()), to_attr="members_public"),
        Prefetch("member_of", queryset=published.order_by(*_by_name()), to_attr="umbrellas_public"),
    )


def count_cached(name: str, count: Callable[[], int]) -> int:
    """`count()`, kept in the cache under the content version like the list page's counts
    without words (`_facet_counts_cached`): for the open-data lists without filters, which
    every client pages through (counting 300,000 offers with their organisations' state took
    a quarter of a second per page). `name` says what is counted."""
    return _until_a_write(f"count:{name}", count, FACET_CACHE_SECONDS)


def _until_a_write(name: str, compute: Callable, seconds: int):
    """`compute()`, kept in the cache under the content version (any write to a directory
    table moves it, so the value is never older than the data) and the database's name (a
    test's database may share the Redis)."""
    database = connection.settings_dict["NAME"]
    key = f"directory:{name}:{database}:{content_version()}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, seconds)
    return found


class Counted:
    """Items for a Paginator whose number comes from `count` (for example `count_cached`)."""

    def __init__(self, items, count: Callable[[], int]):
        self._items = items
        self._count = count

    def count(self) -> int:
        return self._count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        return self._items[index]


class OrganisationApiRows:
    """The open-data list's organisations for a Paginator, as plain values: a slice is one
    statement of `fields` (plus the sector's and legal form's codes and labels) and one for
    the published umbrellas and members of the whole slice. Fifty organisations with their
    prefetched details as model instances took most of the list's time."""

    def __init__(self, queryset: QuerySet[Organisation], fields: tuple[str, ...]):
        self._queryset = queryset
        self._fields = fields

    def count(self) -> int:
        return self._queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict]:
        if not isinstance(index, slice):
            raise TypeError("OrganisationApiRows only supports slices.")
        rows = list(
            self._queryset.values(
                *self._fields,
                sector_code=F("sector__code"),
                legal_form_code=F("legal_form__code"),
                legal_form_label_sv=F("legal_form__label_sv"),
                legal_form_label_en=F("legal_form__label_en"),
            )[index]
        )
        links = _membership_uuids([row["id"] for row in rows])
        for row in rows:
            row["umbrellas"], row["members"] = links.get(row["id"], ([], []))
        return rows


def _membership_uuids(ids: list[int]) -> dict[int, tuple[list, list]]:
    """For each organisation id: the uuids of its published umbrellas and of its published
    members, each by name in Swedish order (as `organisation_with_details` gives them), in
    one statement."""
    found: dict[int, tuple[list, list]] = {pk: ([], []) for pk in ids}
    if not ids:
        return found
    # Written out: the two joined querysets of the union took more Python time to compile
    # than the statement takes to run (issue 17).
    table = Organisation.member_of.through._meta.db_table
    marks = ", ".join(["%s"] * len(ids))
    sql = f"""
        SELECT l.from_organisation_id, o.uuid, o.name COLLATE "{SWEDISH_COLLATION}", o.id, 0
        FROM {table} l JOIN directory_organisation o ON o.id = l.to_organisation_id
        WHERE l.from_organisation_id IN ({marks}) AND o.state = %s
        UNION ALL
        SELECT l.to_organisation_id, o.uuid, o.name COLLATE "{SWEDISH_COLLATION}", o.id, 1
        FROM {table} l JOIN directory_organisation o ON o.id = l.from_organisation_id
        WHERE l.to_organisation_id IN ({marks}) AND o.state = %s
        ORDER BY 3, 4
    """  # noqa: S608 - constants and placeholders; the ids only as parameters
    published = Organisation.State.PUBLISHED.value
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, published, *ids, published])
        for owner, other, _name, _id, side in cursor.fetchall():
            # SQLite keeps a uuid as its hex digits; the ORM would give a UUID.
            found[owner][side].append(other if isinstance(other, uuid.UUID) else uuid.UUID(other))
    return found


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


def organisation_for_edit(user, slug: str, *, rows: bool = True) -> Organisation | None:
    """The organisation if this user may edit it (None otherwise), with what its edit page
    shows (`rows`), or without it: see `organisation_edit_load`."""
    queryset = organisation_editable_by(user).filter(slug=slug)
    organisation = queryset.first()
    if organisation is not None and rows:
        organisation_edit_load(organisation)
    return organisation


# What the edit page shows of an entry's relations: the querysets prefetch_related would run,
# compiled once per process (portal/compiled_queries.py).
_EDIT_ROWS = {
    "areas": CompiledQuery(lambda pk: Area.objects.filter(organisations=pk)),
    "target_groups": CompiledQuery(lambda pk: TargetGroup.objects.filter(organisations=pk)),
    "municipalities": CompiledQuery(lambda pk: Municipality.objects.filter(organisations=pk)),
    "offers": CompiledQuery(lambda pk: Offer.objects.filter(organisation_id=pk).order_by("title")),
    "contact_roles": CompiledQuery(
        lambda pk: ContactRole.objects.filter(organisation_id=pk).select_related("person")
    ),
}


def organisation_edit_load(organisation: Organisation) -> None:
    """What the edit page shows besides the entry's own columns, one statement per relation,
    stored as prefetch_related stores them. The page's body is a shared fragment (the same
    for every editor of the entry), so it is loaded only when that is rendered: on the first
    view after a write."""
    for name, query in _EDIT_ROWS.items():
        prefetched(organisation, name, query.instances(organisation.pk))


FORM_VOCABULARY_CACHE_SECONDS = 60 * 60


def form_vocabularies() -> dict[str, list[tuple[str, str]]]:
    """The options of the organisation form as (code, label) in the active language, keyed
    by the form's field names. Kept in the cache under the content version (as the facet
    counts are: any write to a directory table moves it), so an editor's page reads them from
    the database only after a change; see `_form_vocabularies` for how they are read."""
    language = "en" if (get_language() or "sv").startswith("en") else "sv"
    return _until_a_write(
        f"form-vocabularies:{language}", _form_vocabularies, FORM_VOCABULARY_CACHE_SECONDS
    )


def _form_vocabularies() -> dict[str, list[tuple[str, str]]]:
    """Two statements in all: the four small vocabularies (sector, legal form, area, target
    group) in one UNION, each in its own order (position, code), and the municipalities
    ordered by name (the database's collation, as everywhere else). Plain tuples: 290
    municipalities as model instances were a tenth of the edit page's time."""
    kinds = {"sector": Sector, "legal_form": LegalForm, "areas": Area, "target_groups": TargetGroup}
    english = (get_language() or "sv").startswith("en")  # as Term.label chooses
    columns = ("kind", "code", "label_en" if english else "label_sv")
    parts = [
        model.objects.order_by()
        .annotate(kind=Value(index, output_field=IntegerField()))
        .values_list(*columns, "position")
        for index, model in enumerate(kinds.values())
    ]
    options = {name: [] for name in kinds}
    names = list(kinds)
    rows = parts[0].union(*parts[1:], all=True).order_by("kind", "position", "code")
    for kind, code, label, _position in rows:
        options[names[kind]].append((code, label))
    options["municipalities"] = list(Municipality.objects.values_list("code", "name"))
    return options


# --- The public page of one organisation -----------------------------------------------------


@dataclass
class OfferOnPage:
    """An active offer with the labels its card shows."""

    offer: Offer
    target_groups: list[str]
    municipalities: list[str]


@dataclass
class NetworkLink:
    """A published umbrella or member, linked by name."""

    name: str
    slug: str

    def get_absolute_url(self) -> str:
        return reverse("directory:detail", args=[self.slug])


@dataclass
class OrganisationPage:
    """What the public page of one organisation shows, in five statements: the organisation
    (with sector and legal form), its active offers, its public contact points, the labels of
    every term and municipality on the page (the organisation's and its offers', one UNION)
    and its published umbrellas and members (one UNION). `organisation_with_details`' eleven
    prefetches, for a page that shows labels, were three quarters of the page's time."""

    organisation: Organisation
    areas: list[str]
    target_groups: list[str]
    municipalities: list[str]
    offers: list[OfferOnPage]
    contacts: list[ContactRole]
    umbrellas: list[NetworkLink]
    members: list[NetworkLink]


def organisation_page_public(slug: str) -> OrganisationPage | None:
    """The public page of the published organisation at `slug` (None if there is none)."""
    organisation = (
        organisation_public().select_related("sector", "legal_form").filter(slug=slug).first()
    )
    if organisation is None:
        return None
    offers = list(Offer.objects.filter(organisation=organisation, is_active=True))
    labels = _page_labels(organisation.pk)
    umbrellas, members = _page_network(organisation.pk)
    return OrganisationPage(
        organisation=organisation,
        areas=labels.get(("areas", None), []),
        target_groups=labels.get(("target_groups", None), []),
        municipalities=labels.get(("municipalities", None), []),
        offers=[
            OfferOnPage(
                offer=offer,
                target_groups=labels.get(("target_groups", offer.pk), []),
                municipalities=labels.get(("municipalities", offer.pk), []),
            )
            for offer in offers
        ],
        contacts=list(_public_contacts().filter(organisation=organisation)),
        umbrellas=umbrellas,
        members=members,
    )


def _page_labels(organisation_id: int) -> dict[tuple[str, int | None], list[str]]:
    """The labels (active language) of the organisation's areas, target groups and
    municipalities and of its active offers' target groups and municipalities, keyed by
    (relation, offer id or None), each in its model's order: terms by position and code,
    municipalities by name. One statement."""
    label = "label_en" if (get_language() or "sv").startswith("en") else "label_sv"
    found: dict[tuple[str, int | None], list[str]] = {}
    rows = _PAGE_LABEL_READS[label].rows(organisation_id)
    for kind, owner, text, _position, _sort, _code in rows:
        found.setdefault((_PAGE_LABEL_RELATIONS[kind][1], owner), []).append(text)
    return found


_PAGE_LABEL_RELATIONS = [
    (Organisation, "areas", None),
    (Organisation, "target_groups", None),
    (Organisation, "municipalities", None),
    (Offer, "target_groups", "offer"),
    (Offer, "municipalities", "offer"),
]


def _page_labels_query(label: str, organisation_id: int) -> QuerySet:
    relations = _PAGE_LABEL_RELATIONS
    parts = []
    for kind, (model, name, owner) in enumerate(relations):
        field = model._meta.get_field(name)
        term = field.m2m_reverse_field_name()
        if owner is None:
            rows = field.remote_field.through.objects.filter(
                **{field.m2m_field_name(): organisation_id}
            )
            # Typed: PostgreSQL reads a bare NULL in the first part of a UNION as text.
            owner_column = Cast(Value(None), output_field=BigIntegerField())
        else:
            rows = field.remote_field.through.objects.filter(
                offer__organisation_id=organisation_id, offer__is_active=True
            )
            owner_column = F("offer_id")
        if name == "municipalities":
            columns = {
                "label": F(f"{term}__name"),
                "position": Value(0, output_field=IntegerField()),
                "sort": F(f"{term}__name"),
            }
        else:
            columns = {
                "label": F(f"{term}__{label}"),
                "position": F(f"{term}__position"),
                "sort": Value("", output_field=CharField()),
            }
        parts.append(
            rows.order_by()
            .annotate(
                kind=Value(kind, output_field=IntegerField()),
                owner=owner_column,
                **columns,
                term_code=F(f"{term}__code"),
            )
            .values_list("kind", "owner", "label", "position", "sort", "term_code")
        )
    return parts[0].union(*parts[1:], all=True).order_by("kind", "position", "sort", "term_code")


def _page_network(organisation_id: int) -> tuple[list[NetworkLink], list[NetworkLink]]:
    """The published umbrellas and members, each by name in Swedish order (as
    `organisation_with_details` gives them). One statement."""
    found: tuple[list, list] = ([], [])
    for side, name, slug, _sort, _id in _PAGE_NETWORK_READ.rows(organisation_id):
        found[side].append(NetworkLink(name=name, slug=slug))
    return found


def _page_network_query(organisation_id: int) -> QuerySet:
    through = Organisation.member_of.through
    published = Organisation.State.PUBLISHED
    sides = (
        ("from_organisation_id", "to_organisation"),  # its umbrellas
        ("to_organisation_id", "from_organisation"),  # its members
    )
    parts = [
        through.objects.filter(**{own: organisation_id, f"{other}__state": published})
        .order_by()
        .annotate(
            side=Value(side, output_field=IntegerField()),
            other_name=F(f"{other}__name"),
            other_slug=F(f"{other}__slug"),
            sort_name=Collate(f"{other}__name", SWEDISH_COLLATION),
            other_id=F(f"{other}_id"),
        )
        .values_list("side", "other_name", "other_slug", "sort_name", "other_id")
        for side, (own, other) in enumerate(sides)
    ]
    return parts[0].union(parts[1], all=True).order_by("side", "sort_name", "other_id")


# The public page's two unions depend only on constants and the organisation's id: compiled
# once per process (portal/compiled_queries.py), they cost less than their SQL did to build.
_PAGE_LABEL_READS = {
    label: CompiledQuery(functools.partial(_page_labels_query, label))
    for label in ("label_sv", "label_en")
}
_PAGE_NETWORK_READ = CompiledQuery(_page_network_query)


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


NAME_OPTIONS_LIMIT = 20


def organisation_names_matching(text: str, *, limit: int = NAME_OPTIONS_LIMIT) -> list[str]:
    """Published names containing the typed text (accents and case folded), for a form's
    suggestions: a few at a time, however large the directory grows."""
    folded = normalise(text)
    if len(folded) < 2:
        return []
    return list(
        Organisation.objects.filter(
            state=Organisation.State.PUBLISHED, name_normalised__contains=folded
        )
        .order_by(*_by_name())
        .values_list("name", flat=True)[:limit]
    )


def person_personal_data(person: Person) -> list[dict]:
    """What every app holds about a person, grouped by app, ready for a page or a printout."""
    return personal_data.found_for_display(personal_data.find(person_subject(person)))


# --- Offers (services) ----------------------------------------------------------------------

# The offer search's filters: vocabulary and the offer's link to it.
OFFER_FILTERS = {
    "municipality": (Municipality, "municipalities"),
    "area": (Area, "areas"),
    "target_group": (TargetGroup, "target_groups"),
    "language": (Language, "languages"),
}
COSTS = ("free", "fee")


@dataclass(frozen=True)
class OfferQuery:
    """An offer search: free text, one code per filter, the cost and "no referral"."""

    q: str = ""
    municipality: str = ""
    area: str = ""
    target_group: str = ""
    language: str = ""
    cost: str = ""
    no_referral: bool = False

    def as_dict(self) -> dict:
        return {field.name: getattr(self, field.name) for field in fields(self)}

    @property
    def is_empty(self) -> bool:
        return not any(self.as_dict().values())

    @property
    def has_filters(self) -> bool:
        return any(value for name, value in self.as_dict().items() if name != "q")


def offer_public() -> QuerySet[Offer]:
    """Active offers of published organisations."""
    return Offer.objects.filter(is_active=True, organisation__state=Organisation.State.PUBLISHED)


def _offer_text(queryset: QuerySet[Offer], q: str, *, rank: bool) -> QuerySet[Offer]:
    q = q.strip()
    if not q:
        return queryset
    folded = normalise(q)
    if connection.vendor != "postgresql":
        return _sqlite_text(queryset, folded, "directory_offer")
    fuzzy = _fuzzy_tsquery(folded, table="directory_offerword", weight="")
    if fuzzy:
        tsquery = "(websearch_to_tsquery('swedish', %s) || %s::tsquery)"
        params = [q, fuzzy]
    else:
        tsquery, params = "websearch_to_tsquery('swedish', %s)", [q]
    queryset = queryset.filter(
        RawSQL(  # noqa: S611 - constant SQL, the text only as parameters
            f"directory_offer.search_vector @@ {tsquery}", params, output_field=BooleanField()
        )
    )
    if rank:
        queryset = queryset.annotate(
            rank=RawSQL(  # noqa: S611
                f"ts_rank(directory_offer.search_vector, {tsquery})",
                params,
                output_field=FloatField(),
            )
        ).order_by("-rank", "title", "id")
    return queryset


def offer_unknown_filter_codes(query: OfferQuery) -> list[str]:
    """The filter names whose code is not in their vocabulary (one statement)."""
    unknown = [name for name, term_id in _offer_filter_ids(query).items() if term_id is None]
    if query.cost and query.cost not in COSTS:
        unknown.append("cost")
    return unknown


def _offer_filtered(query: OfferQuery) -> QuerySet[Offer]:
    queryset = offer_public()
    for name, (_model, link) in OFFER_FILTERS.items():
        if getattr(query, name):
            queryset = queryset.filter(**{f"{link}__code": getattr(query, name)})
    if query.cost:
        queryset = queryset.filter(is_free=query.cost == "free")
    if query.no_referral:
        queryset = queryset.filter(referral_required=False)
    return queryset


def offer_list_page(queryset: QuerySet[Offer]) -> QuerySet[Offer]:
    """What a row of the offer list shows (title, organisation, places), in a fixed number
    of queries."""
    return queryset.select_related("organisation").prefetch_related(
        Prefetch("municipalities", queryset=Municipality.objects.only("id", "code", "name"))
    )


@dataclass(frozen=True)
class OfferSearch:
    """The offer list's reads. `exact` is False when a broad search matched more than
    OFFER_EXACT_LIMIT offers: `total` and the facet counts are then estimates, and the
    results are the best of the first OFFER_EXACT_LIMIT matches (see _offer_search_pg)."""

    results: object
    facets: dict[str, list[dict]]
    total: int
    exact: bool = True

    @property
    def pages_over(self) -> int:
        """How many results the pages go through (all, or the ranked pool)."""
        return len(self.results)


# Beyond this many matches (a common word over 300,000 offers matches 75,000), counting,
# faceting and ranking every match costs hundreds of milliseconds; the search then works
# on the first this many matches and estimates the rest.
OFFER_EXACT_LIMIT = 1000


def offer_search(query: OfferQuery, *, page: int = 1, per_page: int = 20) -> OfferSearch:
    """Offers matching the query (best match first on PostgreSQL, else by title) with the
    number of matches per filter value. `page` and `per_page` say which results are read
    with the counts (on PostgreSQL in the same statement); any other slice works too."""
    if connection.vendor == "postgresql":
        start = (max(page, 1) - 1) * per_page
        return _offer_search_pg(query, start=start, stop=start + per_page)
    counts = _offer_facet_counts(_offer_text(_offer_filtered(query), query.q, rank=False))
    total = counts["cost"].get(1, 0) + counts["cost"].get(0, 0)
    results = _offer_filtered(query).order_by(Collate("title", SWEDISH_COLLATION).asc(), "id")
    results = _offer_text(results, query.q, rank=False)
    return OfferSearch(
        results=offer_list_page(results), facets=_offer_facets(query, counts), total=total
    )


def _offer_facets(query: OfferQuery, counts: dict[str, dict[int, int]]) -> dict[str, list[dict]]:
    facets: dict[str, list[dict]] = {name: [] for name in OFFER_FILTERS}
    for name, term_id, code, label in _vocabularies(OFFER_FILTERS):
        count = counts[name].get(term_id, 0)
        if count or code == getattr(query, name):
            facets[name].append({"code": code, "label": label, "count": count})
    free = counts["cost"]
    facets["cost"] = [
        {"code": "free", "label": _("Free of charge"), "count": free.get(1, 0)},
        {"code": "fee", "label": _("With a fee"), "count": free.get(0, 0)},
    ]
    return facets


# PostgreSQL: the offer row's copies (migration 0010) by filter name.
_OFFER_ARRAYS = {
    "municipality": "municipality_ids",
    "area": "area_ids",
    "target_group": "target_group_ids",
    "language": "language_ids",
}


def _offer_filter_ids(query: OfferQuery) -> dict[str, int | None]:
    """The id of each chosen filter value (None for an unknown code), in one statement."""
    chosen = {name: getattr(query, name) for name in OFFER_FILTERS if getattr(query, name)}
    if not chosen:
        return {}
    parts, params = [], []
    for name, code in chosen.items():
        table = OFFER_FILTERS[name][0]._meta.db_table
        parts.append(f"SELECT CAST(%s AS text), id FROM {table} WHERE code = %s")  # noqa: S608
        params += [name, code]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        found = dict(cursor.fetchall())
    return {name: found.get(name) for name in chosen}


def _offer_tsquery(q: str) -> tuple[str, list]:
    """The full-text query (Swedish stemming) OR offer words similar to each typed word."""
    fuzzy = _fuzzy_tsquery(normalise(q), table="directory_offerword", weight="")
    if fuzzy:
        return "(websearch_to_tsquery('swedish', %s) || %s::tsquery)", [q, fuzzy]
    return "websearch_to_tsquery('swedish', %s)", [q]


class OfferResults:
    """The offer list's results for a Paginator: `size` rows, of which the requested page
    was read with the facets (`rows`, from `start`); any other slice asks `fetch(start,
    stop)` for ids in one statement. The page's rows are loaded by id."""

    def __init__(self, *, size: int, start: int = 0, ids: list[int] | None = None, fetch=None):
        self._size = size
        self._start = start
        self._ids = ids or []
        self._fetch = fetch

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, index: slice) -> list[Offer]:
        if not isinstance(index, slice):
            raise TypeError("OfferResults only supports slices.")
        start = index.start or 0
        stop = self._size if index.stop is None else min(index.stop, self._size)
        if stop <= start:
            return []
        if start == self._start and stop - start <= len(self._ids):
            ids = self._ids[: stop - start]
        else:
            ids = self._fetch(start, stop) if self._fetch else []
        if not ids:
            return []
        rows = {row.id: row for row in offer_rows(ids)}
        return [rows[pk] for pk in ids if pk in rows]


@dataclass(frozen=True)
class OfferRow:
    """What a row of the offer search shows, as plain values (no model instances)."""

    id: int
    uuid: uuid.UUID
    title: str
    description: str
    is_free: bool
    referral_required: bool
    organisation_name: str
    # The names of its municipalities in the model's order (by name).
    municipality_names: list[str]


def offer_rows(ids: list[int]) -> list[OfferRow]:
    """The offer search's rows for these ids (in no particular order) in one statement:
    the offers with their organisation's name and their municipalities' names. As 20 offers
    with `select_related` and a prefetch of their municipalities, building the instances
    cost more than the SQL did."""
    link = Offer.municipalities.through._meta.db_table
    sql = f"""
        SELECT o.id, o.uuid, o.title, o.description, o.is_free, o.referral_required, org.name,
               ARRAY(SELECT mu.name FROM {link} om
                     JOIN {Municipality._meta.db_table} mu ON mu.id = om.municipality_id
                     WHERE om.offer_id = o.id ORDER BY mu.name, mu.id)
        FROM {Offer._meta.db_table} o
        JOIN {Organisation._meta.db_table} org ON org.id = o.organisation_id
        WHERE o.id = ANY(%s)
    """  # noqa: S608 - table names from the models; the ids as a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(ids)])
        return [OfferRow(*row[:7], municipality_names=list(row[7])) for row in cursor]


# GROUPING(c, m, a, t, l) of each grouping set: the bit of a grouped column is 0.
_OFFER_FACET_SETS = {15: "cost", 23: "municipality", 27: "area", 29: "target_group", 30: "language"}


def _offer_search_pg(query: OfferQuery, *, start: int, stop: int) -> OfferSearch:
    """Two statements whatever the number of matches: the filter ids, then the facets (which
    also count) with the requested page's ids; then the page's rows are loaded.

    The search reads the offer row's copies (migration 0010): `is_public`, and the link ids
    as GIN-indexed arrays. It takes at most OFFER_EXACT_LIMIT + 1 matches once (a
    materialised CTE: the index is read once) and counts them in one pass. When there are no
    more, every count is exact and the ranking sorts every match. When there are more, the
    total is the planner's estimate for the whole query, the facet counts are the first
    matches' counts scaled to it, and the pages go through the best (ts_rank) of those first
    matches: the page says so and asks the visitor to narrow the search. Without words the
    pages list every match by title (an index in Swedish order), exactly.
    """
    ids = _offer_filter_ids(query)
    if None in ids.values():
        empty = {name: {} for name in [*OFFER_FILTERS, "cost"]}
        return OfferSearch(
            results=OfferResults(size=0), facets=_offer_facets(query, empty), total=0
        )
    where, params = ["f.is_public"], []
    for name, term_id in ids.items():
        where.append(f"f.{_OFFER_ARRAYS[name]} @> ARRAY[%s]::bigint[]")
        params.append(term_id)
    if query.cost:
        where.append("f.is_free" if query.cost == "free" else "NOT f.is_free")
    if query.no_referral:
        where.append("NOT f.referral_required")
    q = query.q.strip()
    if q:
        tsquery, tsquery_params = _offer_tsquery(q)
        where.append(f"f.search_vector @@ {tsquery}")
        params += tsquery_params
        rank, rank_params = f"ts_rank(f.search_vector, {tsquery})", tsquery_params
    else:
        rank, rank_params = "0", []
    condition = " AND ".join(where)
    sample = (
        "SELECT f.id, f.title, f.is_free, f.municipality_ids, f.area_ids, f.target_group_ids,"  # noqa: S608
        f" f.language_ids, {rank} AS rank FROM directory_offer f WHERE {condition}"
        f" LIMIT {OFFER_EXACT_LIMIT + 1}"
    )

    def page_sql(last: int) -> str:
        """Ids with their place (n) up to `last`: ranked within the sample, or by title."""
        if q:
            return (
                "SELECT id, row_number() OVER (ORDER BY rank DESC, title, id) n FROM s"  # noqa: S608
                f" ORDER BY n LIMIT {int(last)}"
            )
        return (
            "SELECT f.id, row_number() OVER (ORDER BY f.title COLLATE"  # noqa: S608
            f' "{SWEDISH_COLLATION}", f.id) n FROM directory_offer f WHERE {condition}'
            f' ORDER BY f.title COLLATE "{SWEDISH_COLLATION}", f.id LIMIT {int(last)}'
        )

    page_params = [] if q else params
    sql = f"""
        WITH s AS MATERIALIZED ({sample})
        SELECT GROUPING(c, m, a, t, l), COALESCE(c, m, a, t, l), COUNT(*) FROM (
            SELECT unnest(ARRAY[s.is_free::int]) c, unnest(s.municipality_ids) m,
                   unnest(s.area_ids) a, unnest(s.target_group_ids) t, unnest(s.language_ids) l
            FROM s
        ) y GROUP BY GROUPING SETS ((c), (m), (a), (t), (l))
        UNION ALL
        SELECT -1, p.id, p.n FROM ({page_sql(stop)}) p WHERE p.n > %s
    """  # noqa: S608 - constants and the WHERE built above; user input only as parameters
    counts: dict[str, dict[int, int]] = {name: {} for name in [*OFFER_FILTERS, "cost"]}
    page: list[tuple[int, int]] = []
    with connection.cursor() as cursor:
        cursor.execute(sql, [*rank_params, *params, *page_params, start])
        for grouping, value, count in cursor.fetchall():
            if grouping == -1:
                page.append((count, value))
            elif value is not None:
                counts[_OFFER_FACET_SETS[grouping]][value] = count
        sampled = sum(counts["cost"].values())
        exact = sampled <= OFFER_EXACT_LIMIT
        total = sampled
        if not exact:
            cursor.execute(
                f"EXPLAIN (FORMAT JSON) SELECT 1 FROM directory_offer f WHERE {condition}",  # noqa: S608
                params,
            )
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            total = max(int(plan[0]["Plan"]["Plan Rows"]), sampled)
            scale = total / sampled
            counts = {
                name: {value: _about(count * scale) for value, count in values.items()}
                for name, values in counts.items()
            }
            total = _about(total)

    def fetch(first: int, last: int) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH s AS MATERIALIZED ({sample}) SELECT p.id FROM ({page_sql(last)}) p"  # noqa: S608
                " WHERE p.n > %s ORDER BY p.n",
                [*rank_params, *params, *page_params, first],
            )
            return [row[0] for row in cursor.fetchall()]

    return OfferSearch(
        results=OfferResults(
            size=min(sampled, OFFER_EXACT_LIMIT),
            start=start,
            ids=[offer_id for _n, offer_id in sorted(page)],
            fetch=fetch,
        ),
        facets=_offer_facets(query, counts),
        total=total,
        exact=exact,
    )


def _about(number: float) -> int:
    """An estimate rounded to two significant digits (74,604 -> 75,000)."""
    number = round(number)
    if number < 100:
        return number
    digits = len(str(number)) - 2
    return int(round(number, -digits))


def _offer_facet_counts(matched: QuerySet[Offer]) -> dict[str, dict[int, int]]:
    """Matches per filter value (and free/fee as 1/0) in one statement: the matches once
    (a CTE), counted through each link table."""
    matched_sql, params = matched.order_by().values("id", "is_free").query.sql_with_params()
    parts = [
        "SELECT 'cost', CASE WHEN m.is_free THEN 1 ELSE 0 END, COUNT(*) FROM matched m GROUP BY 2"
    ]
    for name, (model, link) in OFFER_FILTERS.items():
        table = getattr(Offer, link).through._meta.db_table
        key = f"{model._meta.model_name}_id"
        parts.append(
            f"SELECT '{name}', l.{key}, COUNT(*) FROM matched m"  # noqa: S608 - constants
            f" JOIN {table} l ON l.offer_id = m.id GROUP BY l.{key}"
        )
    sql = f"WITH matched AS ({matched_sql}) " + " UNION ALL ".join(parts)
    counts: dict[str, dict[int, int]] = {name: {} for name in [*OFFER_FILTERS, "cost"]}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for name, value, count in cursor.fetchall():
            counts[name][value] = count
    return counts


def offer_find_public(key) -> Offer | None:
    """One public offer by its public id (uuid), with what its page and API entry show."""
    try:
        key = uuid.UUID(str(key))
    except ValueError:
        return None
    return offer_with_details(offer_public()).filter(uuid=key).first()


def offer_with_details(queryset: QuerySet[Offer]) -> QuerySet[Offer]:
    return queryset.select_related(
        "organisation", "organisation__sector", "organisation__legal_form"
    ).prefetch_related(
        "target_groups",
        "areas",
        "languages",
        Prefetch("municipalities", queryset=Municipality.objects.select_related("region")),
        Prefetch("contacts", queryset=_public_contacts(), to_attr="public_contacts"),
    )


@dataclass(frozen=True)
class OfferApiQuery:
    """The HSDS API's service filters: text, organisation (uuid), one taxonomy term (an
    object with .taxonomy and .code), any term of a taxonomy, changed since."""

    q: str = ""
    organisation_id: str = ""
    term: object | None = None
    taxonomy: str | None = None
    modified_after: object | None = None


# Taxonomy code: how an offer links to its terms (lookup on the term's code).
_OFFER_TERM_LOOKUPS = {
    "area": "areas__code",
    "target_group": "target_groups__code",
    "language": "languages__code",
    "sector": "organisation__sector__code",
    "legal_form": "organisation__legal_form__code",
}


def _offer_term_filter(queryset: QuerySet[Offer], taxonomy: str, code: str) -> QuerySet[Offer]:
    if taxonomy in _OFFER_TERM_LOOKUPS:
        return queryset.filter(**{_OFFER_TERM_LOOKUPS[taxonomy]: code})
    if taxonomy == "municipality":
        lookup = "municipalities__region__code" if len(code) == 2 else "municipalities__code"
        return queryset.filter(**{lookup: code})
    if taxonomy == "cost":
        return queryset.filter(is_free=code == "free")
    if taxonomy == "referral":
        return queryset.filter(referral_required=code == "referral_needed")
    return queryset.none()


def _offer_taxonomy_filter(queryset: QuerySet[Offer], taxonomy: str) -> QuerySet[Offer]:
    """Offers with any term of the taxonomy."""
    linked = {
        "area": "areas",
        "target_group": "target_groups",
        "language": "languages",
        "municipality": "municipalities",
    }
    if taxonomy in linked:
        ids = getattr(Offer, linked[taxonomy]).through.objects.values("offer_id")
        return queryset.filter(id__in=ids)
    if taxonomy in {"cost", "referral", "sector"}:
        return queryset
    if taxonomy == "legal_form":
        return queryset.filter(organisation__legal_form__isnull=False)
    return queryset.none()


def offer_api_search(query: OfferApiQuery) -> QuerySet[Offer]:
    """Public offers for the HSDS API: best match first for a text, else by title."""
    queryset = offer_public()
    if query.organisation_id:
        queryset = queryset.filter(organisation__uuid=query.organisation_id)
    if query.term is not None:
        queryset = _offer_term_filter(queryset, query.term.taxonomy, query.term.code)
    if query.taxonomy is not None:
        queryset = _offer_taxonomy_filter(queryset, query.taxonomy)
    if query.modified_after is not None:
        queryset = queryset.filter(updated_at__gte=query.modified_after)
    if query.term is not None and query.term.taxonomy in {"municipality"}:
        queryset = queryset.distinct()
    ranked = bool(query.q.strip()) and connection.vendor == "postgresql"
    queryset = _offer_text(queryset, query.q, rank=True)
    if not ranked:
        queryset = queryset.order_by("title", "id")
    return queryset


def offer_by_service_at_location(service_at_location_id: str) -> Offer | None:
    """The offer of a service_at_location: each offer has one, with the offer's id."""
    return offer_find_public(service_at_location_id)


# --- Keeping entries fresh: what needs the secretariat's attention ----------------------------

# Names at least this similar (pg_trgm similarity of the folded names; on SQLite the same
# measure in Python) are shown to the moderator as a possible duplicate.
DUPLICATE_SIMILARITY = 0.5
# Organisations created this recently are checked against the others for duplicates.
DUPLICATE_RECENT_DAYS = 90


@dataclass(frozen=True)
class SimilarName:
    """An entry whose name looks like the one given."""

    pk: int
    name: str
    slug: str
    similarity: float


def organisations_similar(names: list[tuple[str, int | None]], *, limit: int = 5) -> list:
    """For each (name, pk to leave out), the entries whose names look like it, most similar
    first: one statement on PostgreSQL (a trigram index lookup per name), one pass over
    every name on SQLite (the embedded run: a few hundred entries)."""
    folded = [normalise(name or "") for name, _pk in names]
    found: list[list[SimilarName]] = [[] for _ in names]
    wanted = [i for i, text in enumerate(folded) if len(text) >= 3]
    if not wanted:
        return found
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT x.n, o.id, o.name, o.slug, o.score FROM
                    unnest(%s::int[], %s::text[], %s::bigint[]) AS x(n, folded, leave_out)
                CROSS JOIN LATERAL (
                    SELECT d.id, d.name, d.slug,
                           similarity(d.name_normalised, x.folded) AS score
                    FROM directory_organisation d
                    WHERE d.name_normalised %% x.folded AND d.id <> COALESCE(x.leave_out, 0)
                      AND similarity(d.name_normalised, x.folded) >= %s
                    ORDER BY score DESC, d.name_normalised LIMIT %s
                ) o
                ORDER BY x.n, o.score DESC, o.name
                """,
                [
                    wanted,
                    [folded[i] for i in wanted],
                    [names[i][1] for i in wanted],
                    DUPLICATE_SIMILARITY,
                    limit,
                ],
            )
            for n, pk, name, slug, score in cursor.fetchall():
                found[n].append(SimilarName(pk, name, slug, score))
        return found

    # SQLite: pg_trgm's similarity in Python (each word padded, shared trigrams over all),
    # so both databases judge alike.
    def grams(text: str) -> set[str]:
        return set().union(*(_trigrams(word) for word in re.findall(r"\w+", text)))

    entries = [
        (pk, name, slug, grams(name_folded))
        for pk, name, slug, name_folded in Organisation.objects.values_list(
            "id", "name", "slug", "name_normalised"
        )
    ]
    for i in wanted:
        typed = grams(folded[i])
        scored = []
        for pk, name, slug, listed in entries:
            if pk == names[i][1] or not listed:
                continue
            score = len(typed & listed) / len(typed | listed)
            if score >= DUPLICATE_SIMILARITY:
                scored.append(SimilarName(pk, name, slug, score))
        scored.sort(key=lambda entry: (-entry.similarity, entry.name))
        found[i] = scored[:limit]
    return found


def organisation_similar(name: str, *, exclude_pk: int | None = None, limit: int = 5) -> list:
    """Entries whose name looks like `name` (any state), most similar first."""
    return organisations_similar([(name, exclude_pk)], limit=limit)[0]


def organisation_unconfirmed(*, now=None) -> QuerySet[Organisation]:
    """Published and draft entries nobody has confirmed for a year (oldest first)."""
    from django.db.models import Q
    from django.utils import timezone

    from directory.models import STALE_AFTER

    cutoff = (now or timezone.now()) - STALE_AFTER
    return (
        Organisation.objects.exclude(state=Organisation.State.HIDDEN)
        .filter(Q(last_confirmed_at__lt=cutoff) | Q(last_confirmed_at__isnull=True))
        .order_by("last_confirmed_at", "name_normalised")
    )


def organisation_without_editor() -> QuerySet[Organisation]:
    """Published entries that no editor account looks after."""
    return organisation_public().filter(editors__isnull=True).order_by("name_normalised")


def likely_duplicates() -> list[dict]:
    """Waiting suggestions of a new organisation and recently created entries whose names
    look like an entry's already in the directory: [{"name", "suggestion" or
    "organisation", "similar": [SimilarName, ...]}], in three statements."""
    from django.utils import timezone

    items = [
        {"name": suggestion.name, "suggestion": suggestion, "leave_out": None}
        for suggestion in Suggestion.objects.filter(
            state=Suggestion.State.PENDING, kind=Suggestion.Kind.NEW
        ).order_by("-created_at")[:100]
    ]
    since = timezone.now() - timezone.timedelta(days=DUPLICATE_RECENT_DAYS)
    items += [
        {"name": organisation.name, "organisation": organisation, "leave_out": organisation.pk}
        for organisation in Organisation.objects.filter(created_at__gte=since)
        .only("id", "name", "slug")
        .order_by("-created_at")[:100]
    ]
    similar = organisations_similar([(item["name"], item["leave_out"]) for item in items])
    return [{**item, "similar": found} for item, found in zip(items, similar, strict=True) if found]


@dataclass(frozen=True)
class NeedsAttention:
    unconfirmed: QuerySet
    without_editor: QuerySet
    suggestions: QuerySet
    duplicates: list


def needs_attention() -> NeedsAttention:
    """What the secretariat's "Needs attention" page lists."""
    return NeedsAttention(
        unconfirmed=organisation_unconfirmed(),
        without_editor=organisation_without_editor(),
        suggestions=suggestion_queue(),
        duplicates=likely_duplicates(),
    )


def needs_attention_counts() -> dict[str, int]:
    """How many entries need the secretariat's attention, by reason, and in all (for a panel
    on the home page): entries not confirmed for a year, published entries without an
    editor, suggestions waiting, likely duplicates."""
    counts = {
        "unconfirmed": organisation_unconfirmed().count(),
        "without_editor": organisation_without_editor().count(),
        "suggestions": suggestion_queue().count(),
        "duplicates": len(likely_duplicates()),
    }
    counts["total"] = sum(counts.values())
    return counts
