"""The offer search's bounded path on PostgreSQL (what keeps it fast at 300,000 offers):
the row's copies (`is_public`, link id arrays) follow every write, and a search with more
than OFFER_EXACT_LIMIT matches estimates instead of counting and ranking every match."""

import pytest

from directory import selectors, services
from directory.models import Municipality, Organisation
from directory.selectors import OfferQuery
from tests.directory.conftest import make_org

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def _offers(count: int, **details):
    organisation = make_org("Föreningen Bocciavänner", municipalities=["1280"])
    for number in range(count):
        services.offer_create(
            organisation=organisation,
            title=f"Boccia grupp {number:02d}",
            description="Boccia för alla.",
            municipalities=[Municipality.objects.get(code="1280")],
            **details,
        )
    return organisation


def _all_titles(search) -> list[str]:
    return [offer.title for offer in search.results[0 : len(search.results)]]


def test_offer_search_under_the_limit_is_exact_on_every_page():
    _offers(7)
    search = selectors.offer_search(OfferQuery(q="boccia"), page=2, per_page=3)
    assert search.exact is True
    assert search.total == 7
    assert len(search.results) == 7
    # The page read with the counts, and any other slice, come in the same order.
    assert [offer.title for offer in search.results[3:6]] == _all_titles(search)[3:6]
    assert sorted(_all_titles(search)) == [f"Boccia grupp {n:02d}" for n in range(7)]
    by_title = selectors.offer_search(OfferQuery(municipality="1280"))
    assert _all_titles(by_title) == [f"Boccia grupp {n:02d}" for n in range(7)]


def test_offer_search_over_the_limit_estimates_and_pages_through_a_bounded_pool(monkeypatch):
    _offers(9)
    monkeypatch.setattr(selectors, "OFFER_EXACT_LIMIT", 4)
    search = selectors.offer_search(OfferQuery(q="boccia"))
    assert search.exact is False
    assert search.total >= 5  # the planner's estimate, never below what was seen
    assert len(search.results) == 4
    assert search.facets["municipality"][0]["code"] == "1280"


def test_offer_page_says_when_the_count_is_an_estimate(client, monkeypatch):
    _offers(6)
    monkeypatch.setattr(selectors, "OFFER_EXACT_LIMIT", 3)
    response = client.get("/directory/offers/", {"q": "boccia"})
    assert response.status_code == 200
    assert response.context["search"].exact is False
    text = response.content.decode()
    assert "Sidorna visar de 3 som passar bäst" in text


def test_offers_leave_the_search_when_their_organisation_is_hidden():
    organisation = _offers(2)
    assert selectors.offer_search(OfferQuery(q="boccia")).total == 2
    services.organisation_update(
        organisation=organisation, staff=True, state=Organisation.State.HIDDEN
    )
    assert selectors.offer_search(OfferQuery(q="boccia")).total == 0


def test_offer_filter_follows_an_edited_link():
    organisation = _offers(1)
    offer = organisation.offers.get()
    services.offer_update(offer=offer, municipalities=[Municipality.objects.get(code="0180")])
    assert selectors.offer_search(OfferQuery(q="boccia", municipality="1280")).total == 0
    assert selectors.offer_search(OfferQuery(q="boccia", municipality="0180")).total == 1


def test_offer_list_page_queries_are_fixed(client, django_assert_max_num_queries):
    _offers(25)
    with django_assert_max_num_queries(10):
        response = client.get("/directory/offers/", {"q": "boccia", "page": "2"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 5
