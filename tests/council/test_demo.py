from datetime import date

import pytest

from accounts.demo import load_accounts
from council import demo, selectors
from council.models import Council, Meeting, Membership
from directory import demo as directory_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_council():
    load_accounts()
    directory_demo.load()
    demo.load()
    return Council.objects.get(slug=demo.SLUG)


def test_demo_has_the_2014_figures(demo_council):
    year = selectors.composition_for_year(demo_council, 2014)
    reps = year.representatives
    assert reps.headcount == 11
    assert reps.gender.counts["woman"] == 3
    assert reps.gender.counts["man"] == 8
    assert reps.sector.counts["civil_society"] == 5
    assert reps.sector.counts["public"] == 6
    assert reps.gender.verdict == "unbalanced"
    assert demo_council.meetings.filter(starts_at__year=2014).count() == 4


def test_demo_member_joins_in_august_and_one_changes_organisation(demo_council):
    assert selectors.composition_on(demo_council, date(2014, 7, 31)).representatives.headcount == 10
    assert selectors.composition_on(demo_council, date(2014, 8, 1)).representatives.headcount == 11
    names = Membership.objects.filter(person__name="Helena Sjöberg", role="member").values_list(
        "organisation__name", flat=True
    )
    assert list(names) == ["Emmaus Björkå", "MINE"]


def test_demo_leadership_work_shares(demo_council):
    spring = selectors.composition_on(demo_council, date(2014, 6, 1)).leadership
    autumn = selectors.composition_on(demo_council, date(2014, 10, 1)).leadership
    assert spring.gender_by_share.counts["man"] == 20
    assert spring.gender_by_share.counts["woman"] == 30
    assert autumn.gender_by_share.counts["man"] == 10
    assert autumn.gender_by_share.counts["woman"] == 40
    assert spring.headcount == autumn.headcount == 3


def test_demo_load_is_idempotent(demo_council):
    before = (Membership.objects.count(), Meeting.objects.count())
    demo.load()
    assert (Membership.objects.count(), Meeting.objects.count()) == before


def test_demo_leadership_is_balanced_on_every_day_of_2014(demo_council):
    """Issue 11, finding 7: the year's leadership was 2 women and 1 man on every day it had
    three people (a process leader and her successor are not counted as two)."""
    year = selectors.composition_for_year(demo_council, 2014)
    by_day = year.leadership.gender_by_day
    assert by_day.days == 365
    assert by_day.balanced_days == 365
    assert by_day.verdict == "balanced"
    # The representatives were below the rule on every day of the year.
    assert year.representatives.gender_by_day.balanced_days == 0
    assert year.representatives.gender_by_day.verdict == "unbalanced"


def test_demo_2014_meetings_have_speaking_turns_per_item(demo_council):
    """Issue 12: the turns belong to the agenda items, run through the live list."""
    from council.models import SpeakerListEntry, SpeakingTurn

    for meeting in demo_council.meetings.filter(starts_at__year=2014):
        items = list(meeting.agenda_items.filter(state="accepted"))
        assert len(items) == 3
        for item in items:
            assert SpeakingTurn.objects.filter(agenda_item=item).exists(), item
        assert not SpeakingTurn.objects.filter(meeting=meeting, agenda_item=None).exists()
        assert not SpeakingTurn.objects.filter(meeting=meeting, ended_at=None).exists()
        assert meeting.live_item_id is None
    assert not SpeakerListEntry.objects.filter(state="waiting").exists()
    assert (
        SpeakerListEntry.objects.filter(state="done").count()
        == SpeakingTurn.objects.filter(meeting__starts_at__year=2014).count()
    )
