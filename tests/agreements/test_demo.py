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
