"""Small-count protection for the public workshop figures (pages, JSON, PDFs).

A public table counts one group (those registered, or those who attended) by gender or by
sector. The rules, in order:

1. Primary: in a table with any count from 1 to 4, every count below 5 is hidden and shown
   as "fewer than 5", zeros included, so the small cells cannot be told apart by subtracting
   the others from the total. A group of fewer than 5 shows no figure and no verdict.
2. The tables of one dimension hide the same cells (those who attended are among those
   registered, so a cell shown in one would bound the same cell in the other).
3. Secondary: a reader is assumed to know every shown figure, the totals, the verdicts and
   small-group flags, that "fewer than 5" means 0-4 and "not shown" (secondary) 5 or more,
   and that attended <= registered cell by cell. Every assignment of the hidden cells that
   fits all that is tried; while some hidden cell can only have one value from 1 to 4, the
   smallest shown cell is hidden too; when nothing is left to hide the verdicts are withheld,
   and as a last resort the whole table ("withheld": no cell says anything).

Tables have four or five cells, so trying every assignment is cheap; the verdict depends only
on the judged pair and the known whole, so it is worked out once per such triple.
"""

import itertools
from dataclasses import dataclass, field

from portal.balance import GENDERS, SECTORS, UNKNOWN, gender_balance, sector_balance

SUPPRESS_BELOW = 5
# Past this many assignments a table is taken as unsafe (it is then protected further).
_MAX_CANDIDATES = 3000


@dataclass(frozen=True)
class Protection:
    small: frozenset = field(default_factory=frozenset)  # hidden as "fewer than 5" (0-4)
    secondary: frozenset = field(default_factory=frozenset)  # hidden although 5 or more
    verdict_hidden: bool = False
    withheld: bool = False  # every cell hidden, with no bound told

    def hides(self, code: str) -> bool:
        return self.withheld or code in self.small or code in self.secondary


NOTHING = Protection()


def codes_for(dimension: str) -> tuple[str, ...]:
    return GENDERS if dimension == "gender" else SECTORS


def judge_for(dimension: str):
    return gender_balance if dimension == "gender" else sector_balance


def _pair(dimension: str) -> tuple[str, str]:
    return ("woman", "man") if dimension == "gender" else ("civil_society", "public")


def _hiding(counts: dict, codes, union: set, *, small_total: bool) -> Protection:
    total = sum(counts.values())
    if total == 0:
        return NOTHING
    if small_total:
        return Protection(small=frozenset(codes), verdict_hidden=True)
    if not union:
        return NOTHING
    small = {code for code in codes if counts[code] < SUPPRESS_BELOW}
    secondary = {code for code in union if counts[code] >= SUPPRESS_BELOW}
    return Protection(small=frozenset(small), secondary=frozenset(secondary))


def _feasible(counts: dict, dimension: str, protection: Protection) -> list[dict] | None:
    """Every full assignment that fits what the table shows; None when there are too many."""
    codes = codes_for(dimension)
    total = sum(counts.values())
    hidden = [code for code in codes if protection.hides(code)]
    if not hidden:
        return [counts]
    totals = range(1, SUPPRESS_BELOW) if 0 < total < SUPPRESS_BELOW else range(total, total + 1)
    top = totals.stop
    ranges = []
    for code in hidden:
        if protection.withheld:
            ranges.append(range(0, top))
        elif code in protection.small:
            ranges.append(range(0, SUPPRESS_BELOW))
        else:
            ranges.append(range(SUPPRESS_BELOW, top))
    shown = {code: counts[code] for code in codes if code not in hidden}
    shown_sum = sum(shown.values())
    first, second = _pair(dimension)
    judge = judge_for(dimension)
    truth = judge(counts)
    wanted = None if protection.verdict_hidden else (truth.verdict, truth.small_group)
    memo: dict[tuple[int, int, int], tuple] = {}
    found = []
    tries = 0
    for head in itertools.product(*ranges[:-1]):
        tries += 1
        if tries > 4 * _MAX_CANDIDATES:
            return None
        for whole in totals:
            last = whole - shown_sum - sum(head)
            if last not in ranges[-1]:
                continue
            candidate = {**shown, **dict(zip(hidden, (*head, last), strict=True))}
            if wanted is not None:
                known = sum(value for code, value in candidate.items() if code != UNKNOWN)
                key = (candidate[first], candidate[second], known)
                if key not in memo:
                    other = known - candidate[first] - candidate[second]
                    balance = judge({first: key[0], second: key[1], "_other": other})
                    memo[key] = (balance.verdict, balance.small_group)
                if memo[key] != wanted:
                    continue
            found.append(candidate)
            if len(found) > _MAX_CANDIDATES:
                return None
    return found


def _leaks(tables: list[dict], dimension: str, protections: list[Protection]) -> bool:
    """True when some hidden cell can have only one value, and that value is 1 to 4.

    `tables` is [registered, attended] (attended <= registered cell by cell) or one table.
    """
    codes = codes_for(dimension)
    if all(p.withheld or p == NOTHING for p in protections):
        # Withheld tables tell no bound; beside a fully shown table (or none) nothing is hidden.
        return False
    options = [_feasible(t, dimension, p) for t, p in zip(tables, protections, strict=True)]
    if any(option is None for option in options):
        return not all(p.withheld for p in protections)
    hidden = [
        (index, code)
        for index, protection in enumerate(protections)
        for code in codes
        if protection.hides(code)
    ]
    if not hidden:
        return False
    seen = {cell: set() for cell in hidden}

    def record(index: int, candidate: dict) -> None:
        for code in codes:
            if (index, code) in seen:
                seen[(index, code)].add(candidate[code])

    if len(tables) == 1:
        for candidate in options[0]:
            record(0, candidate)
    else:
        registered, attended = options
        attended_rows = [(a, tuple(a[code] for code in codes)) for a in attended]
        budget = 8_000
        for r in registered:
            matched = False
            r_row = tuple(r[code] for code in codes)
            for a, a_row in attended_rows:
                budget -= 1
                if budget < 0:
                    return True  # too many to try: protect further, to be safe
                if all(x <= y for x, y in zip(a_row, r_row, strict=True)):
                    matched = True
                    record(1, a)
            if matched:
                record(0, r)
            if all(len(values) > 1 for values in seen.values()):
                return False
    return any(
        len(values) == 1 and 0 < next(iter(values)) < SUPPRESS_BELOW for values in seen.values()
    )


def protect(tables: list[dict], dimension: str) -> list[Protection]:
    """What to hide in each table of one dimension (registered and attended, or one table)."""
    codes = codes_for(dimension)
    tables = [{code: int(table.get(code, 0)) for code in codes} for table in tables]
    small_totals = [0 < sum(t.values()) < SUPPRESS_BELOW for t in tables]
    if all(small or not sum(t.values()) for t, small in zip(tables, small_totals, strict=True)):
        # Only groups under 5: every cell and verdict hidden, the totals too, so a cell can
        # only be known to be 0-4.
        return [
            _hiding(t, codes, set(), small_total=small)
            for t, small in zip(tables, small_totals, strict=True)
        ]
    union = {
        code
        for table, small_total in zip(tables, small_totals, strict=True)
        if not small_total
        for code in codes
        if 0 < table[code] < SUPPRESS_BELOW
    }
    if union:
        # Every cell under 5 joins the small ones, in every table of the dimension.
        union |= {
            code
            for table, small_total in zip(tables, small_totals, strict=True)
            if not small_total and sum(table.values())
            for code in codes
            if table[code] < SUPPRESS_BELOW
        }
    verdict_hidden = False
    for _round in range(len(codes) + 2):
        protections = [
            _hiding(t, codes, union, small_total=small)
            for t, small in zip(tables, small_totals, strict=True)
        ]
        if verdict_hidden:
            protections = [
                Protection(p.small, p.secondary, verdict_hidden=True) if p != NOTHING else p
                for p in protections
            ]
        if not _leaks(tables, dimension, protections):
            return protections
        shown = [code for code in codes if code not in union]
        if shown:
            union.add(min(shown, key=lambda code: (tables[0][code], codes.index(code))))
        elif not verdict_hidden:
            verdict_hidden = True
        else:
            break
    return [
        Protection(withheld=True, verdict_hidden=True) if sum(t.values()) else NOTHING
        for t in tables
    ]
