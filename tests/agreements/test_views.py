"""Per view and per role: own and other process leader, secretariat, member, anonymous."""

import json
from datetime import date

import pytest
from django.urls import reverse

from agreements import services
from agreements.enums import Phase, Side
from agreements.models import ActionPlanItem, Agreement, ChecklistItem, LogEntry, PhaseChange
from tests.agreements.conftest import make_agreement, record_round, scores

pytestmark = pytest.mark.django_db

READ_PAGES = [
    "agreements:manage",
    "agreements:edit",
    "agreements:checklist",
    "agreements:assessment",
]


def _roles(leader, other_leader, secretariat, member):
    return {"own": leader, "other": other_leader, "secretariat": secretariat, "member": member}


@pytest.mark.parametrize("name", READ_PAGES)
@pytest.mark.parametrize(
    ("role", "expected"),
    [("own", 200), ("other", 403), ("secretariat", 200), ("member", 403), ("anonymous", 302)],
)
def test_workspace_pages_per_role(
    client, agreement, leader, other_leader, secretariat, member, name, role, expected
):
    users = _roles(leader, other_leader, secretariat, member)
    if role != "anonymous":
        client.force_login(users[role])
    response = client.get(reverse(name, args=[agreement.pk]))
    assert response.status_code == expected
    if expected == 302:
        assert response.headers["Location"].startswith("/accounts/login/")


def _post_for(name, agreement):
    item = ChecklistItem.objects.filter(phase="pre").first()
    action = services.action_create(agreement=agreement, title="Åtgärd", owner_side=Side.PUBLIC)
    return {
        "agreements:phase": ([agreement.pk], {"version": 1, "direction": "advance", "note": "x"}),
        "agreements:answer": (
            [agreement.pk, item.pk],
            {f"q{item.pk}-version": 0, f"q{item.pk}-state": "answered", f"q{item.pk}-note": "x"},
        ),
        "agreements:action_add": ([agreement.pk], {"title": "Ny", "owner_side": "public"}),
        "agreements:action_status": ([agreement.pk, action.pk], {"status": "done"}),
        "agreements:log_add": (
            [agreement.pk],
            {"kind": "meeting", "occurred_on": "2026-01-10", "title": "Möte"},
        ),
        "agreements:anchoring_add": (
            [agreement.pk],
            {"level": "political", "anchored_on": "2026-01-10", "reference": "§ 1"},
        ),
        "agreements:edit": (
            [agreement.pk],
            {
                "version": 1,
                "title": "Ny titel",
                "summary": "Ny sammanfattning",
                "process_leaders": [u.pk for u in agreement.process_leaders.all()],
            },
        ),
    }[name]


WRITES = [
    "agreements:phase",
    "agreements:answer",
    "agreements:action_add",
    "agreements:action_status",
    "agreements:log_add",
    "agreements:anchoring_add",
    "agreements:edit",
]


def _changed(agreement) -> dict:
    agreement.refresh_from_db()
    return {
        "phase": agreement.phase,
        "title": agreement.title,
        "answers": agreement.answers.count(),
        "actions": ActionPlanItem.objects.filter(agreement=agreement, status="done").count()
        + ActionPlanItem.objects.filter(agreement=agreement, title="Ny").count(),
        "log": LogEntry.objects.filter(agreement=agreement).count(),
        "anchorings": agreement.anchorings.count(),
    }


@pytest.mark.parametrize("name", WRITES)
@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("own", True),
        ("other", False),
        ("secretariat", True),
        ("member", False),
        ("anonymous", False),
    ],
)
def test_writes_per_role(
    client, agreement, leader, other_leader, secretariat, member, name, role, allowed
):
    users = _roles(leader, other_leader, secretariat, member)
    args, data = _post_for(name, agreement)
    before = _changed(agreement)
    if role != "anonymous":
        client.force_login(users[role])
    response = client.post(reverse(name, args=args), data)
    after = _changed(agreement)
    if allowed:
        assert response.status_code == 302
        assert before != after
    else:
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert response.headers["Location"].startswith("/accounts/login/")
        assert before == after


@pytest.mark.parametrize(
    ("role", "expected"),
    [("own", 302), ("other", 403), ("secretariat", 302), ("member", 403)],
)
def test_report_request_per_role(
    client, agreement, leader, other_leader, secretariat, member, role, expected
):
    client.force_login(_roles(leader, other_leader, secretariat, member)[role])
    response = client.post(reverse("agreements:report", args=[agreement.pk]))
    assert response.status_code == expected
    if expected == 302:
        assert response.headers["Location"].startswith("/reports/")


@pytest.mark.parametrize(
    ("role", "expected"),
    [("own", 200), ("other", 200), ("secretariat", 200), ("member", 403), ("anonymous", 302)],
)
@pytest.mark.parametrize("name", ["agreements:dashboard", "agreements:compare"])
def test_dashboard_and_comparison_per_role(
    client, agreement, leader, other_leader, secretariat, member, name, role, expected
):
    if role != "anonymous":
        client.force_login(_roles(leader, other_leader, secretariat, member)[role])
    assert client.get(reverse(name)).status_code == expected


def test_dashboard_lists_only_own_agreements_for_a_process_leader(client, leader, other_leader):
    mine = make_agreement(leaders=[leader], title="Min överenskommelse")
    make_agreement(leaders=[other_leader], title="Någon annans överenskommelse")
    client.force_login(leader)
    content = client.get(reverse("agreements:dashboard")).content.decode()
    assert mine.title in content
    assert "Någon annans överenskommelse" not in content


@pytest.mark.parametrize(
    ("role", "expected"), [("own", 403), ("secretariat", 200), ("member", 403)]
)
def test_create_only_for_secretariat(client, leader, secretariat, member, role, expected):
    users = {"own": leader, "secretariat": secretariat, "member": member}
    client.force_login(users[role])
    assert client.get(reverse("agreements:create")).status_code == expected


def test_local_question_only_for_secretariat(client, agreement, leader, secretariat):
    url = reverse("agreements:question_add", args=[agreement.pk])
    data = {"phase": "pre", "text_sv": "Har vi bjudit in idrottsföreningarna?", "text_en": ""}
    client.force_login(leader)
    assert client.post(url, data).status_code == 403
    client.force_login(secretariat)
    assert client.post(url, data).status_code == 302
    assert agreement.local_questions.get().text_sv == "Har vi bjudit in idrottsföreningarna?"


def test_secretariat_creates_agreement(client, secretariat, leader):
    from tests.agreements.conftest import make_municipality, make_org

    municipality = make_municipality()
    public = make_org("Eslövs kommun", sector="public")
    umbrella = make_org("Föreningsparaplyet")
    client.force_login(secretariat)
    response = client.post(
        reverse("agreements:create"),
        {
            "title": "Överenskommelse i Eslöv",
            "level": "local",
            "municipality": municipality.pk,
            "public_party": public.pk,
            "civil_parties": [umbrella.pk],
            "process_leaders": [leader.pk],
            "phase": "pre",
            "collaboration_forms": ["iop"],
        },
    )
    agreement = Agreement.objects.get(title="Överenskommelse i Eslöv")
    assert response.headers["Location"] == reverse("agreements:manage", args=[agreement.pk])
    assert list(agreement.process_leaders.all()) == [leader]


def test_create_without_municipality_shows_error_next_to_field(client, secretariat):
    client.force_login(secretariat)
    response = client.post(reverse("agreements:create"), {"title": "X", "level": "local"})
    assert response.status_code == 200
    assert 'id="id_municipality_error"' in response.content.decode()


def test_concurrent_edit_second_save_is_told_about_the_first(
    client, agreement, leader, secretariat
):
    """Two people load the edit form at version 1; the second save must not overwrite."""
    url = reverse("agreements:edit", args=[agreement.pk])
    client.force_login(secretariat)
    keep = {"process_leaders": [leader.pk]}
    first = client.post(
        url, {"version": 1, "title": "Sekretariatets titel", "summary": "A", **keep}
    )
    assert first.status_code == 302
    client.force_login(leader)
    second = client.post(
        url, {"version": 1, "title": "Processledarens titel", "summary": "B", **keep}
    )
    assert second.status_code == 409  # a conflict (issue 10): the page shows both sides
    assert "Någon annan sparade den här överenskommelsen kl." in second.content.decode()
    agreement.refresh_from_db()
    assert (agreement.title, agreement.summary, agreement.version) == (
        "Sekretariatets titel",
        "A",
        2,
    )


def test_concurrent_phase_advance_second_is_refused(
    client, agreement, leader, other_leader, secretariat
):
    url = reverse("agreements:phase", args=[agreement.pk])
    client.force_login(leader)
    client.post(url, {"version": 1, "direction": "advance", "note": ""})
    client.force_login(secretariat)
    response = client.post(url, {"version": 1, "direction": "advance", "note": ""}, follow=True)
    assert "Någon annan sparade" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.phase == Phase.GATHERING
    assert PhaseChange.objects.filter(agreement=agreement).count() == 2


def test_concurrent_checklist_answer_second_gets_409(client, agreement, leader, secretariat):
    item = ChecklistItem.objects.filter(phase="pre").first()
    url = reverse("agreements:answer", args=[agreement.pk, item.pk])
    p = f"q{item.pk}-"
    client.force_login(leader)
    client.post(url, {p + "version": 0, p + "state": "answered", p + "note": "Först"})
    client.force_login(secretariat)
    response = client.post(url, {p + "version": 0, p + "state": "open", p + "note": "Sen"})
    assert response.status_code == 409
    assert "Någon annan sparade" in response.content.decode()
    assert agreement.answers.get().note == "Först"


def test_revert_without_reason_is_refused_with_message(client, leader):
    agreement = make_agreement(leaders=[leader], phase=Phase.FORMULATION)
    client.force_login(leader)
    response = client.post(
        reverse("agreements:phase", args=[agreement.pk]),
        {"version": 1, "direction": "revert", "note": ""},
        follow=True,
    )
    assert "Ange varför" in response.content.decode() or "Say why" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.phase == Phase.FORMULATION


def test_assessment_form_records_one_side(client, agreement, leader):
    client.force_login(leader)
    data = {"held_on": "2026-03-01", "side": "public"}
    data.update({f"score_{code}": 4 for code in scores()})
    response = client.post(reverse("agreements:assessment", args=[agreement.pk]), data)
    assert response.status_code == 302
    assert agreement.assessment_rounds.get().assessments.filter(side="public").count() == 6


def test_assessment_form_missing_score_shows_error(client, agreement, leader):
    client.force_login(leader)
    response = client.post(
        reverse("agreements:assessment", args=[agreement.pk]),
        {"held_on": "2026-03-01", "side": "public"},
    )
    assert response.status_code == 200
    assert 'id="id_score_dialogue_error"' in response.content.decode()


def test_unknown_agreement_is_404_for_secretariat(client, secretariat):
    client.force_login(secretariat)
    assert client.get(reverse("agreements:manage", args=[9999])).status_code == 404


# --- Public page and API --------------------------------------------------------------------


def test_public_page_hides_internal_notes_and_comments(client, leader):
    agreement = make_agreement(leaders=[leader], internal_notes="HEMLIG ANTECKNING")
    civil = scores(2)
    civil["dialogue"] = (2, "HEMLIG KOMMENTAR")
    record_round(agreement, date(2025, 5, 1), civil, scores(4))
    response = client.get(reverse("agreements:detail", args=[agreement.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "HEMLIG ANTECKNING" not in content
    assert "HEMLIG KOMMENTAR" not in content
    assert 'role="img"' in content
    assert "<title" in content


def test_public_list_and_principles_answer_anonymously(client, agreement):
    assert agreement.title in client.get(reverse("agreements:list")).content.decode()
    content = client.get(reverse("agreements:principles")).content.decode()
    assert "Självständighet och oberoende" in content or "Independence" in content


def test_api_list_and_detail(client, agreement, leader):
    record_round(agreement, date(2025, 5, 1), scores(2), scores(4, dialogue=5))
    services.agreement_phase_advance(agreement=agreement, expected_version=1, advanced_by=leader)
    listing = client.get("/api/agreements/").json()
    assert listing["count"] == 1
    assert listing["results"][0]["phase"] == "gathering"
    detail = client.get(f"/api/agreements/{agreement.pk}").json()
    assert [c["to"] for c in detail["phase_history"]] == ["pre", "gathering"]
    assert detail["latest_assessments"]["civil_society"]["dialogue"] == 2
    assert detail["latest_assessments"]["public"]["dialogue"] == 5
    assert "internal_notes" not in json.dumps(detail)
    assert client.get("/api/agreements/9999").status_code == 404
    assert client.get("/api/agreements/?page=abc").status_code == 400


def test_json_uses_the_fixed_codes(client, agreement):
    detail = client.get(f"/api/agreements/{agreement.pk}").json()
    assert set(detail["latest_assessments"]["public"]) == {
        "independence",
        "dialogue",
        "quality",
        "long_term",
        "openness",
        "diversity",
    }


# --- Fixed query counts ---------------------------------------------------------------------


def _grow(count, leader):
    for _n in range(count):
        agreement = make_agreement(leaders=[leader])
        record_round(agreement, date(2025, 1, 1), scores(3), scores(4))
        record_round(agreement, date(2025, 6, 1), scores(2), scores(4))
        services.action_create(
            agreement=agreement, title="Åtgärd", owner_side=Side.PUBLIC, due_on=date(2020, 1, 1)
        )


@pytest.mark.parametrize("name", ["agreements:dashboard", "agreements:compare", "agreements:list"])
def test_list_pages_keep_a_fixed_query_count(client, leader, name, django_assert_max_num_queries):
    client.force_login(leader)
    _grow(2, leader)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse(name)).status_code == 200
    _grow(6, leader)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse(name))
    assert response.status_code == 200
    assert response.content.decode().count("Lokal överenskommelse") >= 8


def test_api_list_keeps_a_fixed_query_count(client, leader, django_assert_max_num_queries):
    _grow(2, leader)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get("/api/agreements/")
    _grow(5, leader)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/api/agreements/").json()["count"] == 7
