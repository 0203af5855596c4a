import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from directory import services
from directory.models import Organisation
from directory.openapi import build_openapi
from tests.directory.conftest import make_org

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_dict(build_openapi(server_url="http://localhost"))
schema.app = get_wsgi_application()
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def _keep_connection():
    """Calls through the raw WSGI app must not close the test's database connection (the
    Django test client does the same), or the test transaction would be lost."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_data(db, settings, _keep_connection):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    network = make_org(
        "NÄTVERKET - Idéburen sektor Skåne",
        is_umbrella=True,
        municipalities=["1280", "1281"],
        areas=["democracy"],
        street_address="Gatan 1",
        city="Malmö",
        accessibility="Entré utan trappsteg.",
        phone="040-00 00 00",
        website="https://natverket.example",
    )
    member = make_org("ABF Malmö", target_groups=["adults"])
    services.organisation_update(organisation=member, member_of=[network])
    services.offer_create(
        organisation=network,
        title="Workshopdagar",
        url="https://natverket.example/ws",
        municipalities=[network.municipalities.first()],
    )
    person = services.person_create(name="Oskar Lindahl")
    services.contact_role_create(
        organisation=network,
        person=person,
        title="Verksamhetsutvecklare",
        public_phone="040-1",
        consent_given_at=timezone.now(),
    )
    hidden_person = services.person_create(name="Hemlig Person")
    services.contact_role_create(organisation=network, person=hidden_person, title="Ej samtycke")
    make_org("Dold", state=Organisation.State.HIDDEN)
    return network


def test_list_is_hsds_page(client, api_data):
    response = client.get(reverse("directory_api:organizations"), {"search": "natverket"})
    assert response.status_code == 200
    data = response.json()
    assert (data["total_items"], data["total_pages"], data["page_number"]) == (1, 1, 1)
    organisation = data["contents"][0]
    assert organisation["name"] == "NÄTVERKET - Idéburen sektor Skåne"
    assert organisation["sector"] == "civil_society"
    assert organisation["members"] == [str(Organisation.objects.get(name="ABF Malmö").uuid)]
    assert response["Access-Control-Allow-Origin"] == "*"
    full = client.get(reverse("directory_api:organization", args=[organisation["id"]])).json()
    assert [c["name"] for c in full["contacts"]] == ["Oskar Lindahl"]
    assert full["services"][0]["name"] == "Workshopdagar"
    terms = {(a["link_type"], a["value"]) for a in full["attributes"]}
    assert terms == {
        ("sector", "civil_society"),
        ("legal_form", "non_profit_association"),
        ("area", "democracy"),
        ("municipality", "1280"),
        ("municipality", "1281"),
    }


def test_list_filters_and_excludes_unpublished(client, api_data):
    data = client.get(reverse("directory_api:organizations"), {"municipality": "1281"}).json()
    assert [o["name"] for o in data["contents"]] == ["NÄTVERKET - Idéburen sektor Skåne"]
    data = client.get(reverse("directory_api:organizations"), {"per_page": "100"}).json()
    assert data["total_items"] == 2


def test_detail_by_slug_and_uuid(client, api_data):
    by_slug = client.get(reverse("directory_api:organization", args=[api_data.slug])).json()
    by_id = client.get(reverse("directory_api:organization", args=[str(api_data.uuid)])).json()
    assert by_slug == by_id
    # No umbrella: the field is left out (HSDS types it as a string, never null).
    assert "parent_organization_id" not in by_slug


@pytest.mark.parametrize(
    "params,status",
    [
        ({"page": "0"}, 400),
        ({"page": "x"}, 400),
        ({"per_page": "1000"}, 400),
        ({"q": "a" * 201}, 400),
        ({"search": "a" * 201}, 400),
        ({"full": "maybe"}, 400),
        ({"format": "xml"}, 400),
        ({"page": "999999"}, 200),
        ({"sector": "unknown"}, 200),
    ],
)
def test_list_bad_input(client, api_data, params, status):
    response = client.get(reverse("directory_api:organizations"), params)
    assert response.status_code == status
    if status == 200:
        assert response.json()["contents"] == []
    else:
        assert response.json()["error"]


def test_detail_unknown_is_404(client, api_data):
    response = client.get(reverse("directory_api:organization", args=["nothing-here"]))
    assert response.status_code == 404
    assert response.json()["error"] == "Hittades inte."


def test_openapi_is_served(client):
    data = client.get(reverse("directory_api:openapi")).json()
    assert data["openapi"] == "3.1.0"
    hsds_paths = {
        "/",
        "/organizations",
        "/organizations/{id}",
        "/services",
        "/services/{id}",
        "/service_at_locations",
        "/service_at_locations/{id}",
        "/taxonomies",
        "/taxonomies/{id}",
        "/taxonomy_terms",
        "/taxonomy_terms/{id}",
    }
    assert {"/api/directory" + path for path in hsds_paths} <= set(data["paths"])
    assert {
        "/api/council/composition",
        "/api/workshops/",
        "/api/workshops/{id}/stats",
        "/api/agreements/",
        "/api/agreements/{id}",
    } <= set(data["paths"])
    # The official HSDS schemas are the response schemas.
    assert data["components"]["schemas"]["service"]["required"] == ["id", "name", "status"]


@schema.parametrize()
@hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_openapi(case, api_data):
    case.call_and_validate(checks=CHECKS)


def test_detail_nul_or_odd_key_is_404(client, api_data):
    for key in ["a%2Fb", "x" * 200]:
        assert client.get(f"/api/directory/organizations/{key}").status_code == 404
    # A NUL is refused at the edge for every path, in the API's error shape.
    response = client.get("/api/directory/organizations/%00")
    assert response.status_code == 400
    assert set(response.json()) == {"error", "fields"}
