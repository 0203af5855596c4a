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

Over a period (a council year) a group is judged day by day, never by counting everyone who
held a seat at some point: a successor who took over in September is not a second person on
any day. `balance_over_period` says on how many of the period's days the group was balanced,
gives the spans in which it stayed the same, and adds the figures up as person-days.
"""

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from itertools import pairwise, repeat

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


# --- Over a period, judged day by day -------------------------------------------------------

Stint = tuple[Hashable, date, date | None, str | None]
"""(person key, first day, last day or None for open-ended, code such as a gender)."""


@dataclass(frozen=True)
class Span:
    """Days in a row on which the group stayed the same, with its balance on each of them."""

    first: date
    last: date
    balance: Balance

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


@dataclass(frozen=True)
class PeriodBalance:
    """A group over a period: judged on each day, and counted in person-days.

    The verdict is "balanced" only when the group was balanced on every day it could be
    judged; `balanced_days` of `days` says how close it came. Days with nobody, or with one
    person, cannot be judged and are counted apart.
    """

    first: date
    last: date
    spans: tuple[Span, ...]
    person_days: Balance

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def _days_with(self, *verdicts: Verdict) -> int:
        return sum(span.days for span in self.spans if span.balance.verdict in verdicts)

    @property
    def balanced_days(self) -> int:
        return self._days_with(Verdict.BALANCED)

    @property
    def unbalanced_days(self) -> int:
        return self._days_with(Verdict.UNBALANCED)

    @property
    def judged_days(self) -> int:
        return self._days_with(Verdict.BALANCED, Verdict.UNBALANCED)

    @property
    def verdict(self) -> Verdict:
        if self.judged_days:
            return Verdict.BALANCED if not self.unbalanced_days else Verdict.UNBALANCED
        if self._days_with(Verdict.TOO_SMALL):
            return Verdict.TOO_SMALL
        return Verdict.NO_DATA

    @property
    def is_balanced(self) -> bool:
        return self.verdict == Verdict.BALANCED

    @property
    def label(self) -> str:
        return str(VERDICT_LABELS[self.verdict])

    @property
    def summary(self) -> str:
        """Short: "Balanced on all 365 days" or "Balanced on 184 of 365 days"."""
        if self.balanced_days == self.days:
            return _("Balanced on all %(m)s days") % {"m": self.days}
        return _("Balanced on %(n)s of %(m)s days") % {"n": self.balanced_days, "m": self.days}

    @property
    def explanation(self) -> str:
        """How the period was judged, in a sentence a reader can check against the spans."""
        text = _(
            "Judged day by day: the group was balanced on %(n)s of the %(m)s days; each person "
            "counts once on each day they held a place, so a successor is not counted twice."
        ) % {"n": self.balanced_days, "m": self.days}
        unjudged = self.days - self.judged_days
        if unjudged:
            text += " " + _("On %(k)s days the group was too small or empty to be judged.") % {
                "k": unjudged
            }
        return text

    def as_dict(self) -> dict:
        return {
            "method": "by_day",
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "days": self.days,
            "balanced_days": self.balanced_days,
            "unbalanced_days": self.unbalanced_days,
            "verdict": self.verdict.value,
            "person_days": self.person_days.as_dict(),
            "spans": [
                {
                    "first": span.first.isoformat(),
                    "last": span.last.isoformat(),
                    **span.balance.as_dict(),
                }
                for span in self.spans
            ],
        }


def balance_over_period(
    stints: Iterable[Stint],
    *,
    first: date,
    last: date,
    judge: Callable[..., Balance],
) -> PeriodBalance:
    """Judge the group on every day from `first` to `last` (both included).

    A person is counted once on each day, with the code of the stint that started last
    (a change of organisation on 1 September moves them to the new sector from that day).
    The work is done per span between changes, not per day.
    """
    if last < first:
        raise ValueError("A period cannot end before it starts.")
    clipped = []
    for key, start, end, code in stints:
        start = max(start, first)
        end = last if end is None else min(end, last)
        if start <= end:
            clipped.append((key, start, end, code or UNKNOWN))
    edges = {first, last + timedelta(days=1)}
    for _key, start, end, _code in clipped:
        edges.update((start, end + timedelta(days=1)))
    edges = sorted(edges)
    spans: list[Span] = []
    person_days: dict[str, float] = {}
    everyone = set()
    for begin, after in pairwise(edges):
        span_last = after - timedelta(days=1)
        present: dict[Hashable, tuple[date, str]] = {}
        for key, start, end, code in clipped:
            active = start <= begin and end >= span_last
            if active and (key not in present or start >= present[key][0]):
                present[key] = (start, code)
        codes = [code for _start, code in present.values()]
        balance = judge(tally(codes))
        days = (span_last - begin).days + 1
        for code in codes:
            person_days[code] = person_days.get(code, 0) + days
        everyone.update(present)
        previous = spans[-1] if spans else None
        if previous is not None and previous.balance.counts == balance.counts:
            spans[-1] = Span(first=previous.first, last=span_last, balance=previous.balance)
        else:
            spans.append(Span(first=begin, last=span_last, balance=balance))
    return PeriodBalance(
        first=first,
        last=last,
        spans=tuple(spans),
        person_days=judge(person_days, headcount=len(everyone)),
    )


def gender_balance_over_period(stints: Iterable[Stint], *, first: date, last: date):
    return balance_over_period(stints, first=first, last=last, judge=gender_balance)


def sector_balance_over_period(stints: Iterable[Stint], *, first: date, last: date):
    return balance_over_period(stints, first=first, last=last, judge=sector_balance)
