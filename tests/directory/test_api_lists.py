"""The open-data lists at scale: their items are the full records' one-to-one fields, and
their statements do not grow with the rows listed."""

import pytest

from directory import services
from directory.models import Organisation
from tests.directory.conftest import make_org

pytestmark = pytest.mark.django_db

BASE = "/api/directory"


@pytest.fixture(autouse=True)
def _rendered(settings):
    # Every request built (the page cache would answer repeats without any statement).
    settings.PORTAL_PAGE_CACHE_SECONDS = 0


def _umbrella_with_members(number: int, members: int) -> Organisation:
    network = make_org(
        f"Nätverk {number:03d}",
        is_umbrella=True,
        municipalities=["1280"],
        street_address="Gatan 1",
        city="Malmö",
    )
    for member in range(members):
        organisation = make_org(
            f"Förening {number:03d}-{member}",
            legal_form=None if member % 2 else "non_profit_association",
            target_groups=["adults"],
            municipalities=["1281"],
            city="Lund",
        )
        services.organisation_update(organisation=organisation, member_of=[network])
    services.offer_create(organisation=network, title=f"Workshopdag {number}")
    return network


def _listed(client, path: str, **headers) -> list[dict]:
    response = client.get(f"{BASE}{path}", {"per_page": 50}, **headers)
    assert response.status_code == 200, response.content
    return response.json()["contents"]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_organisation_list_items_are_the_full_records_fields(client, language):
    network = _umbrella_with_members(1, 2)
    hidden = make_org("Dolt nätverk", is_umbrella=True, state=Organisation.State.HIDDEN)
    second = make_org("Andra nätverket", is_umbrella=True)
    member = Organisation.objects.get(name="Förening 001-0")
    services.organisation_update(organisation=member, member_of=[network, hidden, second])
    headers = {"HTTP_ACCEPT_LANGUAGE": language}

    listed = _listed(client, "/organizations", **headers)

    assert len(listed) == 4  # not the hidden umbrella
    by_name = {item["name"]: item for item in listed}
    # Published umbrellas only, by name in Swedish order (A before N).
    assert by_name["Förening 001-0"]["member_of"] == [str(second.uuid), str(network.uuid)]
    assert by_name["Förening 001-0"]["parent_organization_id"] == str(second.uuid)
    assert len(by_name["Nätverk 001"]["members"]) == 2
    for item in listed:
        full = client.get(f"{BASE}/organizations/{item['id']}", **headers).json()
        assert item == {key: full[key] for key in item}


def test_organisation_list_statements_do_not_grow_with_rows(client, django_assert_num_queries):
    _umbrella_with_members(1, 3)
    with django_assert_num_queries(3):  # the count, the page's rows, their memberships
        assert len(_listed(client, "/organizations")) == 4
    for number in range(2, 12):
        _umbrella_with_members(number, 3)
    with django_assert_num_queries(3):
        assert len(_listed(client, "/organizations")) == 44


def test_service_at_location_list_statements_do_not_grow_with_rows(
    client, django_assert_max_num_queries
):
    _umbrella_with_members(1, 0)
    with django_assert_max_num_queries(4) as few:
        assert len(_listed(client, "/service_at_locations")) == 1
    for number in range(2, 12):
        _umbrella_with_members(number, 0)
    with django_assert_max_num_queries(len(few.captured_queries)):
        listed = _listed(client, "/service_at_locations")
    assert len(listed) == 11
    assert all(item["location_id"] for item in listed)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_service_list_items_are_the_full_records_fields(client, language):
    for number in range(1, 4):
        _umbrella_with_members(number, 0)
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    listed = _listed(client, "/services", **headers)
    assert len(listed) == 3
    for item in listed:
        full = client.get(f"{BASE}/services/{item['id']}", **headers).json()
        assert item == {key: full[key] for key in item}


def test_service_list_statements_do_not_grow_with_rows(client, django_assert_num_queries):
    _umbrella_with_members(1, 0)
    with django_assert_num_queries(2):  # the count and the page
        assert len(_listed(client, "/services")) == 1
    for number in range(2, 12):
        _umbrella_with_members(number, 0)
    with django_assert_num_queries(2):
        assert len(_listed(client, "/services")) == 11


def test_service_list_by_municipality_and_text_from_values(client):
    """The list's plain values under a municipality term (a DISTINCT query) and a ranked
    text search: each offer once, the same items as the full records."""
    for number in range(1, 4):
        _umbrella_with_members(number, 0)
    terms = client.get(f"{BASE}/taxonomy_terms", {"per_page": 100, "search": "Malmö"}).json()
    malmo = next(t for t in terms["contents"] if t["code"] == "1280")
    network = Organisation.objects.get(name="Nätverk 001")
    services.offer_create(
        organisation=network,
        title="Läxhjälp i Malmö",
        municipalities=[network.municipalities.get()],
    )
    by_place = client.get(f"{BASE}/services", {"taxonomy_term_id": malmo["id"]}).json()
    assert [item["name"] for item in by_place["contents"]] == ["Läxhjälp i Malmö"]
    by_text = client.get(f"{BASE}/services", {"search": "läxhjälp"}).json()
    assert [item["name"] for item in by_text["contents"]] == ["Läxhjälp i Malmö"]
    full = client.get(f"{BASE}/services/{by_text['contents'][0]['id']}").json()
    assert by_text["contents"][0] == {key: full[key] for key in by_text["contents"][0]}


# Issue 17: the lists without filters count their rows once per change of the directory, not
# once per page (300,000 offers took a quarter of a second to count); always exact.
_UNFILTERED = [("/organizations", 2), ("/services", 1), ("/service_at_locations", 3)]


@pytest.mark.parametrize("path,statements", _UNFILTERED)
def test_unfiltered_list_counts_once_per_change(
    client, path, statements, django_assert_num_queries
):
    _umbrella_with_members(1, 1)
    first = client.get(f"{BASE}{path}", {"per_page": 50}).json()
    with django_assert_num_queries(statements):  # all but the count
        again = client.get(f"{BASE}{path}", {"per_page": 50}).json()
    assert again == first
    with django_assert_num_queries(statements):
        smaller = client.get(f"{BASE}{path}", {"per_page": 1}).json()
    assert smaller["total_items"] == first["total_items"]
    assert smaller["contents"] == first["contents"][:1]


@pytest.mark.parametrize("path", [path for path, _statements in _UNFILTERED])
def test_unfiltered_list_counts_right_after_writes(client, path):
    def total() -> int:
        return client.get(f"{BASE}{path}", {"per_page": 50}).json()["total_items"]

    network = _umbrella_with_members(1, 1)
    before = total()
    assert total() == before  # from the cache
    second = _umbrella_with_members(2, 0)
    assert total() == before + 1  # an organisation, or its offer
    offer = services.offer_create(organisation=second, title="Läxhjälp")
    assert total() == before + (1 if path == "/organizations" else 2)
    services.offer_update(offer=offer, is_active=False)
    assert total() == before + 1
    services.organisation_update(organisation=network, state=Organisation.State.HIDDEN, staff=True)
    # The network leaves the list, and so does its offer.
    assert total() == before


@pytest.mark.postgres  # on SQLite the typo alternatives take one statement per word
def test_filtered_list_is_counted_afresh(client, django_assert_num_queries):
    _umbrella_with_members(1, 1)
    client.get(f"{BASE}/services", {"search": "Workshopdag"})
    with django_assert_num_queries(3):  # the typo alternatives, the count, the page
        listed = client.get(f"{BASE}/services", {"search": "Workshopdag"}).json()
    assert listed["total_items"] == 1
