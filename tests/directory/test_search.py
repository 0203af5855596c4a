"""Search by what organisations offer, with typos forgiven, on whichever database runs.

This module runs on PostgreSQL in CI and again on SQLite (the embedded `make run`) through
tests/directory/test_search_sqlite.py, so both paths are held to the same findings.
"""

import pytest

from directory import selectors
from directory.selectors import DirectoryQuery, OfferQuery

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_data(demo_directory, db):
    return None


def names(query: str) -> list[str]:
    return [org.name for org in selectors.organisation_search(DirectoryQuery(q=query))]


def offer_titles(**query) -> list[str]:
    return [offer.title for offer in selectors.offer_search(OfferQuery(**query)).results[0:50]]


@pytest.mark.parametrize(
    "word,organisation",
    [
        ("vardagssvenska", "ABF Malmö"),
        ("cirkelledare", "ABF Malmö"),
        ("boccia", "Föreningen Idrott för Handikappade"),
    ],
)
def test_organisation_search_finds_offer_words(demo_data, word, organisation):
    assert names(word) == [organisation]


@pytest.mark.parametrize(
    "word,offer",
    [
        ("cirkelledare", "Studiecirklar i svenska"),
        ("boccia", "Prova-på-idrott"),
        ("arbetsträning", "Arbetsträning i second hand"),
        ("Coompanion", "Rådgivning för att starta kooperativ"),
    ],
)
def test_offer_search_finds_offer_and_organisation_words(demo_data, word, offer):
    assert offer_titles(q=word) == [offer]


@pytest.mark.parametrize(
    "typed,organisation",
    [("Forsakringskasan", "Försäkringskassan"), ("Companion", "Coompanion Skåne")],
)
def test_misspelt_name_finds_the_organisation(demo_data, typed, organisation):
    assert organisation in names(typed)


def test_offer_search_forgives_a_typo(demo_data):
    assert offer_titles(q="cirkelleddare") == ["Studiecirklar i svenska"]


def test_offer_facets_and_filters(demo_data):
    search = selectors.offer_search(OfferQuery(municipality="1280"))
    assert search.total == 6
    counts = {value["code"]: value["count"] for value in search.facets["cost"]}
    assert counts["free"] >= 1
    assert offer_titles(q="boccia", no_referral=True) == ["Prova-på-idrott"]
    assert offer_titles(q="boccia", municipality="0180") == []
    assert offer_titles(language="ar") == ["Studiecirklar i svenska"]
