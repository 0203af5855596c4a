"""Offer search benchmark: /directory/offers/ with a text search plus one filter, 100,000
organisations with 300,000 offers.

Usage (PostgreSQL; the script fills the database to --rows with directory_generate first):

    DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/portal_bench \
        .venv/bin/python bench/offer_search.py --rows 100000 --queries 300

What it measures and prints: bench/harness.py. The issue's target: page p95 <= 50 ms
and page time <= 2x the bare SQL.
"""

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # sets up Django first

from directory.models import Language, Municipality, Offer, Organisation

# Words the generator uses, some misspelt or without å/ä/ö as visitors type them.
TERMS = [
    "vardagssvenska",
    "cirkelledare",
    "boccia",
    "arbetsträning",
    "arbetstraning",
    "läxhjälp",
    "besöksvänner",
    "mentorer",
    "kooperativ",
    "innebandy",
    "simning",
    "sprakcafe",
    "handledare",
    "telefonkedja",
    "cirkelledre",
    "boccja",
    "ledare",
    "solrosen",
    "hoppet",
    "fyren",
]


def main():
    args = harness.arguments()
    harness.fill(args.rows, offers=3)
    rng = random.Random(args.seed)
    municipalities = list(
        Municipality.objects.filter(region__code="12").values_list("code", flat=True)
    )
    languages = list(Language.objects.values_list("code", flat=True))
    requests = []
    for _ in range(args.queries):
        params = {"q": rng.choice(TERMS)}
        if rng.random() < 0.5:
            params["municipality"] = rng.choice(municipalities)
        else:
            params["language"] = rng.choice(languages)
        requests.append(params)
    result = harness.measure("/directory/offers/", requests, warm_up={"q": "boccia"})
    harness.report(
        result,
        heading=f"organisations: {Organisation.objects.count()}, offers: {Offer.objects.count()}",
    )


if __name__ == "__main__":
    main()
