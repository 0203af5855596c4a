from datetime import date

import pytest

from council import selectors, services
from council.models import Role
from tests.council.conftest import make_org, make_person, seat

pytestmark = pytest.mark.django_db


def test_composition_counts_only_memberships_active_on_the_date(council):
    seat(council, gender="woman", start=date(2014, 1, 1))
    seat(council, gender="man", sector="public", start=date(2014, 8, 1))
    seat(council, gender="man", start=date(2014, 1, 1), end=date(2014, 3, 31))

    march = selectors.composition_on(council, date(2014, 3, 31))
    april = selectors.composition_on(council, date(2014, 4, 1))
    august = selectors.composition_on(council, date(2014, 8, 1))

    assert march.representatives.gender.counts == {
        "woman": 1,
        "man": 1,
        "non_binary": 0,
        "unknown": 0,
    }
    assert april.representatives.headcount == 1
    assert april.representatives.gender.verdict == "too_small"
    assert august.representatives.headcount == 2
    assert august.representatives.sector.counts["public"] == 1
    assert august.representatives.gender.verdict == "balanced"


def test_member_joining_in_august_counts_in_the_year_but_not_in_june(council):
    for _ in range(3):
        seat(council, gender="man", sector="public")
    seat(council, gender="woman", sector="public", start=date(2014, 8, 1))

    june = selectors.composition_on(council, date(2014, 6, 1))
    year = selectors.composition_for_year(council, 2014)

    assert june.representatives.headcount == 3
    assert june.representatives.gender.verdict == "unbalanced"
    assert year.representatives.headcount == 4
    assert year.representatives.gender.counts["woman"] == 1


def test_person_changing_organisation_mid_term_is_counted_once_with_the_new_sector(council):
    person = make_person(gender="woman")
    first = seat(council, person=person, org=make_org("Emmaus Björkå"))
    services.membership_change(
        membership=first, on=date(2014, 9, 1), organisation=make_org("Malmö stad", sector="public")
    )

    before = selectors.composition_on(council, date(2014, 8, 31))
    after = selectors.composition_on(council, date(2014, 9, 1))
    year = selectors.composition_for_year(council, 2014)

    assert before.representatives.sector.counts["civil_society"] == 1
    assert after.representatives.sector.counts["public"] == 1
    assert after.representatives.sector.counts["civil_society"] == 0
    assert year.representatives.headcount == 1
    assert year.representatives.memberships[0].organisation.name == "Malmö stad"


def test_staff_role_and_seat_at_once_count_in_both_groups(council):
    person = make_person(gender="woman")
    seat(council, person=person, role=Role.CHAIR, work_share=10)
    services.membership_create(
        council=council,
        person=person,
        role=Role.PROCESS_LEADER,
        start_date=date(2014, 3, 1),
        work_share=20,
    )
    composition = selectors.composition_on(council, date(2014, 5, 1))
    assert composition.representatives.headcount == 1
    assert composition.leadership.headcount == 1
    assert composition.leadership.gender_by_share.counts["woman"] == 20


def test_leadership_by_work_share_differs_from_head_count(council):
    staff = make_org("Kansliet")
    services.membership_create(
        council=council,
        person=make_person(gender="man"),
        organisation=staff,
        role=Role.PROJECT_LEADER,
        start_date=date(2014, 1, 1),
        work_share=20,
    )
    services.membership_create(
        council=council,
        person=make_person(gender="woman"),
        organisation=staff,
        role=Role.PROCESS_LEADER,
        start_date=date(2014, 1, 1),
        work_share=20,
    )
    seat(council, gender="woman", role=Role.CHAIR, work_share=10)

    composition = selectors.composition_on(council, date(2014, 5, 1))

    assert composition.leadership.gender.counts["woman"] == 2
    assert composition.leadership.gender.verdict == "balanced"
    share = composition.leadership.gender_by_share
    assert share.counts == {"woman": 30, "man": 20, "non_binary": 0, "unknown": 0}
    assert share.shares["man"] == pytest.approx(0.4)
    assert share.verdict == "balanced"


def test_terms_ending_within_90_days_and_balance_after(council):
    seat(council, gender="woman", end=date(2014, 6, 30))
    seat(council, gender="man")
    seat(council, gender="man", end=date(2014, 12, 31))

    composition = selectors.composition_on(council, date(2014, 5, 1))

    assert [m.end_date for m in composition.ending] == [date(2014, 6, 30)]
    assert composition.representatives.gender.verdict == "balanced"
    assert composition.after_ending.headcount == 2
    assert composition.after_ending.gender.counts["woman"] == 0
    assert composition.after_ending.gender.verdict == "unbalanced"


def test_unknown_genders_are_shown_never_guessed(council):
    seat(council, gender="unknown")
    seat(council, gender="non_binary")
    composition = selectors.composition_on(council, date(2014, 5, 1))
    data = composition.as_dict()["representatives"]["gender"]
    assert data["counts"]["unknown"] == 1
    assert data["counts"]["non_binary"] == 1
    assert "unknown" not in data["shares"]
