import pytest

from portal.balance import Verdict, gender_balance, sector_balance, tally


def test_council_2014_three_women_eight_men_is_not_balanced():
    balance = gender_balance({"woman": 3, "man": 8})
    assert balance.verdict == Verdict.UNBALANCED
    assert round(balance.shares["woman"], 3) == 0.273
    assert balance.small_group is False
    assert "27 %" in balance.explanation


def test_workshop_april_25_women_24_men_is_balanced():
    balance = gender_balance({"woman": 25, "man": 24})
    assert balance.verdict == Verdict.BALANCED
    assert balance.known == 49


def test_workshop_november_25_women_19_men_is_balanced():
    assert gender_balance({"woman": 25, "man": 19}).verdict == Verdict.BALANCED


@pytest.mark.parametrize(
    ("women", "men", "verdict"),
    [(2, 3, Verdict.BALANCED), (3, 2, Verdict.BALANCED), (1, 4, Verdict.UNBALANCED)],
)
def test_exactly_forty_percent_counts_as_balanced(women, men, verdict):
    assert gender_balance({"woman": women, "man": men}).verdict == verdict


def test_three_people_are_judged_against_best_split():
    balance = gender_balance({"woman": 1, "man": 2})
    assert balance.small_group is True
    assert balance.verdict == Verdict.BALANCED
    assert round(balance.required_share, 3) == 0.333
    assert "1/2" in balance.explanation


def test_three_people_of_one_gender_are_not_balanced_even_when_small():
    balance = gender_balance({"man": 3})
    assert balance.small_group is True
    assert balance.verdict == Verdict.UNBALANCED


def test_two_people_can_reach_the_rule_and_are_not_small():
    assert gender_balance({"woman": 1, "man": 1}).small_group is False
    assert gender_balance({"man": 2}).verdict == Verdict.UNBALANCED


def test_one_person_is_too_small_and_empty_group_has_no_data():
    assert gender_balance({"woman": 1}).verdict == Verdict.TOO_SMALL
    assert gender_balance({}).verdict == Verdict.NO_DATA
    assert gender_balance({"unknown": 4}).verdict == Verdict.NO_DATA


def test_unknown_is_counted_but_not_in_shares():
    balance = gender_balance({"woman": 2, "man": 2, "unknown": 6})
    assert balance.verdict == Verdict.BALANCED
    assert balance.unknown == 6
    assert "unknown" not in balance.shares
    assert balance.as_dict()["counts"] == {"woman": 2, "man": 2, "non_binary": 0, "unknown": 6}


def test_non_binary_counts_in_the_whole():
    # 2 of 5 known is exactly 40 %; the non-binary person is part of the known whole.
    assert gender_balance({"woman": 2, "man": 2, "non_binary": 1}).verdict == Verdict.BALANCED
    assert gender_balance({"woman": 2, "man": 5, "non_binary": 1}).verdict == Verdict.UNBALANCED


def test_work_share_weights_with_headcount():
    # Leadership: a chair at 20 %, a project leader at 100 %, a process leader at 50 %.
    balance = gender_balance({"woman": 70, "man": 100}, headcount=3)
    assert balance.small_group is True
    assert round(balance.shares["woman"], 3) == 0.412
    assert balance.verdict == Verdict.BALANCED


def test_threshold_is_a_setting(settings):
    settings.BALANCE_THRESHOLD = 0.45
    assert gender_balance({"woman": 4, "man": 6}).verdict == Verdict.UNBALANCED
    assert gender_balance({"woman": 4, "man": 6}, threshold=0.4).verdict == Verdict.BALANCED


def test_sector_balance_council_2014_five_civil_six_public():
    balance = sector_balance({"civil_society": 5, "public": 6})
    assert balance.verdict == Verdict.BALANCED
    assert balance.as_dict()["verdict"] == "balanced"


def test_negative_count_is_refused():
    with pytest.raises(ValueError):
        gender_balance({"woman": -1, "man": 3})


def test_tally_counts_missing_as_unknown_and_weights():
    assert tally(["woman", "man", None, "", "woman"]) == {"woman": 2, "man": 1, "unknown": 2}
    assert tally(["woman", "man"], [50, 100]) == {"woman": 50, "man": 100}


# --- Balance over a period, judged day by day ----------------------------------------------

from datetime import date  # noqa: E402

from portal.balance import gender_balance_over_period, sector_balance_over_period  # noqa: E402

YEAR = (date(2014, 1, 1), date(2014, 12, 31))


def test_period_balance_counts_a_successor_on_her_own_days_not_twice():
    """The 2014 leadership: a process leader and her successor never sat on the same day."""
    stints = [
        ("chair", date(2014, 1, 1), None, "woman"),
        ("project", date(2014, 1, 1), date(2014, 12, 31), "man"),
        ("process_1", date(2014, 3, 1), date(2014, 8, 31), "woman"),
        ("process_2", date(2014, 9, 1), date(2014, 12, 31), "woman"),
    ]
    period = gender_balance_over_period(stints, first=YEAR[0], last=YEAR[1])
    assert period.days == 365
    assert period.balanced_days == 365
    assert period.verdict == Verdict.BALANCED
    # Head count over the year would say 3 women and 1 man; by day it is never more than 2/1.
    assert max(span.balance.counts["woman"] for span in period.spans) == 2
    # Spans in which the counts stay the same are shown as one (the successor changes none).
    assert [(span.first, span.last) for span in period.spans] == [
        (date(2014, 1, 1), date(2014, 2, 28)),
        (date(2014, 3, 1), date(2014, 12, 31)),
    ]
    # Person-days: the chair 365, the project leader 365, the two process leaders 184 + 122.
    assert period.person_days.counts["woman"] == 365 + 184 + 122
    assert period.person_days.counts["man"] == 365
    assert "365" in period.explanation


def test_period_balance_says_on_how_many_days_it_held():
    stints = [
        ("a", date(2014, 1, 1), None, "woman"),
        ("b", date(2014, 1, 1), None, "man"),
        ("c", date(2014, 1, 1), None, "man"),
        ("d", date(2014, 1, 1), None, "man"),
        ("e", date(2014, 7, 1), None, "woman"),  # from July: 2 women, 3 men
    ]
    period = gender_balance_over_period(stints, first=YEAR[0], last=YEAR[1])
    assert period.balanced_days == 184
    assert period.unbalanced_days == 181
    assert period.verdict == Verdict.UNBALANCED
    assert period.as_dict()["balanced_days"] == 184
    assert period.as_dict()["days"] == 365
    assert period.as_dict()["method"] == "by_day"


def test_period_balance_counts_a_person_once_a_day_with_the_latest_seat():
    stints = [
        ("helena", date(2014, 1, 1), date(2014, 8, 31), "civil_society"),
        ("helena", date(2014, 9, 1), None, "public"),
        ("stefan", date(2014, 1, 1), None, "public"),
    ]
    period = sector_balance_over_period(stints, first=YEAR[0], last=YEAR[1])
    assert all(span.balance.headcount == 2 for span in period.spans)
    assert period.balanced_days == 243  # January to August: one of each side
    assert period.person_days.counts["public"] == 365 + 122


def test_period_balance_of_nobody_has_no_data():
    period = gender_balance_over_period([], first=YEAR[0], last=YEAR[1])
    assert period.verdict == Verdict.NO_DATA
    assert period.balanced_days == 0
