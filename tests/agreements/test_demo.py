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
        assert len(health.rounds) in (0, 2, 3)
        gaps += [row for row in health.principles if row.gap and row.gap >= GAP_THRESHOLD]
    assert gaps


def test_demo_load_is_idempotent(demo_loaded):
    demo.load()
    assert Agreement.objects.count() == 7
