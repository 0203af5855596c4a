"""The public agreement page and the comparison: the latest completed round, the action plan's
progress, the timeline with planned and actual dates; the comparison with principles as rows."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements import services
from agreements.enums import ActionStatus, Side
from tests.agreements.conftest import make_agreement, record_round, scores

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_public_page_shows_the_action_plan_progress(client, agreement):
    today = timezone.localdate()
    for title, status, due in [
        ("Gemensam kalender", ActionStatus.DONE, today - timedelta(days=30)),
        ("Dialogmöten på kvällstid", ActionStatus.IN_PROGRESS, today + timedelta(days=30)),
        ("Ny bidragsmodell", ActionStatus.PLANNED, today - timedelta(days=3)),
        ("Struken idé", ActionStatus.CANCELLED, None),
    ]:
        services.action_create(
            agreement=agreement, title=title, owner_side=Side.PUBLIC, due_on=due, status=status
        )
    page = _text(client.get(reverse("agreements:detail", args=[agreement.pk])))
    assert "Klara: 1 · pågår: 1 · planerade: 1 · försenade: 1" in page
    assert "Ny bidragsmodell: Planerad" in page
    assert "försenad" in page
    assert "Struken idé" not in page


def test_comparison_has_principles_as_rows_and_places_as_columns(client, leader):
    agreement = make_agreement(leaders=[leader])
    record_round(
        agreement, timezone.localdate() - timedelta(days=10), scores(3, dialogue=2), scores(4)
    )
    client.force_login(leader)
    page = _text(client.get(reverse("agreements:compare")))
    assert "Princip Eslöv" in page  # the heat map's head: one column per place
    assert "Dialog 2 / 4 ⚠ 2" in page
    assert "Kvalitet 3 / 4" in page


def test_json_rounds_give_pooled_means_and_never_a_small_side(client, agreement):
    round_ = services.round_open(
        agreement=agreement, held_on=timezone.localdate() - timedelta(days=5), closes_on=None
    )
    party = agreement.civil_parties.get()
    answers = [("civil_society", party, 2), ("civil_society", party, 3)]
    answers += [("civil_society", party, 4), ("official", None, 5)]
    for number, (role, org, value) in enumerate(answers):
        respondent, _token = services.respondent_invite(
            round_=round_,
            name=f"N{number}",
            email=f"n{number}@example.org",
            role=role,
            organisation=org,
            notify=False,
        )
        services.respondent_answer(
            respondent=respondent,
            scores={code: (value, "") for code in ("independence", "dialogue", "quality")}
            | {code: (value, "") for code in ("long_term", "openness", "diversity")},
        )
    services.round_status_set(round_=round_, status="closed")
    detail = client.get(f"/api/agreements/{agreement.pk}").json()
    assert detail["latest_assessments"]["civil_society"]["dialogue"] == 3
    assert detail["latest_assessments"]["public"]["dialogue"] is None
    (latest,) = detail["rounds"]
    assert latest["answered_by"] == "respondents"
    assert latest["responses"] == {"civil_society": 3, "public": 1}
    assert {s["side"] for s in latest["scores"]} == {"civil_society"}
    assert "n0@example.org" not in str(detail)
