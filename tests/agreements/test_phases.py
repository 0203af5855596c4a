"""Process history as it happened: back-dated phase changes (never in the future, never before
the previous one), planned dates beside the actual ones, anchoring dates, draft parties."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, Anchoring, PhaseChange
from directory.models import Organisation
from tests.agreements.conftest import make_agreement, make_org

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _advance(client, agreement, effective_on, note="", direction="advance"):
    agreement.refresh_from_db()
    return client.post(
        reverse("agreements:phase", args=[agreement.pk]),
        {
            "version": agreement.version,
            "direction": direction,
            "note": note,
            "effective_on": effective_on.isoformat() if effective_on else "",
        },
        follow=True,
    )


def test_a_process_begun_in_2023_is_entered_with_its_real_dates(client, leader):
    agreement = make_agreement(leaders=[leader], started_on=date(2023, 2, 1))
    client.force_login(leader)
    _advance(client, agreement, date(2023, 5, 15))
    _advance(client, agreement, date(2024, 1, 10))
    changes = list(PhaseChange.objects.filter(agreement=agreement))
    assert [c.effective_on for c in changes] == [
        date(2023, 2, 1),
        date(2023, 5, 15),
        date(2024, 1, 10),
    ]
    agreement.refresh_from_db()
    assert timezone.localdate(agreement.phase_entered_at) == date(2024, 1, 10)
    page = _text(client.get(reverse("agreements:detail", args=[agreement.pk])))
    # Pre-phase 2023-02-01 to 2023-05-15: 103 days against a typical 90.
    assert "Förfas – 2023-02-01 – 2023-05-15 103 (90)" in page
    assert "Insamling och dialog – 2023-05-15 – 2024-01-10 240 (180)" in page


def test_effective_date_defaults_to_today(client, agreement, leader):
    client.force_login(leader)
    _advance(client, agreement, None)
    change = PhaseChange.objects.filter(agreement=agreement).last()
    assert change.effective_on == timezone.localdate()


def test_a_phase_change_in_the_future_is_refused(client, agreement, leader):
    client.force_login(leader)
    response = _advance(client, agreement, timezone.localdate() + timedelta(days=1))
    assert "Datumet kan inte ligga i framtiden." in _text(response)
    agreement.refresh_from_db()
    assert agreement.phase == "pre"
    assert PhaseChange.objects.filter(agreement=agreement).count() == 1


def test_a_phase_change_before_the_previous_one_is_refused(client, leader):
    agreement = make_agreement(leaders=[leader], started_on=date(2023, 2, 1))
    client.force_login(leader)
    _advance(client, agreement, date(2024, 1, 10))
    response = _advance(client, agreement, date(2023, 12, 1))
    assert "kan inte gälla från före den förra (2024-01-10)" in _text(response)
    response = _advance(client, agreement, date(2023, 12, 1), note="Tillbaka", direction="revert")
    assert "kan inte gälla från före den förra (2024-01-10)" in _text(response)
    agreement.refresh_from_db()
    assert agreement.phase == "gathering"
    # On the same day as the previous one is fine.
    _advance(client, agreement, date(2024, 1, 10))
    agreement.refresh_from_db()
    assert agreement.phase == "formulation"


def test_signing_date_is_the_effective_date(client, leader):
    agreement = make_agreement(leaders=[leader], started_on=date(2022, 1, 1), phase="anchoring")
    client.force_login(leader)
    _advance(client, agreement, date(2023, 9, 20))
    agreement.refresh_from_db()
    assert agreement.signed_on == date(2023, 9, 20)


def test_planned_dates_are_saved_and_shown_beside_the_actual(client, agreement, leader):
    client.force_login(leader)
    agreement.refresh_from_db()
    data = {"version": agreement.version, "plan_pre": "2026-01-01", "plan_gathering": "2026-03-01"}
    client.post(reverse("agreements:plan", args=[agreement.pk]), data)
    agreement.refresh_from_db()
    assert agreement.phase_plan == {"pre": "2026-01-01", "gathering": "2026-03-01"}
    page = _text(client.get(reverse("agreements:detail", args=[agreement.pk])))
    assert "Insamling och dialog 2026-03-01 –" in page


def test_planned_dates_out_of_order_are_refused(client, agreement, leader):
    client.force_login(leader)
    agreement.refresh_from_db()
    data = {"version": agreement.version, "plan_pre": "2026-05-01", "plan_gathering": "2026-03-01"}
    response = client.post(reverse("agreements:plan", args=[agreement.pk]), data, follow=True)
    assert "kan inte planeras att börja före" in _text(response)
    agreement.refresh_from_db()
    assert agreement.phase_plan == {}


def test_plan_needs_the_leader(client, agreement, other_leader, member):
    for user in (other_leader, member):
        client.force_login(user)
        response = client.post(
            reverse("agreements:plan", args=[agreement.pk]),
            {"version": 1, "plan_pre": "2026-01-01"},
        )
        assert response.status_code == 403
    client.logout()
    response = client.post(reverse("agreements:plan", args=[agreement.pk]), {"version": 1})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/")
    agreement.refresh_from_db()
    assert agreement.phase_plan == {}


def test_anchoring_in_the_future_is_refused(client, agreement, leader):
    client.force_login(leader)
    response = client.post(
        reverse("agreements:anchoring_add", args=[agreement.pk]),
        {
            "level": "political",
            "anchored_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
        },
        follow=True,
    )
    assert "Datumet kan inte ligga i framtiden." in _text(response)
    assert not Anchoring.objects.exists()


def test_draft_organisations_are_not_offered_as_parties(client, agreement, secretariat):
    draft = make_org("Utkastföreningen")
    draft.state = Organisation.State.DRAFT
    draft.save(update_fields=["state"])
    draft_public = make_org("Utkastkommunen", sector="public")
    draft_public.state = Organisation.State.DRAFT
    draft_public.save(update_fields=["state"])
    client.force_login(secretariat)
    for url in (
        reverse("agreements:edit", args=[agreement.pk]),
        reverse("agreements:create"),
    ):
        html = client.get(url).content.decode()
        assert "Utkastföreningen" not in html
        assert "Utkastkommunen" not in html
    agreement.refresh_from_db()
    response = client.post(
        reverse("agreements:edit", args=[agreement.pk]),
        {"version": agreement.version, "title": agreement.title, "civil_parties": [draft.pk]},
    )
    assert response.status_code == 200  # refused: not a valid choice
    assert not Agreement.objects.get(pk=agreement.pk).civil_parties.filter(pk=draft.pk).exists()
