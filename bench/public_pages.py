"""Throughput of the public pages, measured the way NOTES.md measured Indico and bare Django.

gunicorn with 2 sync workers, the full middleware stack, DEBUG off, PostgreSQL with the demo
data; wrk -t2 -c8 for 10 s per page, from a second process on loopback. Needs wrk
(apt-get install wrk) and DATABASE_URL pointing at PostgreSQL (REDIS_URL for the cache).

    .venv/bin/python bench/public_pages.py [--duration 10] [--no-page-cache] [path ...]

Anonymous visitors get the shared page cache (portal/page_cache.py); wrk asks for the same
URL again and again, so that measures a cache hit. --no-page-cache measures the rendering.
"""

import argparse
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
PORT = 8765
DEFAULT_PATHS = ["/", "/directory/", "/directory/?q=malmo", "/workshops/", "/agreements/"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="*", default=DEFAULT_PATHS)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument(
        "--no-page-cache",
        action="store_true",
        help="render every request (PORTAL_PAGE_CACHE_SECONDS=0): the cost of a cache miss",
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("Set DATABASE_URL to a PostgreSQL database (see scripts/start_services.sh).")
        return 2
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=BASE, check=True)
    subprocess.run([python, "manage.py", "compiletranslations"], cwd=BASE, check=True)
    subprocess.run(
        [python, "manage.py", "load_demo"], cwd=BASE, check=True, stdout=subprocess.DEVNULL
    )
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "bench-" + "k" * 60 + "0123456789abcdef",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
    }
    if args.no_page_cache:
        env["PORTAL_PAGE_CACHE_SECONDS"] = "0"
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=BASE, env=env, check=True
    )
    server = subprocess.Popen(
        [
            str(Path(python).parent / "gunicorn"),
            "portal.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=BASE,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        print("| page | status | req/s | p50 | p99 |\n|---|---|---|---|---|")
        for path in args.paths:
            url = f"http://127.0.0.1:{PORT}{path}"
            try:
                status = urllib.request.urlopen(url, timeout=5).status
            except urllib.error.HTTPError as error:
                status = error.code
            out = subprocess.run(
                ["wrk", "-t2", "-c8", f"-d{args.duration}s", "--latency", url],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            rate = re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)
            p50 = re.search(r"50%\s+([\d.]+\w+)", out).group(1)
            p99 = re.search(r"99%\s+([\d.]+\w+)", out).group(1)
            print(f"| `{path}` | {status} | {float(rate):.0f} | {p50} | {p99} |", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
