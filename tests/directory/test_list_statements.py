"""The list page's statements written out for PostgreSQL (issue 17) give what the ORM's
queries give: the same rows in the same order on every page, the same counts per filter
value, in Swedish and English. The ORM path (`_search` with `_rank`, then `directory_rows`)
is what the list page used before and what the API and the CSV export still use."""

import functools
import re
from collections import Counter

import pytest
from django.utils import translation

from directory import selectors
from directory.models import Organisation
from directory.selectors import DirectoryQuery
from tests.directory.conftest import make_org

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

QUERIES = [
    DirectoryQuery(),
    DirectoryQuery(q="förening"),
    DirectoryQuery(q="forening"),
    DirectoryQuery(q="Malmö"),
    DirectoryQuery(q="läxhjälp"),
    DirectoryQuery(q="idrot"),
    DirectoryQuery(q="förening malmö"),
    DirectoryQuery(q='"idrott för"'),
    DirectoryQuery(q="kommun", sector="public"),
    DirectoryQuery(q="förening", municipality="1280"),
    DirectoryQuery(q="förening", area="sport", target_group="children"),
    DirectoryQuery(sector="civil_society"),
    DirectoryQuery(municipality="1281"),
    DirectoryQuery(area="sport", municipality="1280"),
    DirectoryQuery(q="ingenting sådant"),
]


@pytest.fixture
def directory(db):
    """Names that tie on rank and differ in Swedish order (å, ä, ö, case), several filter
    values per organisation, and entries that are not public."""
    names = [
        "Idrottsföreningen Malmö",
        "Ängslyckans förening",
        "Åkerns förening",
        "Örjans idrott för alla",
        "ABF Malmö",
        "abc-föreningen",
        "Läxhjälp i Malmö",
        "Läxhjälpen Lund",
        "Föreningen Idrott för Handikappade",
        "Zebrans förening",
        "Malmö stad",
        "Lunds kommun",
    ]
    for number, name in enumerate(names):
        public = "kommun" in name or "stad" in name
        make_org(
            name,
            sector="public" if public else "civil_society",
            legal_form="municipality" if public else "non_profit_association",
            municipalities=[["1280"], ["1281"], ["1280", "1281", "1283"]][number % 3],
            areas=[["sport"], ["social_support"], []][number % 3],
            target_groups=[["children"], [], ["children", "unemployed"]][number % 3],
            description="Läxhjälp och idrott för barn i Malmö." if number % 2 else "",
        )
    make_org("Dold förening i Malmö", state=Organisation.State.HIDDEN, municipalities=["1280"])
    make_org("Utkast förening", state=Organisation.State.DRAFT, municipalities=["1280"])


def _prepared(query: DirectoryQuery):
    return selectors._filter_ids(query), selectors._text(query.q)


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("pool", [3, selectors.RERANK_POOL])
def test_list_rows_statement_gives_the_orm_pages(directory, monkeypatch, language, pool):
    # A small pool puts matches on both sides of the re-ranking boundary.
    monkeypatch.setattr(selectors, "RERANK_POOL", pool)
    with translation.override(language):
        for query in QUERIES:
            ids, text = _prepared(query)
            before = selectors._ranked_rows(selectors._search(ids, text, rank=True))
            now = functools.partial(selectors._pg_list_rows, ids, text)
            total = selectors._search(ids, text, rank=False).count()
            for offset, limit in [(0, 20), (0, 3), (2, 3), (5, 4), (total, 20)]:
                assert now(offset, limit) == before(offset, limit), (query, offset, limit)
                if text is not None:
                    # The search's counts and page in one statement.
                    counts, rows = selectors._pg_search_page(ids, text, offset, limit)
                    assert rows == before(offset, limit), (query, offset, limit)
                    assert counts == selectors._facet_counts(ids, text), query
            if total:
                assert now(0, 20)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_list_page_shows_the_orm_rows(client, directory, settings, monkeypatch, language):
    """The rendered list, page by page, as the ORM's rows render it."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    monkeypatch.setattr(selectors, "RERANK_POOL", 3)
    monkeypatch.setattr("directory.views.PAGE_SIZE", 4)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    params = [
        {"q": "förening"},
        {"q": "forening", "page": "2"},
        {"q": "forening", "page": "99"},  # past the end: the last page
        {"q": "förening", "page": "x"},
        {"municipality": "1280"},
        {"municipality": "1280", "page": "2"},
        {},
    ]
    for query in params:
        now = _page(client, query)
        with monkeypatch.context() as orm:
            orm.setattr(selectors, "_pg_list_rows", _orm_rows)
            orm.setattr(selectors, "_pg_search_page", _orm_search_page)
            before = _page(client, query)
        assert now == before, query
        assert 'class="card"' in now


def _page(client, query) -> str:
    html = client.get("/directory/", query).content.decode()
    # Per request: the CSP nonce and the CSRF token (of the language switch's form).
    return re.sub(r'(nonce|name="csrfmiddlewaretoken" value)="[^"]*"', "", html)


def _orm_rows(ids, text, offset, limit):
    return selectors._ranked_rows(selectors._search(ids, text, rank=True))(offset, limit)


def _orm_search_page(ids, text, offset, limit):
    return selectors._facet_counts(ids, text), _orm_rows(ids, text, offset, limit)


def test_facet_counts_statement_counts_the_matches(directory):
    """Counted one by one from the ORM's matches and their links."""
    for query in QUERIES:
        ids, text = _prepared(query)
        matches = list(
            selectors._search(ids, text, rank=False).prefetch_related(
                "municipalities", "areas", "target_groups"
            )
        )
        expected = {
            "sector": Counter(org.sector_id for org in matches),
            "municipality": Counter(m.id for org in matches for m in org.municipalities.all()),
            "area": Counter(a.id for org in matches for a in org.areas.all()),
            "target_group": Counter(t.id for org in matches for t in org.target_groups.all()),
        }
        counts = selectors._facet_counts(ids, text)
        assert counts == {name: dict(found) for name, found in expected.items()}, query
        assert selectors.directory_search(query).total == len(matches)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_detail_urls_are_what_reverse_gives(language, settings):
    from django.urls import reverse

    settings.LANGUAGE_CODE = language
    url = selectors._detail_urls()
    for slug in ["emmaus-bjorka", "abf_malmo", "123", "a", "slug-in-its-place-2"]:
        assert url(slug) == reverse("directory:detail", args=[slug])
