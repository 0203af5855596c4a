"""What the search benchmarks share: Django set up for measuring, the data filled in, and
the page timed in-process beside the bare SQL it issued.

For every request it measures, in the same run:
  * the page: the whole Django stack in-process (middleware, view, selectors, template),
    as the server sees it (no network, no client);
  * bare SQL: the exact SQL statements that request issued, executed again on a raw cursor.
It prints p50/p95/max of both, the page's CPU time in this process, and the ratio page/SQL.
"""

import argparse
import os
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

from directory.models import Organisation  # noqa: E402


def arguments(*, queries: int = 300, extra=()) -> argparse.Namespace:
    """The shared options; `extra` adds (flag, default) integer options of one script."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=queries)
    parser.add_argument("--seed", type=int, default=7)
    for flag, default in extra:
        parser.add_argument(flag, type=int, default=default)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run this against PostgreSQL: set DATABASE_URL.")
    return args


def fill(rows: int, **generate) -> None:
    """Generate organisations (directory_generate) up to `rows`, then ANALYZE."""
    existing = Organisation.objects.count()
    if existing < rows:
        call_command("directory_generate", rows - existing, batch=5000, **generate)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))
    return ordered[index]


def measure(path: str, requests, *, warm_up: dict) -> dict:
    """Time each request (a dict of GET parameters) on `path`, then its SQL alone."""
    client = Client(HTTP_HOST="localhost")
    client.get(path, warm_up)  # templates compiled, connection open
    page_ms, cpu_ms, sql_ms, query_counts = [], [], [], []
    for params in requests:
        connection.queries_log.clear()  # its 9,000 entries would cut a long run's counts
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(path, params)
            page_ms.append((time.perf_counter() - started) * 1000)
            cpu_ms.append((time.process_time() - started_cpu) * 1000)
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
    return {"page": page_ms, "cpu": cpu_ms, "sql": sql_ms, "statements": query_counts}


def report(result: dict, *, heading: str) -> None:
    def line(label, values):
        return (
            f"{label:10} p50 {statistics.median(values):6.1f} ms   "
            f"p95 {percentile(values, 0.95):6.1f} ms   max {max(values):6.1f} ms"
        )

    counts = result["statements"]
    print(
        f"{heading}, requests: {len(counts)}, "
        f"SQL statements per request: {min(counts)}-{max(counts)}"
    )
    print(line("page", result["page"]))
    # This process's CPU time for the page (not PostgreSQL's, nor waiting for a core): the
    # steadier figure on a shared machine.
    print(line("page CPU", result["cpu"]))
    print(line("bare SQL", result["sql"]))
    page_ms, sql_ms = result["page"], result["sql"]
    ratios = [p / s for p, s in zip(page_ms, sql_ms, strict=True)]
    print(
        f"ratio page/SQL: p50 {statistics.median(ratios):.2f}x, "
        f"p95-to-p95 {percentile(page_ms, 0.95) / percentile(sql_ms, 0.95):.2f}x"
    )
