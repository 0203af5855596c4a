"""In-process cost of the open-data (HSDS 3.0.1) lists at `per_page=50`.

Django's test client with production settings (DEBUG off), the page cache off (every request
built), PostgreSQL. For each list: p50/p95 of the whole request and of its SQL re-run on a raw
cursor (bench/harness.py), and the statements per request. Issue 17's goal: <= 15 ms.

    DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/portal_h13_demo \
        .venv/bin/python bench/hsds_api.py --requests 200

Point it at a database with the demo data (`manage.py load_demo`) or at the directory
benchmark's (100,000 organisations, 300,000 offers); it only reads.
"""

import argparse
import os
import sys
from pathlib import Path

os.environ.update(
    DJANGO_ENV="production",
    SECRET_KEY=os.environ.get("SECRET_KEY", "bench-" + "k" * 60 + "0123456789abcdef"),
    ALLOWED_HOSTS="localhost",
    PORTAL_BASE_URL="https://portal.example.org",
    SECURE_SSL_REDIRECT="false",
    LOG_LEVEL="ERROR",
)
sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

from directory import selectors
from directory.models import Organisation

LISTS = [
    ("organizations", "/api/directory/organizations"),
    ("services", "/api/directory/services"),
    ("service_at_locations", "/api/directory/service_at_locations"),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--per-page", type=int, default=50)
    parser.add_argument("--pages", type=int, default=5, help="pages cycled through, at most")
    args = parser.parse_args()
    published = Organisation.objects.filter(state=Organisation.State.PUBLISHED).count()
    offers = selectors.offer_public().count()
    rows = f"{published} organisations, {offers} offers"
    for label, path in LISTS:
        # Only pages with rows: an empty page past the end costs nothing and says nothing.
        items = published if label == "organizations" else offers
        pages = max(1, min(args.pages, -(-items // args.per_page)))
        requests = [
            {"per_page": str(args.per_page), "page": str(1 + n % pages)}
            for n in range(args.requests)
        ]
        result = harness.measure(path, requests, warm_up={"per_page": str(args.per_page)})
        harness.report(result, heading=f"{label} per_page={args.per_page} ({rows})")


if __name__ == "__main__":
    main()
