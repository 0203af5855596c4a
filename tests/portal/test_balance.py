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
