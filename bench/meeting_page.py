"""In-process cost of the council meeting page, section by section, as a member and as the
secretariat (the same harness as `member_pages.py`: production settings, PostgreSQL, Redis
when REDIS_URL is set, a bare view measured in the same process as the floor).

    DATABASE_URL=postgres://... .venv/bin/python bench/meeting_page.py [--requests 200] \
        [--scale 10] [--no-fragment-cache] [section ...]

Sections default to the page's own address and its three parts (preparing, running, closing); give
"" for the default part alone. Uses (and empties) the database it is given.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

BASE = Path(__file__).resolve().parent
sys.path.insert(0, str(BASE))

import member_pages  # noqa: E402

SECTIONS = ["", "preparing/", "running/", "closing/"]
ROLES = ["member@example.org", "secretariat@example.org"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--no-fragment-cache", action="store_true")
    parser.add_argument("--skip-prepare", action="store_true")
    parser.add_argument("sections", nargs="*")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("Set DATABASE_URL to a PostgreSQL database of its own.")
        return 2
    if not args.skip_prepare:
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_ENV"}
        command = [
            sys.executable,
            str(BASE / "member_pages.py"),
            "--prepare",
            "--scale",
            str(args.scale),
        ]
        subprocess.run(command, env=env, check=True)
    if args.no_fragment_cache:
        os.environ["PORTAL_FRAGMENT_CACHE_SECONDS"] = "0"
    member_pages._setup()
    collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
    subprocess.run(collect, cwd=BASE.parent, env=os.environ, check=True)
    meeting = member_pages._ids()["meeting"]
    bare_p50, bare_p95, _statements, _status = member_pages._measure(
        member_pages._client("member@example.org"), "/__bare__/", args.requests
    )
    print(
        f"scale {args.scale}, {args.requests} requests per page; "
        f"bare view p50 {bare_p50:.2f} ms, p95 {bare_p95:.2f} ms"
    )
    print(
        "| page | role | status | p50 ms | p95 ms | SQL | p50 / bare |\n"
        "|---|---|---|---|---|---|---|"
    )
    for email in ROLES:
        client = member_pages._client(email)
        for section in args.sections or SECTIONS:
            path = f"/council/meetings/{meeting}/{section}"
            p50, p95, count, status = member_pages._measure(client, path, args.requests)
            print(
                f"| {path} | {email.split('@')[0]} | {status} | {p50:.1f} | {p95:.1f} | {count} "
                f"| {p50 / bare_p50:.0f}x |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
