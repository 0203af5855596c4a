import pytest

from accounts.demo import load_accounts
from workshops import selectors
from workshops.models import CarriedMatter, Workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    from council import demo as council_demo
    from directory import demo as directory_demo
    from workshops import demo

    load_accounts()
    directory_demo.load()
    council_demo.load()
    demo.load()
    demo.load()  # idempotent
    return {w.theme_question: w for w in Workshop.objects.all()}


def test_demo_april_workshop_matches_the_report(demo):
    stats = selectors.workshop_statistics(demo["Har vi råd att (inte) samverka?"], exact=True)
    assert stats.registered == 49
    assert stats.attended == 49
    assert stats.registered_gender.count("man") == 24
    assert stats.registered_gender.count("woman") == 25
    assert stats.registered_gender.balance.verdict == "balanced"
    assert demo["Har vi råd att (inte) samverka?"].city == "Malmö"


def test_demo_november_workshop_matches_the_report(demo):
    stats = selectors.workshop_statistics(demo["Hur gör vi samverkan?"], exact=True)
    assert stats.attended == 44
    assert stats.attended_gender.count("man") == 19
    assert stats.attended_gender.count("woman") == 25
    assert stats.attended_gender.balance.verdict == "balanced"
    assert stats.cancelled == 2
    assert demo["Hur gör vi samverkan?"].city == "Höör"


def test_demo_public_sector_share_grew_from_april_to_november(demo):
    april, november = demo["Har vi råd att (inte) samverka?"], demo["Hur gör vi samverkan?"]
    statistics = selectors.statistics_for([april, november], exact=True)
    rows = selectors.workshop_comparison(list(statistics.values()))
    assert [row["workshop"] for row in rows] == [april, november]
    assert rows[1]["public"] > rows[0]["public"]
    assert statistics[november.pk].attended_sector.count("public") > statistics[
        april.pk
    ].attended_sector.count("public")
    assert statistics[april.pk].attended_sector.balance.verdict == "unbalanced"
    assert statistics[november.pk].attended_sector.balance.verdict == "balanced"


def test_demo_programme_is_balanced_and_matters_follow_the_council(demo):
    stats = selectors.workshop_statistics(demo["Har vi råd att (inte) samverka?"], exact=True)
    assert stats.programme_gender.balance.verdict == "balanced"
    statuses = {
        m.title: m.status for m in selectors.carried_matters_for([w.pk for w in demo.values()])
    }
    assert statuses["Strukturen för medfinansiering i projekt"] == CarriedMatter.Status.RESOLVED
    assert statuses["Kunskap om varandras roller"] == CarriedMatter.Status.DECIDED
    assert statuses["Processtöd för idéburet offentligt partnerskap"] == (
        CarriedMatter.Status.ON_AGENDA
    )
    assert statuses["Jämbördiga villkor: utvecklingsmedel och administration"] == (
        CarriedMatter.Status.RAISED
    )
