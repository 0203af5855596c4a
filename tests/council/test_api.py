from datetime import date

import pytest
from django.urls import reverse

from council.models import Role
from tests.council.conftest import seat

pytestmark = pytest.mark.django_db


def test_composition_is_public_and_counts_on_the_date(client, council):
    seat(council, gender="woman")
    seat(council, gender="man", sector="public", start=date(2014, 8, 1))
    seat(council, gender="woman", role=Role.PROJECT_LEADER, work_share=20)

    june = client.get(reverse("council_api:composition"), {"on": "2014-06-01"})
    september = client.get(reverse("council_api:composition"), {"on": "2014-09-01"}).json()

    assert june.status_code == 200
    body = june.json()
    assert body["on"] == "2014-06-01"
    assert body["representatives"]["headcount"] == 1
    assert body["representatives"]["gender"]["verdict"] == "too_small"
    assert september["representatives"]["headcount"] == 2
    assert september["representatives"]["sector"]["counts"]["public"] == 1
    assert september["representatives"]["gender"]["verdict"] == "balanced"
    assert september["leadership"]["headcount"] == 1
    assert september["leadership"]["roles"] == ["project_leader"]
    assert september["leadership"]["gender_by_work_share"]["counts"]["woman"] == 20
    # Office holders are counted, never named.
    assert "Person" not in june.content.decode()


@pytest.mark.parametrize("value", ["2014-13-01", "yesterday", "2014-02-30", "1'; DROP"])
def test_composition_rejects_a_bad_date_with_clear_json(client, council, value):
    response = client.get(reverse("council_api:composition"), {"on": value})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_date"
    assert "YYYY-MM-DD" in body["detail"]


def test_composition_without_council_answers(client, db):
    response = client.get(reverse("council_api:composition"))
    assert response.status_code == 200
    assert response.json()["council"] is None
