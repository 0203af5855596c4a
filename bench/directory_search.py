"""Directory search benchmark: list page with a text search plus one filter, 100,000 rows.

Usage (PostgreSQL; the script fills the database to --rows with directory_generate first):

    DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/portal_bench \
        .venv/bin/python bench/directory_search.py --rows 100000 --queries 300

What it measures and prints: bench/harness.py. The issue's target: page p95 <= 50 ms
and page time <= 2x the bare SQL.
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
    args = harness.arguments()
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
    harness.report(result, heading=f"rows: {Organisation.objects.count()}")


if __name__ == "__main__":
    main()
