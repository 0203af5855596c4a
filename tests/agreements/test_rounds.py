"""Assessment rounds answered by the parties: opening, inviting, answering through personal
links, pooling per side, what the public and the process leader see, validation, withdrawal,
and who may do what."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from agreements import selectors, services
from agreements.enums import PRINCIPLE_ORDER, RoundSource, RoundStatus, Side
from agreements.models import AssessmentRound, Respondent
from tests.agreements.conftest import make_agreement, make_org, record_round, scores

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _open(client, agreement, **data):
    payload = {
        "held_on": TODAY().isoformat(),
        "closes_on": (TODAY() + timedelta(days=14)).isoformat(),
        "principles": [p.pk for p in selectors.principles()],
        "parties": [
            agreement.public_party_id,
            *agreement.civil_parties.values_list("pk", flat=True),
        ],
        **data,
    }
    return client.post(reverse("agreements:round_open", args=[agreement.pk]), payload)


def _invite(client, agreement, round_, *, name, email, role, organisation=None):
    data = {"name": name, "email": email, "role": role, "language": "sv"}
    if organisation is not None:
        data["organisation"] = organisation.pk
    return client.post(
        reverse("agreements:respondent_invite", args=[agreement.pk, round_.pk]), data
    )


def _link_from(message) -> str:
    return re.search(r"https?://\S+/agreements/answer/\S+/", message.body).group(0)


def _answer_data(value=3, **overrides):
    data = {}
    for code in PRINCIPLE_ORDER:
        data[f"score_{code}"] = overrides.get(code, value)
        data[f"comment_{code}"] = ""
    return data


def _respondents(round_, side, count, start=0):
    """Respondents invited through the service, with their tokens."""
    agreement = round_.agreement
    people = []
    for number in range(start, start + count):
        if side == Side.CIVIL_SOCIETY:
            role, org = "civil_society", agreement.civil_parties.first()
        else:
            role, org = "official", None
        respondent, token = services.respondent_invite(
            round_=round_,
            name=f"Person {side} {number}",
            email=f"p{number}-{side}@example.org",
            role=role,
            organisation=org,
        )
        people.append((respondent, token))
    return people


def _answer(client, token, value=3, **overrides):
    return client.post(
        reverse("agreements:respond", args=[token]), _answer_data(value, **overrides)
    )


# --- Opening and validation ----------------------------------------------------------------


def test_leader_opens_a_round_and_invites_one_respondent_per_side(
    client, agreement, leader, django_capture_on_commit_callbacks
):
    client.force_login(leader)
    response = _open(client, agreement)
    round_ = AssessmentRound.objects.get(agreement=agreement)
    assert response.status_code == 302
    assert response.headers["Location"] == reverse(
        "agreements:round", args=[agreement.pk, round_.pk]
    )
    assert round_.status == RoundStatus.OPEN
    assert round_.source == RoundSource.RESPONDENTS
    with django_capture_on_commit_callbacks(execute=True):
        _invite(
            client, agreement, round_, name="Anna Berg", email="anna@example.org", role="politician"
        )
        _invite(
            client,
            agreement,
            round_,
            name="Omar Lind",
            email="omar@example.org",
            role="civil_society",
            organisation=agreement.civil_parties.first(),
        )
    assert [m.to for m in mail.outbox] == [["anna@example.org"], ["omar@example.org"]]
    links = [_link_from(m) for m in mail.outbox]
    tokens = [link.rstrip("/").rsplit("/", 1)[1] for link in links]
    stored = set(Respondent.objects.values_list("token_hash", flat=True))
    # Only a hash is stored: the token itself is nowhere in the database.
    assert not stored & set(tokens)
    assert {r.side for r in Respondent.objects.all()} == {Side.PUBLIC, Side.CIVIL_SOCIETY}
    client.logout()
    page = client.get(reverse("agreements:respond", args=[tokens[0]]))
    assert page.status_code == 200
    assert "Anna Berg" in page.content.decode()


def test_round_in_the_future_is_refused(client, agreement, leader):
    client.force_login(leader)
    response = _open(client, agreement, held_on=(TODAY() + timedelta(days=1)).isoformat())
    assert response.status_code == 400
    assert "framtiden" in response.content.decode()
    assert not AssessmentRound.objects.exists()


def test_round_closing_before_it_opens_is_refused(client, agreement, leader):
    client.force_login(leader)
    response = _open(
        client,
        agreement,
        held_on=(TODAY() - timedelta(days=3)).isoformat(),
        closes_on=(TODAY() - timedelta(days=5)).isoformat(),
    )
    assert response.status_code == 400
    assert "stänga innan den öppnar" in response.content.decode()
    assert not AssessmentRound.objects.exists()


def test_only_one_open_round_at_a_time(client, agreement, leader):
    client.force_login(leader)
    assert _open(client, agreement).status_code == 302
    second = _open(client, agreement, held_on=(TODAY() - timedelta(days=1)).isoformat())
    assert second.status_code == 400
    assert "En annan omgång" in second.content.decode()
    assert AssessmentRound.objects.filter(agreement=agreement).count() == 1


def test_on_behalf_round_in_the_future_is_refused(client, agreement, leader):
    client.force_login(leader)
    data = {"held_on": (TODAY() + timedelta(days=400)).isoformat(), "side": "public"}
    for code in PRINCIPLE_ORDER:
        data[f"score_{code}"] = 3
    response = client.post(reverse("agreements:assessment", args=[agreement.pk]), data)
    assert response.status_code == 200
    assert "framtiden" in response.content.decode()
    assert not AssessmentRound.objects.exists()


def test_leader_edits_dates_closes_and_reopens(client, agreement, leader):
    client.force_login(leader)
    _open(client, agreement)
    round_ = AssessmentRound.objects.get()
    new_open = TODAY() - timedelta(days=10)
    response = client.post(
        reverse("agreements:round_dates", args=[agreement.pk, round_.pk]),
        {"version": round_.version, "held_on": new_open.isoformat(), "closes_on": ""},
    )
    assert response.status_code == 302
    round_.refresh_from_db()
    assert (round_.held_on, round_.closes_on) == (new_open, None)
    stale = client.post(
        reverse("agreements:round_dates", args=[agreement.pk, round_.pk]),
        {"version": 1, "held_on": TODAY().isoformat(), "closes_on": ""},
    )
    assert stale.status_code == 409
    url = reverse("agreements:round_status", args=[agreement.pk, round_.pk])
    client.post(url, {"status": "closed", "version": round_.version})
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED
    client.post(url, {"status": "open", "version": round_.version})
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN


def test_reopening_refused_while_another_round_is_open(client, agreement, leader):
    client.force_login(leader)
    _open(client, agreement, held_on=(TODAY() - timedelta(days=30)).isoformat(), closes_on="")
    first = AssessmentRound.objects.get()
    services.round_status_set(round_=first, status="closed")
    _open(client, agreement)
    first.refresh_from_db()
    response = client.post(
        reverse("agreements:round_status", args=[agreement.pk, first.pk]),
        {"status": "open", "version": first.version},
        follow=True,
    )
    assert "En annan omgång" in response.content.decode()
    first.refresh_from_db()
    assert first.status == RoundStatus.CLOSED


# --- Answering through the link ------------------------------------------------------------


def test_respondent_answers_and_can_change_while_open(client, agreement):
    round_ = services.round_open(agreement=agreement, held_on=TODAY(), closes_on=None)
    ((respondent, token),) = _respondents(round_, Side.PUBLIC, 1)
    response = _answer(client, token, 4, dialogue=2)
    assert response.status_code == 200
    assert "sparade" in response.content.decode()
    respondent.refresh_from_db()
    assert respondent.answered_at is not None
    assert {a.principle.code: a.score for a in respondent.answers.all()}["dialogue"] == 2
    _answer(client, token, 5)
    assert sorted(set(respondent.answers.values_list("score", flat=True))) == [5]


def test_missing_or_junk_scores_are_a_form_error(client, agreement):
    round_ = services.round_open(agreement=agreement, held_on=TODAY(), closes_on=None)
    ((_respondent, token),) = _respondents(round_, Side.PUBLIC, 1)
    data = _answer_data(3)
    data["score_dialogue"] = "nine"
    del data["score_quality"]
    response = client.post(reverse("agreements:respond", args=[token]), data)
    assert response.status_code == 400
    assert "Välj ett betyg från 1 till 5" in response.content.decode()


@pytest.mark.parametrize(
    "junk", ["x", "0" * 300, "%00abc", "a.b.c", "'; DROP TABLE x;--", "ÅÄÖ", "%F0%9F%92%A9"]
)
def test_junk_tokens_are_a_404_page_never_a_500(client, junk):
    response = client.get(f"/agreements/answer/{junk}/")
    assert response.status_code in (400, 404)
    response = client.post(f"/agreements/answer/{junk}/", _answer_data(3))
    assert response.status_code in (400, 403, 404)


def test_renewed_link_replaces_the_old_and_revoked_link_stops(client, agreement, leader):
    round_ = services.round_open(agreement=agreement, held_on=TODAY(), closes_on=None)
    ((respondent, token),) = _respondents(round_, Side.PUBLIC, 1)
    client.force_login(leader)
    client.post(
        reverse("agreements:respondent_renew", args=[agreement.pk, round_.pk, respondent.pk])
    )
    client.logout()
    assert client.get(reverse("agreements:respond", args=[token])).status_code == 404
    respondent.refresh_from_db()
    new_token = services.respondent_renew(respondent=respondent)
    assert client.get(reverse("agreements:respond", args=[new_token])).status_code == 200
    client.force_login(leader)
    client.post(
        reverse("agreements:respondent_revoke", args=[agreement.pk, round_.pk, respondent.pk])
    )
    client.logout()
    response = client.get(reverse("agreements:respond", args=[new_token]))
    assert response.status_code == 404
    assert "Länken fungerar inte" in response.content.decode()


def test_closed_round_takes_no_answers(client, agreement):
    round_ = services.round_open(agreement=agreement, held_on=TODAY(), closes_on=None)
    ((respondent, token),) = _respondents(round_, Side.PUBLIC, 1)
    services.round_status_set(round_=round_, status="closed")
    page = client.get(reverse("agreements:respond", args=[token]))
    assert "Omgången är stängd" in page.content.decode()
    assert _answer(client, token).status_code == 409
    assert not respondent.answers.exists()


# --- Pooled results and who sees them -------------------------------------------------------


def _round_with(agreement, civil: list[int], public: list[int], client):
    round_ = services.round_open(
        agreement=agreement, held_on=TODAY() - timedelta(days=7), closes_on=None
    )
    for (_r, token), value in zip(
        _respondents(round_, Side.CIVIL_SOCIETY, len(civil)), civil, strict=True
    ):
        _answer(client, token, value)
    for (_r, token), value in zip(
        _respondents(round_, Side.PUBLIC, len(public), 100), public, strict=True
    ):
        _answer(client, token, value)
    services.round_status_set(round_=round_, status="closed")
    return round_


def _cells(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_pooled_result_gap_and_counts_on_public_and_leader_pages(client, agreement, leader):
    _round_with(agreement, civil=[2, 2, 3], public=[5, 4, 5], client=client)
    public = _cells(client.get(reverse("agreements:detail", args=[agreement.pk])).content.decode())
    assert "Svar: idéburen sektor 3, offentlig sektor 3." in public
    # Civil society 2.3 (spread 0.5), public sector 4.7 (spread 0.5): a gap of 2.4, flagged.
    assert "Dialog svag 2,3 ±0,5 4,7 ±0,5 2,4 sidorna ser olika" in public
    client.force_login(leader)
    manage = _cells(client.get(reverse("agreements:manage", args=[agreement.pk])).content.decode())
    assert "Dialog svag 2,3 ±0,5 4,7 ±0,5 2,4" in manage


def test_side_with_fewer_than_three_is_shown_only_to_the_leader(client, agreement, leader):
    round_ = _round_with(agreement, civil=[4, 4, 5], public=[1], client=client)
    public = _cells(client.get(reverse("agreements:detail", args=[agreement.pk])).content.decode())
    assert "Visas inte offentligt, färre än 3 svarande: Offentlig sektor." in public
    assert "Ensidig omgång" in public
    assert "Dialog 4,3 ±0,5 – –" in public  # the public side's single answer is not shown
    client.force_login(leader)
    page = _cells(
        client.get(reverse("agreements:round", args=[agreement.pk, round_.pk])).content.decode()
    )
    assert "Bara processledare ser detta" in page
    assert "Dialog 4,3 ±0,5, n=3 1 ±0,0, n=1 inte offentligt 3,3" in page


def test_one_sided_round_is_never_a_mean_of_both(client, agreement):
    _round_with(agreement, civil=[3, 3, 3], public=[], client=client)
    health = selectors.principle_health(
        selectors.agreement_for_page(agreement.pk), selectors.principles()
    )
    row = health.by_code()["dialogue"]
    assert (row.civil, row.public, row.health, row.gap) == (3, None, None, None)
    assert health.latest.one_sided
    public = _cells(client.get(reverse("agreements:detail", args=[agreement.pk])).content.decode())
    assert "Ensidig omgång" in public


def test_comments_are_shown_without_names_coded_by_sector(client, agreement):
    round_ = services.round_open(agreement=agreement, held_on=TODAY(), closes_on=None)
    people = _respondents(round_, Side.CIVIL_SOCIETY, 3)
    for index, (_r, token) in enumerate(people):
        data = _answer_data(3)
        if index == 0:
            data["comment_dialogue"] = "Vi hörs för sent i budgetarbetet."
        client.post(reverse("agreements:respond", args=[token]), data)
    services.round_status_set(round_=round_, status="closed")
    html = client.get(reverse("agreements:detail", args=[agreement.pk])).content.decode()
    assert "Vi hörs för sent i budgetarbetet." in html
    assert "Person civil_society 0" not in html
    assert "p0-civil_society@example.org" not in html


def test_trend_per_side_against_the_earlier_round(client, agreement):
    record_round(agreement, TODAY() - timedelta(days=400), scores(2), scores(3))
    _round_with(agreement, civil=[3, 3, 4], public=[3, 3, 3], client=client)
    health = selectors.principle_health(
        selectors.agreement_for_page(agreement.pk), selectors.principles()
    )
    row = health.by_code()["dialogue"]
    assert (row.civil_change, row.public_change) == (1.3, 0)
    assert len(health.rounds) == 2


def test_open_round_is_not_a_result_yet(client, agreement):
    round_ = services.round_open(agreement=agreement, held_on=TODAY(), closes_on=None)
    for _r, token in _respondents(round_, Side.CIVIL_SOCIETY, 3):
        _answer(client, token, 1)
    health = selectors.principle_health(
        selectors.agreement_for_page(agreement.pk), selectors.principles()
    )
    assert health.latest is None


def test_withdrawn_round_asks_first_and_stays_in_history(client, agreement, leader):
    record_round(agreement, TODAY() - timedelta(days=30), scores(1), scores(1))
    round_ = AssessmentRound.objects.get()
    client.force_login(leader)
    url = reverse("agreements:round_withdraw", args=[agreement.pk, round_.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Dra tillbaka omgången" in confirm.content.decode()
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED  # nothing happened on GET
    response = client.post(url, {"note": "Fel datum", "version": round_.version}, follow=True)
    assert "Omgången har dragits tillbaka" in response.content.decode()
    round_.refresh_from_db()
    assert round_.status == RoundStatus.WITHDRAWN
    history = client.get(reverse("agreements:rounds", args=[agreement.pk])).content.decode()
    assert "Fel datum" in history
    client.logout()
    health = selectors.principle_health(
        selectors.agreement_for_page(agreement.pk), selectors.principles()
    )
    assert health.latest is None


def test_leader_entered_rounds_are_marked_on_behalf(client, agreement):
    record_round(agreement, TODAY() - timedelta(days=30), scores(3), scores(4))
    html = client.get(reverse("agreements:detail", args=[agreement.pk])).content.decode()
    assert "Inmatad för parternas räkning" in html


def test_public_party_only_invites_from_the_round_parties(client, agreement, leader):
    round_ = services.round_open(agreement=agreement, held_on=TODAY(), closes_on=None)
    stranger = make_org("Främmande förening")
    client.force_login(leader)
    response = _invite(
        client,
        agreement,
        round_,
        name="X",
        email="x@example.org",
        role="civil_society",
        organisation=stranger,
    )
    assert response.status_code == 400
    assert not Respondent.objects.exists()


# --- Permissions ----------------------------------------------------------------------------


def _round_urls(agreement, round_, respondent):
    a, r, p = agreement.pk, round_.pk, respondent.pk
    return {
        ("get", reverse("agreements:rounds", args=[a])): None,
        ("get", reverse("agreements:round_open", args=[a])): None,
        ("get", reverse("agreements:round", args=[a, r])): None,
        ("get", reverse("agreements:round_withdraw", args=[a, r])): None,
        ("post", reverse("agreements:round_dates", args=[a, r])): {
            "version": 1,
            "held_on": TODAY().isoformat(),
        },
        ("post", reverse("agreements:round_status", args=[a, r])): {"status": "closed"},
        ("post", reverse("agreements:round_withdraw", args=[a, r])): {"note": "x"},
        ("post", reverse("agreements:respondent_invite", args=[a, r])): {
            "name": "N",
            "email": "n@example.org",
            "role": "official",
            "language": "sv",
        },
        ("post", reverse("agreements:respondent_renew", args=[a, r, p])): {},
        ("post", reverse("agreements:respondent_revoke", args=[a, r, p])): {},
    }


@pytest.mark.parametrize(
    ("role", "expected"), [("other", 403), ("member", 403), ("anonymous", 302)]
)
def test_round_views_refuse_everyone_but_the_leaders(
    client, agreement, other_leader, member, role, expected
):
    round_ = services.round_open(agreement=agreement, held_on=TODAY(), closes_on=None)
    ((respondent, _token),) = _respondents(round_, Side.PUBLIC, 1)
    if role != "anonymous":
        client.force_login({"other": other_leader, "member": member}[role])
    for (method, url), data in _round_urls(agreement, round_, respondent).items():
        response = getattr(client, method)(url, data or {})
        assert response.status_code == expected, url
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN
    assert Respondent.objects.count() == 1


@pytest.mark.parametrize("who", ["leader", "secretariat"])
def test_round_views_open_to_own_leader_and_secretariat(
    client, agreement, leader, secretariat, who
):
    round_ = services.round_open(agreement=agreement, held_on=TODAY(), closes_on=None)
    client.force_login({"leader": leader, "secretariat": secretariat}[who])
    for name in ("agreements:rounds", "agreements:round", "agreements:round_withdraw"):
        args = [agreement.pk] if name == "agreements:rounds" else [agreement.pk, round_.pk]
        assert client.get(reverse(name, args=args)).status_code == 200


def test_round_of_another_agreement_is_404(client, agreement, leader):
    other = make_agreement(leaders=[leader])
    round_ = services.round_open(agreement=other, held_on=TODAY(), closes_on=None)
    client.force_login(leader)
    response = client.get(reverse("agreements:round", args=[agreement.pk, round_.pk]))
    assert response.status_code == 404


def test_public_page_queries_do_not_grow_with_respondents(
    client, agreement, django_assert_max_num_queries
):
    _round_with(agreement, civil=[3] * 6, public=[4] * 6, client=client)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("agreements:detail", args=[agreement.pk]))
    assert response.status_code == 200


@pytest.mark.vnu
def test_round_pages_are_valid_html(client, agreement, leader, tmp_path):
    """The pages the site walk cannot reach (a token in the path) and the round pages."""
    import json
    import subprocess

    from tests.conftest import _VNU_JAR
    from tests.portal.test_html_validity import dangling_references

    round_ = services.round_open(agreement=agreement, held_on=TODAY(), closes_on=None)
    people = _respondents(round_, Side.CIVIL_SOCIETY, 3)
    ((_public, public_token),) = _respondents(round_, Side.PUBLIC, 1, 50)
    pages = {
        "respond.html": client.get(reverse("agreements:respond", args=[people[0][1]])),
        "respond_error.html": client.post(
            reverse("agreements:respond", args=[people[1][1]]), {"score_dialogue": "x"}
        ),
        "thanks.html": _answer(client, people[2][1], 3),
        "invalid.html": client.get(reverse("agreements:respond", args=["nonsense"])),
    }
    _answer(client, public_token, 2)
    client.force_login(leader)
    for name, url in {
        "rounds.html": reverse("agreements:rounds", args=[agreement.pk]),
        "round.html": reverse("agreements:round", args=[agreement.pk, round_.pk]),
        "open.html": reverse("agreements:round_open", args=[agreement.pk]),
        "withdraw.html": reverse("agreements:round_withdraw", args=[agreement.pk, round_.pk]),
        "checklist.html": reverse("agreements:checklist", args=[agreement.pk]),
        "manage.html": reverse("agreements:manage", args=[agreement.pk]),
        "compare.html": reverse("agreements:compare"),
    }.items():
        pages[name] = client.get(url)
    services.round_status_set(round_=round_, status="closed")
    client.logout()
    pages["detail.html"] = client.get(reverse("agreements:detail", args=[agreement.pk]))
    dangling = []
    for name, response in pages.items():
        html = response.content.decode()
        (tmp_path / name).write_text(html)
        dangling += [f"{name}: {ref}" for ref in dangling_references(html)]
    result = subprocess.run(
        ["java", "-jar", str(_VNU_JAR), "--format", "json", "--errors-only"]
        + [str(tmp_path / name) for name in pages],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{m.get('url', '').rsplit('/', 1)[-1]}: {m.get('message')} [{m.get('extract', '')[:60]}]"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == []
    assert dangling == []


def test_link_opens_in_the_invitation_language_unless_switched(client, agreement):
    round_ = services.round_open(agreement=agreement, held_on=TODAY(), closes_on=None)
    _respondent, token = services.respondent_invite(
        round_=round_,
        name="Jane Doe",
        email="jane@example.org",
        role="manager",
        language="en",
        notify=False,
    )
    page = client.get(reverse("agreements:respond", args=[token])).content.decode()
    assert "Send my answers" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    page = client.get(reverse("agreements:respond", args=[token])).content.decode()
    assert "Skicka mina svar" in page
