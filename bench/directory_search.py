"""Directory search benchmark: list page with a text search plus one filter, 100,000 rows.

Usage (PostgreSQL; the script fills the database to --rows with directory_generate first):

    DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/portal_bench \
        .venv/bin/python bench/directory_search.py --rows 100000 --queries 300

What it measures and prints: bench/harness.py. Issue 17's targets at 100,000 rows: search
page p95 <= 30 ms and <= 1.3x its bare SQL; the unfiltered `/directory/` (no words, no
filter: the counts per filter value over every organisation) <= 30 ms, measured second
(`--unfiltered N` requests, 0 to skip).
"""

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # sets up Django first

from directory.models import Municipality, Organisation, Sector

# Words the generator uses, some misspelt or without å/ä/ö as visitors type them.
TERMS = [
    "solrosen",
    "hoppet",
    "fyren",
    "kompassen",
    "bryggan",
    "angen",
    "skogsbrynet",
    "sjostjarnan",
    "vanskap",
    "glantan",
    "kallan",
    "lyktan",
    "ankaret",
    "bjorken",
    "solrossen",
    "kompasen",
    "fotbollsklubben",
    "scoutkåren",
    "kvinnojouren",
    "läxhjälpen",
]


def main():
    args = harness.arguments(extra=[("--unfiltered", 100)])
    harness.fill(args.rows)
    rng = random.Random(args.seed)
    municipalities = list(
        Municipality.objects.filter(region__code="12").values_list("code", flat=True)
    )
    sectors = list(Sector.objects.values_list("code", flat=True))
    requests = []
    for _ in range(args.queries):
        params = {"q": rng.choice(TERMS)}
        if rng.random() < 0.5:
            params["municipality"] = rng.choice(municipalities)
        else:
            params["sector"] = rng.choice(sectors)
        requests.append(params)
    result = harness.measure("/directory/", requests, warm_up={"q": "hoppet"})
    rows = Organisation.objects.count()
    harness.report(result, heading=f"search, rows: {rows}")
    if args.unfiltered:
        # The same page without words or filters, as most visitors first see it; the pages
        # through the list (?page=N) differ only in the rows shown.
        unfiltered = [{} for _ in range(args.unfiltered)]
        result = harness.measure("/directory/", unfiltered, warm_up={})
        harness.report(result, heading=f"unfiltered /directory/, rows: {rows}")


if __name__ == "__main__":
    main()
