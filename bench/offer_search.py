"""Offer search benchmark: /directory/offers/ with a text search plus one filter, 100,000
organisations with 300,000 offers.

Usage (PostgreSQL; the script fills the database to --rows with directory_generate first):

    DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/portal_bench \
        .venv/bin/python bench/offer_search.py --rows 100000 --queries 300

For every request it measures, in the same run:
  * the page: the whole Django stack in-process (middleware, view, selectors, template),
    as the server sees it (no network, no client);
  * bare SQL: the exact SQL statements that request issued, executed again on a raw cursor.
It prints p50/p95/max of both and the ratio page/SQL. The issue's target: page p95 <= 50 ms
and page time <= 2x the bare SQL.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
# The search itself is measured, not the shared page cache in front of it (a repeated word
# and filter would be a cache hit with no SQL to compare against).
os.environ["PORTAL_PAGE_CACHE_SECONDS"] = "0"

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from directory.models import Language, Municipality, Offer, Organisation  # noqa: E402

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


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))
    return ordered[index]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run this against PostgreSQL: set DATABASE_URL.")

    existing = Organisation.objects.count()
    if existing < args.rows:
        call_command("directory_generate", args.rows - existing, batch=5000, offers=3)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    rng = random.Random(args.seed)
    municipalities = list(
        Municipality.objects.filter(region__code="12").values_list("code", flat=True)
    )
    languages = list(Language.objects.values_list("code", flat=True))
    client = Client(HTTP_HOST="localhost")
    client.get("/directory/offers/", {"q": "boccia"})  # warm up templates and connection

    page_ms, sql_ms, query_counts = [], [], []
    for _ in range(args.queries):
        params = {"q": rng.choice(TERMS)}
        if rng.random() < 0.5:
            params["municipality"] = rng.choice(municipalities)
        else:
            params["language"] = rng.choice(languages)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get("/directory/offers/", params)
            page_ms.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        statements = [q["sql"] for q in captured.captured_queries]
        query_counts.append(len(statements))
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                if cursor.description:
                    cursor.fetchall()
        sql_ms.append((time.perf_counter() - started) * 1000)

    def line(label, values):
        return (
            f"{label:10} p50 {statistics.median(values):6.1f} ms   "
            f"p95 {percentile(values, 0.95):6.1f} ms   max {max(values):6.1f} ms"
        )

    print(
        f"organisations: {Organisation.objects.count()}, offers: {Offer.objects.count()}, "
        f"requests: {args.queries}, "
        f"SQL statements per request: {min(query_counts)}-{max(query_counts)}"
    )
    print(line("page", page_ms))
    print(line("bare SQL", sql_ms))
    ratios = [p / s for p, s in zip(page_ms, sql_ms, strict=True)]
    print(
        f"ratio page/SQL: p50 {statistics.median(ratios):.2f}x, "
        f"p95-to-p95 {percentile(page_ms, 0.95) / percentile(sql_ms, 0.95):.2f}x"
    )


if __name__ == "__main__":
    main()
