import pytest

from agreements import demo
from agreements.enums import GAP_THRESHOLD
from agreements.models import Agreement
from agreements.selectors import agreement_for_page, principle_health, principles
from directory import demo as directory_demo
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_loaded():
    make_user("process_leader", email="leader@example.org", full_name="Jonas Rydberg")
    make_user("secretariat", email="secretariat@example.org", full_name="Sami Haddad")
    directory_demo.load()
    demo.load()


def test_demo_has_seven_example_agreements_in_different_phases(demo_loaded):
    agreements = Agreement.objects.all()
    assert agreements.count() == 7
    assert all(a.is_example for a in agreements)
    assert {a.municipality.name for a in agreements} == {
        "Kristianstad",
        "Ängelholm",
        "Malmö",
        "Helsingborg",
        "Landskrona",
        "Eslöv",
        "Lund",
    }
    assert len({a.phase for a in agreements}) == 6


def test_demo_shows_a_perception_gap_over_several_rounds(demo_loaded):
    principle_list = principles()
    gaps = []
    for agreement in Agreement.objects.all():
        health = principle_health(agreement_for_page(agreement.pk), principle_list)
        assert len(health.rounds) in (0, 1, 2, 3)
        gaps += [row for row in health.principles if row.gap and row.gap >= GAP_THRESHOLD]
    assert gaps


def test_demo_load_is_idempotent(demo_loaded):
    demo.load()
    assert Agreement.objects.count() == 7


def test_every_demo_agreement_has_a_round_answered_by_the_parties(demo_loaded):
    from agreements.enums import RoundSource, RoundStatus
    from agreements.models import AssessmentRound, Respondent

    for agreement in Agreement.objects.all():
        rounds = AssessmentRound.objects.filter(agreement=agreement, source=RoundSource.RESPONDENTS)
        assert rounds.exists(), agreement.title
        assert Respondent.objects.filter(round__agreement=agreement, answered_at__isnull=False)
    # Eslöv's round is open right now; Landskrona's municipality side is too small to publish.
    assert AssessmentRound.objects.filter(status=RoundStatus.OPEN).count() == 1
    landskrona = Agreement.objects.get(municipality__name="Landskrona")
    health = principle_health(agreement_for_page(landskrona.pk), principles())
    assert health.latest.one_sided
    assert health.latest.hidden_sides
    # Malmö: long-term perspective, civil society 2 against the municipality's 4.
    malmo = Agreement.objects.get(municipality__name="Malmö")
    row = principle_health(agreement_for_page(malmo.pk), principles()).by_code()["long_term"]
    assert row.gap >= GAP_THRESHOLD
    assert row.result.civil.n == 4 or row.result.civil.n == 3


def test_some_demo_rounds_answer_the_code_of_good_practice(demo_loaded):
    """Kristianstad, Landskrona and Lund's latest rounds also asked the Code of Good Practice
    questionnaire, answered through the service by the fictional respondents."""
    from agreements.enums import Side
    from agreements.models import ParticipationAnswer
    from agreements.selectors import LEADER, latest_participation

    results = {}
    for agreement in Agreement.objects.all():
        result = latest_participation(agreement_for_page(agreement.pk))
        if result is not None:
            results[agreement.municipality.name] = result
    assert set(results) == {"Kristianstad", "Landskrona", "Lund"}
    lund = {row.step: row for row in results["Lund"].steps}
    # Lund's civil society sees consultation where the municipality sees dialogue.
    assert (lund["agenda_setting"].civil.mean, lund["agenda_setting"].public.mean) == (2.0, 3.0)
    assert lund["agenda_setting"].gap_stands_out
    assert lund["implementation"].gap == 0.0
    # Landskrona: the municipality's single respondent is shown only to the process leaders.
    landskrona = results["Landskrona"]
    assert landskrona.one_sided and landskrona.hidden_sides == [Side.PUBLIC.label]
    for_leader = latest_participation(
        agreement_for_page(Agreement.objects.get(municipality__name="Landskrona").pk),
        audience=LEADER,
    )
    assert not for_leader.one_sided and for_leader.small_sides == [Side.PUBLIC.label]
    assert not ParticipationAnswer.objects.exclude(
        respondent__email__endswith="@example.org"
    ).exists()
