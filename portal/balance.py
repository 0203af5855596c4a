"""The balance rule every part of the portal uses (the 60/40 rule).

A group is gender-balanced when neither women nor men fall below the threshold (40 % by
default, settings.BALANCE_THRESHOLD) of those whose gender is known. Non-binary people are
known and count in the whole; unknown (not stated, prefers not to say) are counted and shown
but left out of the shares: never guessed. A group too small to reach the threshold at all
(3 people can at best split 1/2, which is 33 %) is judged against the best split its size
allows, and says so. The same rule judges the two sides of the council, civil society and
the public sector, among those whose sector is known.

Counts may be head counts or weights (work share in percent, seconds of speaking time); the
small-group allowance always follows the number of people, given as `headcount`.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import repeat

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

GENDERS = ("woman", "man", "non_binary", "unknown")
GENDER_LABELS = {
    "woman": gettext_lazy("Women"),
    "man": gettext_lazy("Men"),
    "non_binary": gettext_lazy("Non-binary"),
    "unknown": gettext_lazy("Not stated"),
}
SECTORS = ("civil_society", "public", "business", "academia", "unknown")
UNKNOWN = "unknown"
_EPSILON = 1e-9


class Verdict(StrEnum):
    BALANCED = "balanced"
    UNBALANCED = "unbalanced"
    TOO_SMALL = "too_small"
    NO_DATA = "no_data"


VERDICT_LABELS = {
    Verdict.BALANCED: gettext_lazy("Balanced"),
    Verdict.UNBALANCED: gettext_lazy("Not balanced"),
    Verdict.TOO_SMALL: gettext_lazy("Too few to judge"),
    Verdict.NO_DATA: gettext_lazy("No data"),
}


@dataclass(frozen=True)
class Balance:
    counts: dict[str, float]
    pair: tuple[str, str]
    threshold: float
    required_share: float
    headcount: int
    verdict: Verdict
    small_group: bool
    shares: dict[str, float] = field(default_factory=dict)

    @property
    def known(self) -> float:
        return sum(value for key, value in self.counts.items() if key != UNKNOWN)

    @property
    def unknown(self) -> float:
        return self.counts.get(UNKNOWN, 0)

    @property
    def is_balanced(self) -> bool:
        return self.verdict == Verdict.BALANCED

    @property
    def label(self) -> str:
        return str(VERDICT_LABELS[self.verdict])

    @property
    def explanation(self) -> str:
        """One sentence a reader can check against the figures beside it."""
        low, high = _percent(self.threshold), _percent(1 - self.threshold)
        if self.verdict == Verdict.NO_DATA:
            return _("Nobody in the group has a known value, so balance cannot be judged.")
        if self.verdict == Verdict.TOO_SMALL:
            return _("A group of one person cannot be judged for balance.")
        first, second = self.pair
        smaller = min(self.shares.get(first, 0), self.shares.get(second, 0))
        if self.small_group:
            best_low = self.headcount // 2
            best_high = self.headcount - best_low
            return _(
                "With %(n)s people the best possible split is %(low)s/%(high)s, so the group "
                "is judged against that instead of %(rule_low)s/%(rule_high)s."
            ) % {
                "n": self.headcount,
                "low": best_low,
                "high": best_high,
                "rule_low": low,
                "rule_high": high,
            }
        if self.verdict == Verdict.BALANCED:
            return _(
                "The smaller side has %(share)s %%, at least the %(rule)s %% the rule asks."
            ) % {
                "share": _percent(smaller),
                "rule": low,
            }
        return _("The smaller side has %(share)s %%, below the %(rule)s %% the rule asks.") % {
            "share": _percent(smaller),
            "rule": low,
        }

    def as_dict(self) -> dict:
        """The JSON shape of the public API: codes, numbers, the verdict code."""
        return {
            "counts": {key: _number(value) for key, value in self.counts.items()},
            "shares": {key: round(value, 4) for key, value in self.shares.items()},
            "threshold": self.threshold,
            "required_share": round(self.required_share, 4),
            "headcount": self.headcount,
            "small_group": self.small_group,
            "verdict": self.verdict.value,
        }


def _percent(share: float) -> int:
    return round(share * 100)


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 2)


def judge(
    counts: Mapping[str, float],
    *,
    pair: tuple[str, str],
    categories: Iterable[str],
    headcount: int | None = None,
    threshold: float | None = None,
) -> Balance:
    """Judge whether neither side of `pair` falls below the threshold of the known whole."""
    threshold = settings.BALANCE_THRESHOLD if threshold is None else threshold
    full = {key: counts.get(key, 0) for key in categories}
    for key, value in counts.items():
        if value < 0:
            raise ValueError(f"A count cannot be negative: {key}={value}")
        full.setdefault(key, value)
    known = sum(value for key, value in full.items() if key != UNKNOWN)
    if headcount is None:
        headcount = round(known)
    shares = {key: value / known for key, value in full.items() if key != UNKNOWN and known > 0}

    def result(verdict, required=threshold, small=False):
        return Balance(
            counts=full,
            pair=pair,
            threshold=threshold,
            required_share=required,
            headcount=headcount,
            verdict=verdict,
            small_group=small,
            shares=shares,
        )

    if known <= 0 or headcount <= 0:
        return result(Verdict.NO_DATA)
    if headcount == 1:
        return result(Verdict.TOO_SMALL)
    best_possible = (headcount // 2) / headcount
    small = best_possible + _EPSILON < threshold
    required = best_possible if small else threshold
    smaller = min(shares.get(pair[0], 0), shares.get(pair[1], 0))
    verdict = Verdict.BALANCED if smaller + _EPSILON >= required else Verdict.UNBALANCED
    return result(verdict, required, small)


def gender_balance(
    counts: Mapping[str, float], *, headcount: int | None = None, threshold: float | None = None
) -> Balance:
    """Women and men among those whose gender is known; keys are the gender codes."""
    return judge(
        counts, pair=("woman", "man"), categories=GENDERS, headcount=headcount, threshold=threshold
    )


def sector_balance(
    counts: Mapping[str, float], *, headcount: int | None = None, threshold: float | None = None
) -> Balance:
    """Civil society and the public sector among those whose sector is known."""
    return judge(
        counts,
        pair=("civil_society", "public"),
        categories=SECTORS,
        headcount=headcount,
        threshold=threshold,
    )


def tally(values: Iterable[str | None], weights: Iterable[float] | None = None) -> dict:
    """Count codes (None and '' count as unknown), optionally weighted."""
    totals: dict[str, float] = {}
    weights = weights if weights is not None else repeat(1)
    for value, weight in zip(values, weights, strict=False):
        key = value or UNKNOWN
        totals[key] = totals.get(key, 0) + weight
    return totals
