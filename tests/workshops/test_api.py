import pytest

from tests.workshops.conftest import make_workshop, register

pytestmark = pytest.mark.django_db


def test_api_list_gives_id_title_date_place_theme(client, workshop):
    data = client.get("/api/workshops/").json()
    assert data["count"] == 1
    row = data["results"][0]
    assert row["id"] == workshop.pk
    assert row["title"] == workshop.title
    assert row["theme_question"] == "Hur gör vi samverkan?"
    assert row["place"]["city"] == "Höör"


def test_api_list_hides_drafts_and_bad_page(client):
    make_workshop(state="draft")
    assert client.get("/api/workshops/").json()["count"] == 0
    assert client.get("/api/workshops/?page=x").status_code == 400
    assert client.get("/api/workshops/?page=9").status_code == 404


def test_api_stats_suppresses_small_counts(client, workshop):
    for _ in range(5):
        register(workshop, gender="woman")
    for _ in range(3):
        register(workshop, gender="man", sector_code="public")
    data = client.get(f"/api/workshops/{workshop.pk}/stats").json()
    gender = data["registered"]["gender"]
    assert data["registered"]["total"] == 8
    assert gender["counts"]["woman"] == 5
    assert gender["counts"]["man"] is None
    # Issue 11: beside a small count, every count under 5 is hidden (zeros too), so that
    # the small one cannot be worked out from the total.
    assert gender["counts"]["non_binary"] is None
    assert gender["suppressed"] == ["man", "non_binary", "unknown"]
    assert gender["suppressed_secondary"] == []
    assert gender["verdict"] == "unbalanced"  # 3 of 8 is below 40 %
    assert data["suppression"] == {"below": 5, "applies": True}
    assert data["attended"]["total"] == 0


def test_api_stats_unknown_is_404(client):
    assert client.get("/api/workshops/999/stats").status_code == 404
