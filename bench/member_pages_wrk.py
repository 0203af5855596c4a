"""Throughput of the pages members, leaders, editors and the secretariat use daily, signed in.

The pages of bench/member_pages.py (same list, same demo data), served by gunicorn with 2 sync
workers and production settings (DEBUG off, cached templates, PostgreSQL and Redis), each
asked for by `wrk -t2 -c8` with the session cookie of its role (`-H 'Cookie: ...'`): a
warm-up of --warmup seconds, then --duration seconds measured. Two floors in the same run:
a bare Django view behind the same middleware with the member's cookie (`/__bare__/`), and
the bare view with no middleware at all (a second gunicorn, as ../shared/NOTES.md measured
its floor and Indico). Prints req/s, p50, p99 and the ratio of req/s to each floor; issue 17's
goal is >= 0.04 of the floor (ten times Indico's public meeting page).

    DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/portal_h13_demo REDIS_URL=redis://... \
        .venv/bin/python bench/member_pages_wrk.py [--duration 10] [--rounds 1]

Empties and refills the database it is given with the demo data (bench/member_pages.py
--prepare): point it at a database of its own. Needs wrk (apt-get install -y wrk).
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
BASE = BENCH.parent
PORT, FLOOR_PORT = 8766, 8767
ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "bench-" + "k" * 60 + "0123456789abcdef",
    "ALLOWED_HOSTS": "127.0.0.1",
    "PORTAL_BASE_URL": "http://127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "LOG_LEVEL": "ERROR",
    # The staff TOTP gate is one check per request; the bench session says it used TOTP.
    "PORTAL_REQUIRE_MFA_FOR_STAFF": "false",
}


def _cookies() -> tuple[dict[str, str], dict]:
    """A signed-in session per role (as the server will read it: same settings, same Redis
    and database), and the ids the pages need."""
    os.environ.update(ENV)
    sys.path[:0] = [str(BASE), str(BENCH)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from allauth.usersessions.models import UserSession
    from django.conf import settings
    from django.test import Client
    from member_pages import PAGES, _ids

    from accounts.models import User

    cookies = {}
    for email in dict.fromkeys(role for role, _label, _path in PAGES):
        client = Client()
        session_user = User.objects.get(email=email)
        client.force_login(session_user)
        session = client.session
        session["account_authentication_methods"] = [
            {"method": "password", "at": time.time(), "email": email},
            {"method": "mfa", "at": time.time(), "type": "totp"},
        ]
        session.save()
        # The session-list row allauth's login form writes (force_login does not): the server
        # then reads session, user and access in one statement (accounts/sessions.py).
        UserSession.objects.get_or_create(
            session_key=session.session_key,
            defaults={"user": session_user, "ip": "127.0.0.1", "user_agent": "bench"},
        )
        cookies[email] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    return cookies, _ids()


def _server(port: int, **extra) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "member_pages_wsgi:application",
            "--pythonpath",
            str(BENCH),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=BASE,
        env={**os.environ, **ENV, **extra},
    )


def _status(url: str, cookie: str) -> int:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    headers = {"Cookie": cookie} if cookie else {}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - our loopback server
    try:
        return urllib.request.build_opener(NoRedirect).open(request, timeout=10).status
    except urllib.error.HTTPError as error:
        return error.code


def _wrk(url: str, cookie: str, seconds: int) -> tuple[float, str, str]:
    # wrk's own timeout (2 s) would drop the slow pages' answers from the figures.
    command = ["wrk", "-t2", "-c8", f"-d{seconds}s", "--timeout", "30s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if non_2xx:
        raise SystemExit(f"{url}: {non_2xx.group(1)} answers were not 2xx/3xx")
    p50 = re.search(r"50%\s+([\d.]+\w+)", out).group(1)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out).group(1)
    return rate, p50, p99


def _wait(port: int) -> None:
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/__bare__/", timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn on port {port} did not start")


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1, help="interleaved rounds (median)")
    parser.add_argument("--no-prepare", action="store_true", help="keep the database as it is")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("Set DATABASE_URL to a PostgreSQL database of its own (and REDIS_URL).")
        return 2
    python = sys.executable
    if not args.no_prepare:
        # The demo loader refuses production settings: a process of its own without them.
        plain = {k: v for k, v in os.environ.items() if k != "DJANGO_ENV"}
        prepare = [python, str(BENCH / "member_pages.py"), "--prepare", "--scale", "1"]
        subprocess.run(prepare, env=plain, check=True, stdout=subprocess.DEVNULL)
    collect = [python, "manage.py", "collectstatic", "--noinput", "-v0"]
    subprocess.run(collect, cwd=BASE, env={**os.environ, **ENV}, check=True)
    cookies, ids = _cookies()
    from member_pages import PAGES

    targets = [("floor: bare view, no middleware", "", "/__bare__/", FLOOR_PORT)]
    targets.append(("bare view, full middleware", "member@example.org", "/__bare__/", PORT))
    targets += [(label, role, make(ids), PORT) for role, label, make in PAGES]
    servers = [_server(PORT), _server(FLOOR_PORT, BENCH_BARE_ONLY="1")]
    results: dict[str, list] = {label: [] for label, *_rest in targets}
    try:
        _wait(PORT)
        _wait(FLOOR_PORT)
        statuses = {}
        for label, role, path, port in targets:
            url = f"http://127.0.0.1:{port}{path}"
            statuses[label] = _status(url, cookies.get(role, ""))
            if statuses[label] != 200:
                raise SystemExit(f"{label} {path}: {statuses[label]}, not 200 (signed in?)")
        print(f"load average before: {_load()}", flush=True)
        for _round in range(args.rounds):
            for label, role, path, port in targets:
                url = f"http://127.0.0.1:{port}{path}"
                _wrk(url, cookies.get(role, ""), args.warmup)
                results[label].append(_wrk(url, cookies.get(role, ""), args.duration))
        print(f"load average after: {_load()}")
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=15)

    def rate(label):
        return statistics.median(r[0] for r in results[label])

    floor, stack = rate(targets[0][0]), rate(targets[1][0])
    print(
        f"\nwrk -t2 -c8, {args.warmup} s warm-up + {args.duration} s, {args.rounds} round(s)\n"
        "| page | role | path | req/s | p50 | p99 | / floor | / bare with middleware |\n"
        "|---|---|---|---|---|---|---|---|"
    )
    for label, role, path, _port in targets:
        _rate, p50, p99 = results[label][len(results[label]) // 2]
        print(
            f"| {label} | {role.split('@')[0] or '-'} | `{path}` | {rate(label):.0f} | {p50} | "
            f"{p99} | {rate(label) / floor:.3f} | {rate(label) / stack:.3f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
