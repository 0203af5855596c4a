"""The Code of Good Practice for Civil Participation as a round's optional second
questionnaire: the leader asks it when opening a round, respondents give a level of
participation per decision step through their personal link, results are pooled per side
(a side with fewer than three respondents is not shown publicly), the gap per step is shown
to the leader, on the public page and in the follow-up PDF."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from agreements import selectors, services
from agreements.enums import DECISION_STEP_ORDER, PRINCIPLE_ORDER, Side
from agreements.models import AssessmentRound, ParticipationAnswer, RespondentAnswer
from reports.models import ReportJob
from reports.services import report_job_request
from tests.agreements.conftest import scores
from tests.reports.pdf import pdf_text

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _open_round(agreement, *, asks=True):
    return services.round_open(
        agreement=agreement,
        held_on=TODAY() - timedelta(days=7),
        closes_on=None,
        asks_participation=asks,
    )


def _invite(round_, side, number):
    agreement = round_.agreement
    civil = side == Side.CIVIL_SOCIETY
    respondent, token = services.respondent_invite(
        round_=round_,
        name=f"Person {side} {number}",
        email=f"p{number}-{side}@example.org",
        role="civil_society" if civil else "official",
        organisation=agreement.civil_parties.first() if civil else None,
        notify=False,
    )
    return respondent, token


def _form_data(value=3, levels=None, **overrides) -> dict:
    data = {}
    for code in PRINCIPLE_ORDER:
        data[f"score_{code}"] = value
        data[f"comment_{code}"] = ""
    for step in DECISION_STEP_ORDER:
        level = (levels or {}).get(step, "consultation")
        if level is not None:
            data[f"level_{step}"] = level
    data.update(overrides)
    return data


def _answer(client, token, **kwargs):
    return client.post(reverse("agreements:respond", args=[token]), _form_data(**kwargs))


def _all(level: str) -> dict:
    return {step: level for step in DECISION_STEP_ORDER}


def _round_with(client, agreement, civil: list[dict], public: list[dict]):
    """A closed round whose respondents answered through their links."""
    round_ = _open_round(agreement)
    for side, answers, start in ((Side.CIVIL_SOCIETY, civil, 0), (Side.PUBLIC, public, 100)):
        for number, levels in enumerate(answers, start=start):
            _respondent, token = _invite(round_, side, number)
            assert _answer(client, token, levels=levels).status_code == 200
    return services.round_status_set(round_=round_, status="closed")


# --- Opening and answering -----------------------------------------------------------------


def test_leader_opens_a_round_with_the_code_questionnaire(client, agreement, leader):
    client.force_login(leader)
    form = client.get(reverse("agreements:round_open", args=[agreement.pk]))
    assert "Fråga också om nivåerna av delaktighet (EU-koden)" in _text(form)
    response = client.post(
        reverse("agreements:round_open", args=[agreement.pk]),
        {
            "held_on": TODAY().isoformat(),
            "closes_on": "",
            "principles": [p.pk for p in selectors.principles()],
            "parties": [
                agreement.public_party_id,
                *agreement.civil_parties.values_list("pk", flat=True),
            ],
            "asks_participation": "on",
        },
    )
    assert response.status_code == 302
    round_ = AssessmentRound.objects.get(agreement=agreement)
    assert round_.asks_participation is True
    page = client.get(reverse("agreements:round", args=[agreement.pk, round_.pk]))
    assert "Med enkäten enligt EU-koden" in _text(page)


def test_round_without_the_questionnaire_does_not_ask_it(client, agreement):
    round_ = _open_round(agreement, asks=False)
    respondent, token = _invite(round_, Side.PUBLIC, 1)
    page = _text(client.get(reverse("agreements:respond", args=[token])))
    assert "Det civila samhällets delaktighet i besluten" not in page
    # Levels sent anyway are ignored: the round did not ask for them.
    assert _answer(client, token).status_code == 200
    assert not ParticipationAnswer.objects.exists()
    assert RespondentAnswer.objects.filter(respondent=respondent).count() == 6


def test_respondent_answers_the_levels_through_the_link(client, agreement):
    round_ = _open_round(agreement)
    respondent, token = _invite(round_, Side.CIVIL_SOCIETY, 1)
    url = reverse("agreements:respond", args=[token])
    page = _text(client.get(url))
    assert "Det civila samhällets delaktighet i besluten" in page
    for step in ("Dagordning", "Utformning", "Beslut", "Genomförande", "Övervakning"):
        assert step in page
    for level in ("Information", "Konsultation", "Dialog", "Partnerskap", "Inget", "Vet inte"):
        assert level in page
    levels = {**_all("information"), "drafting": "dialogue", "monitoring": "unknown"}
    response = _answer(client, token, levels=levels)
    assert response.status_code == 200
    assert "Tack! Dina svar är sparade" in _text(response)
    stored = dict(respondent.participation_answers.values_list("step", "level"))
    assert stored == levels
    # Back on the link, the answers are there to change.
    again = client.get(url).content.decode()
    assert re.search(r'value="dialogue"[^>]*id="id_level_drafting_\d"[^>]*checked', again)
    _answer(client, token, levels=_all("partnership"))
    assert set(respondent.participation_answers.values_list("level", flat=True)) == {"partnership"}
    assert respondent.participation_answers.count() == 6


def test_questionnaire_in_english_for_an_english_invitation(client, agreement):
    round_ = _open_round(agreement)
    _respondent, token = services.respondent_invite(
        round_=round_,
        name="Jane Doe",
        email="jane@example.org",
        role="manager",
        language="en",
        notify=False,
    )
    page = _text(client.get(reverse("agreements:respond", args=[token])))
    assert "Civil participation in decision-making" in page
    assert "Agenda setting" in page and "Reformulation" in page
    assert "Partnership We share responsibility for it" in page
    response = _answer(client, token, levels={"decision": "veto"})
    assert "Choose one of the levels of participation listed." in _text(response)


def test_missing_level_is_refused_with_a_message(client, agreement):
    round_ = _open_round(agreement)
    respondent, token = _invite(round_, Side.CIVIL_SOCIETY, 1)
    response = _answer(client, token, levels={"decision": None})
    assert response.status_code == 400
    assert "Välj en nivå av delaktighet för varje steg." in _text(response)
    respondent.refresh_from_db()
    assert respondent.answered_at is None
    assert not ParticipationAnswer.objects.exists()


@pytest.mark.parametrize(
    "junk",
    ["5", "PARTNERSHIP", "'; DROP TABLE agreements_agreement; --", "x" * 5000],
)
def test_junk_level_is_refused_with_a_message(client, agreement, junk):
    round_ = _open_round(agreement)
    respondent, token = _invite(round_, Side.PUBLIC, 1)
    response = _answer(client, token, levels={"drafting": junk})
    assert response.status_code == 400
    assert "Välj en av de nivåer av delaktighet som finns i listan." in _text(response)
    respondent.refresh_from_db()
    assert respondent.answered_at is None
    assert not ParticipationAnswer.objects.exists()
    assert not RespondentAnswer.objects.exists()


def test_nul_byte_in_a_level_is_refused_with_a_message(client, agreement):
    round_ = _open_round(agreement)
    respondent, token = _invite(round_, Side.PUBLIC, 1)
    response = _answer(client, token, levels={"drafting": "partnership\x00"})
    assert response.status_code == 400
    assert "kontrolltecken" in _text(response)
    respondent.refresh_from_db()
    assert respondent.answered_at is None
    assert not ParticipationAnswer.objects.exists()


def test_service_refuses_unknown_levels_and_missing_steps(agreement):
    round_ = _open_round(agreement)
    respondent, _token = _invite(round_, Side.PUBLIC, 1)
    with pytest.raises(ValidationError) as error:
        services.respondent_answer(
            respondent=respondent,
            scores=scores(3),
            participation={**_all("dialogue"), "decision": "veto\x00"},
        )
    assert error.value.message_dict == {
        "level_decision": ["Välj en av de nivåer av delaktighet som finns i listan."]
    }
    with pytest.raises(ValidationError) as error:
        services.respondent_answer(respondent=respondent, scores=scores(3), participation=None)
    assert "level_agenda_setting" in error.value.message_dict
    assert not ParticipationAnswer.objects.exists()
    assert not RespondentAnswer.objects.exists()


def test_database_refuses_an_unknown_level(agreement):
    """The check constraint holds even for a write that skips the service (PostgreSQL in CI)."""
    round_ = _open_round(agreement)
    respondent, _token = _invite(round_, Side.PUBLIC, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipationAnswer.objects.create(respondent=respondent, step="decision", level="veto")
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipationAnswer.objects.create(respondent=respondent, step="lobbying", level="none")
    assert connection.vendor in ("postgresql", "sqlite")


# --- Pooled results ------------------------------------------------------------------------


def test_levels_are_pooled_per_side_with_the_gap_per_step(client, agreement, leader):
    civil = [
        {**_all("consultation"), "agenda_setting": "none"},
        {**_all("consultation"), "agenda_setting": "information"},
        {**_all("information"), "agenda_setting": "unknown"},
    ]
    public = [_all("partnership"), _all("dialogue"), {**_all("dialogue"), "drafting": "unknown"}]
    round_ = _round_with(client, agreement, civil, public)
    result = selectors.participation_result(round_)
    by_step = {row.step: row for row in result.steps}
    agenda = by_step["agenda_setting"]
    assert (agenda.civil.mean, agenda.civil.unknown) == (0.5, 1)  # "don't know" left out
    assert agenda.public.mean == 3.3
    assert (agenda.gap, agenda.gap_stands_out) == (2.8, True)
    assert (by_step["drafting"].civil.mean, by_step["drafting"].public.mean) == (1.7, 3.5)
    assert result.answered == {Side.CIVIL_SOCIETY: 3, Side.PUBLIC: 3}

    public_page = _text(client.get(reverse("agreements:detail", args=[agreement.pk])))
    assert "Det civila samhällets delaktighet i besluten" in public_page
    assert "Svar på den här enkäten: idéburen sektor 3, offentlig sektor 3." in public_page
    assert "Dagordning Information (0.5) 1 vet inte Dialog (3.3) 2.8 sidorna ser olika" in (
        public_page.replace(",", ".")
    )
    assert "Person" not in public_page  # no respondent's name

    client.force_login(leader)
    leader_page = _text(client.get(reverse("agreements:round", args=[agreement.pk, round_.pk])))
    # The leader also sees how the answers are spread over the levels.
    assert "Inget 1 · Information 1 · Vet inte 1" in leader_page
    assert "Utformning Konsultation (1,7) Information 1 · Konsultation 2" in leader_page


def test_side_with_fewer_than_three_is_hidden_publicly_and_shown_to_the_leader(
    client, agreement, leader
):
    round_ = _round_with(
        client,
        agreement,
        civil=[_all("dialogue"), _all("dialogue"), _all("partnership")],
        public=[_all("information")],
    )
    public_page = _text(client.get(reverse("agreements:detail", args=[agreement.pk])))
    section = public_page.split("Det civila samhällets delaktighet i besluten", 1)[1]
    section = section.split("Handlingsplan", 1)[0]
    assert "Visas inte offentligt, färre än 3 svarande: Offentlig sektor." in section
    assert "Ensidigt: bara den ena sidans svar kan visas" in section
    assert "Beslut Dialog (3,3) n=1, visas inte –" in section
    assert "Information (1" not in section

    public = selectors.participation_result(round_)
    assert all(row.public.hidden and row.public.mean is None for row in public.steps)
    assert all(row.gap is None for row in public.steps)

    client.force_login(leader)
    leader_page = _text(client.get(reverse("agreements:round", args=[agreement.pk, round_.pk])))
    assert (
        "Bara processledare ser detta: färre än 3 svarande på Offentlig sektor, så den "
        "offentliga sidan visar inte den sidans nivåer av delaktighet." in leader_page
    )
    assert "Beslut Dialog (3,3) Dialog 2 · Partnerskap 1 Information (1,0) inte offentligt" in (
        leader_page
    )


def test_open_data_has_the_levels_the_public_page_shows(client, agreement):
    _round_with(
        client,
        agreement,
        civil=[_all("dialogue"), _all("dialogue"), _all("partnership")],
        public=[_all("information")],
    )
    (round_,) = [r for r in client.get(f"/api/agreements/{agreement.pk}").json()["rounds"]]
    levels = round_["participation"]
    assert len(levels) == 6  # one shown side per step: the municipality's one answer is not
    assert {entry["side"] for entry in levels} == {"civil_society"}
    decision = next(entry for entry in levels if entry["step"] == "decision")
    assert decision == {
        "step": "decision",
        "side": "civil_society",
        "level": 3.3,
        "respondents": 3,
    }


def test_one_sided_round_is_shown_as_one_sided(client, agreement):
    _round_with(client, agreement, civil=[_all("consultation")] * 3, public=[])
    page = _text(client.get(reverse("agreements:detail", args=[agreement.pk])))
    section = page.split("Det civila samhällets delaktighet i besluten", 1)[1]
    assert "Ensidigt: bara den ena sidans svar kan visas" in section
    assert "Svar på den här enkäten: idéburen sektor 3, offentlig sektor 0." in section
    assert "Beslut Konsultation (2,0) – –" in section


def test_public_page_shows_the_latest_completed_round_that_asked(client, agreement):
    older = _round_with(client, agreement, civil=[_all("information")] * 3, public=[])
    services.round_dates_update(
        round_=older,
        expected_version=older.version,
        held_on=TODAY() - timedelta(days=60),
        closes_on=TODAY() - timedelta(days=50),
    )
    newer = _round_with(client, agreement, civil=[_all("dialogue")] * 3, public=[])
    # An open round is not a result yet.
    _open_round(agreement)
    page = _text(client.get(reverse("agreements:detail", args=[agreement.pk])))
    section = page.split("Det civila samhällets delaktighet i besluten", 1)[1]
    assert f"Omgången den {newer.held_on.isoformat()}" in section
    assert "Beslut Dialog (3,0)" in section


def test_public_page_without_the_questionnaire_has_no_section(client, agreement):
    round_ = _open_round(agreement, asks=False)
    for number in range(3):
        _r, token = _invite(round_, Side.CIVIL_SOCIETY, number)
        _answer(client, token)
    services.round_status_set(round_=round_, status="closed")
    page = _text(client.get(reverse("agreements:detail", args=[agreement.pk])))
    assert "Det civila samhällets delaktighet i besluten" not in page


def test_public_page_query_count_with_the_questionnaire(
    client, agreement, django_assert_max_num_queries
):
    from django.test.utils import CaptureQueriesContext

    _round_with(client, agreement, civil=[_all("dialogue")] * 3, public=[_all("none")] * 3)
    with CaptureQueriesContext(connection) as small:
        first = client.get(reverse("agreements:detail", args=[agreement.pk]))
    # Counted now: the query log is a bounded deque, so the slice goes stale later.
    first_count = len(small.captured_queries)
    assert "Svar på den här enkäten: idéburen sektor 3, offentlig sektor 3." in _text(first)
    _round_with(client, agreement, civil=[_all("dialogue")] * 9, public=[_all("none")] * 9)
    with django_assert_max_num_queries(first_count):
        response = client.get(reverse("agreements:detail", args=[agreement.pk]))
    assert "Svar på den här enkäten: idéburen sektor 9, offentlig sektor 9." in _text(response)
    assert first_count <= 20


# --- The follow-up PDF ---------------------------------------------------------------------


def test_follow_up_pdf_has_the_levels_and_gap_per_step(
    client, agreement, secretariat, django_capture_on_commit_callbacks
):
    _round_with(
        client,
        agreement,
        civil=[_all("consultation"), _all("consultation"), _all("information")],
        public=[_all("partnership")],
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = report_job_request(
            kind="agreement_follow_up",
            subject_id=str(agreement.pk),
            requested_by=secretariat,
            language="sv",
        )
    job.refresh_from_db()
    assert job.state == ReportJob.State.DONE, job.error
    text = " ".join(pdf_text(job.file.read()).split())
    assert "Det civila samhällets delaktighet i besluten" in text
    assert "Svar på den här enkäten: idéburen sektor 3, offentlig sektor 1." in text
    # The report is for the process leaders: the small side is shown, with the note.
    assert "Bara processledare ser detta: färre än 3 svarande på Offentlig sektor" in text
    assert "Omformulering Konsultation (1,7)" in text
    assert "Partnerskap (4,0) inte offentligt" in text
    assert "example.org" not in text


@pytest.mark.vnu
def test_questionnaire_pages_are_valid_html(client, agreement, leader, tmp_path):
    """The answer form with the levels (also with errors), the leader's round page and the
    public page with the pooled levels pass the Nu HTML checker."""
    import json
    import subprocess

    from tests.conftest import _VNU_JAR
    from tests.portal.test_html_validity import dangling_references

    round_ = _open_round(agreement)
    people = [_invite(round_, Side.CIVIL_SOCIETY, number) for number in range(3)]
    _public, public_token = _invite(round_, Side.PUBLIC, 50)
    pages = {
        "respond.html": client.get(reverse("agreements:respond", args=[people[0][1]])),
        "respond_error.html": _answer(client, people[1][1], levels={"decision": "veto"}),
    }
    for _respondent, token in people:
        _answer(client, token, levels=_all("dialogue"))
    _answer(client, public_token, levels=_all("information"))
    client.force_login(leader)
    pages["open.html"] = client.get(reverse("agreements:round_open", args=[agreement.pk]))
    pages["round.html"] = client.get(reverse("agreements:round", args=[agreement.pk, round_.pk]))
    services.round_status_set(round_=round_, status="closed")
    client.logout()
    pages["detail.html"] = client.get(reverse("agreements:detail", args=[agreement.pk]))
    assert "Det civila samhällets delaktighet i besluten" in _text(pages["detail.html"])
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
