"""In-process cost of the pages members, leaders, editors and the secretariat use daily.

Django's test client against PostgreSQL (and Redis when REDIS_URL is set) with the demo data,
production settings (DEBUG off, cached templates), every request rendered (logged-in pages
never come from the page cache). For each page: p50 and p95 over --requests requests after a
warm-up, and the SQL statements of one request. A bare view in the same process is the floor;
the ratio page/bare is the figure to compare across machines.

    DATABASE_URL=postgres://... .venv/bin/python bench/member_pages.py [--requests 200] [--scale 10]

--miss moves the content version before every request (as any write to a domain table does):
shared fragments and figures are then rendered every time, as for the first view after a write.

--scale N adds N-1 copies of the demo's meetings (with items, attendance, actions, speaking
turns), workshop registrations, memberships and agreement actions, to show which pages grow.
Uses (and empties) the database it is given: point it at a database of its own.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
import types
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))

PAGES = [
    # (role, label, path factory)
    ("member@example.org", "meeting", lambda ids: f"/council/meetings/{ids['meeting']}/"),
    ("member@example.org", "council overview", lambda ids: "/council/"),
    ("member@example.org", "members", lambda ids: "/council/members/"),
    ("member@example.org", "home (workplace)", lambda ids: "/"),
    (
        "secretariat@example.org",
        "speaking",
        lambda ids: f"/council/meetings/{ids['meeting']}/speaking/",
    ),
    (
        "secretariat@example.org",
        "workshop manage",
        lambda ids: f"/workshops/{ids['workshop']}/manage/",
    ),
    *[
        (
            "secretariat@example.org",
            f"workshop {section}",
            lambda ids, section=section: f"/workshops/{ids['workshop']}/manage/{section}/",
        )
        for section in ("programme", "registrations", "groups", "follow-up")
    ],
    ("secretariat@example.org", "check-in", lambda ids: f"/workshops/{ids['workshop']}/check-in/"),
    ("secretariat@example.org", "report list", lambda ids: "/reports/"),
    (
        "leader@example.org",
        "agreement manage",
        lambda ids: f"/agreements/{ids['agreement']}/manage/",
    ),
    ("leader@example.org", "checklist", lambda ids: f"/agreements/{ids['agreement']}/checklist/"),
    (
        "editor@example.org",
        "organisation edit",
        lambda ids: f"/directory/{ids['organisation']}/edit/",
    ),
]

# Public pages as a visitor with a session gets them (and the first anonymous visitor after a
# write): rendered, the page cache off. Shared fragments keep their own lifetime
# (PORTAL_FRAGMENT_CACHE_SECONDS), as they do for signed-in visitors.
PUBLIC_PAGES = [
    ("public home", lambda ids: "/"),
    ("public directory", lambda ids: "/directory/"),
    ("public directory search", lambda ids: "/directory/?q=malmo"),
    ("public organisation", lambda ids: f"/directory/{ids['organisation']}/"),
    ("public workshops", lambda ids: "/workshops/"),
    ("public workshop", lambda ids: f"/workshops/{ids['workshop']}/"),
    ("public agreements", lambda ids: "/agreements/"),
    ("public agreement", lambda ids: f"/agreements/{ids['agreement']}/"),
    ("public HSDS organisations", lambda ids: "/api/directory/organizations?per_page=50"),
    ("public council API", lambda ids: "/api/council/composition"),
]


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.update(
        DJANGO_ENV="production",
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-" + "k" * 60 + "0123456789abcdef"),
        ALLOWED_HOSTS="testserver",
        PORTAL_BASE_URL="https://portal.example.org",
        SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="ERROR",
        # The staff TOTP gate is measured as a member page pays it (it is one check).
        PORTAL_REQUIRE_MFA_FOR_STAFF="false",
        EMAIL_URL="dummymail://",
    )
    import django

    django.setup()
    from django.conf import settings
    from django.http import HttpResponse
    from django.urls import path

    # The floor: a view that does nothing, behind the same middleware.
    urls = types.ModuleType("bench_urls")
    from portal.urls import urlpatterns

    urls.urlpatterns = [path("__bare__/", lambda request: HttpResponse("ok")), *urlpatterns]
    sys.modules["bench_urls"] = urls
    settings.ROOT_URLCONF = "bench_urls"
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


def _prepare(scale: int) -> None:
    """Demo data (the loader refuses production settings, so this runs in a process of its
    own with the development settings), then the copies."""
    import io

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("flush", "--noinput", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    scale_rows(scale)


def _ids() -> dict:
    from agreements.models import Agreement
    from council.models import Meeting
    from directory.models import Organisation
    from workshops.models import Workshop

    meeting = Meeting.objects.filter(agenda_items__isnull=False).order_by("-starts_at").first()
    return {
        "meeting": meeting.pk,
        "workshop": Workshop.objects.order_by("pk").first().pk,
        "agreement": Agreement.objects.filter(process_leaders__email="leader@example.org")
        .order_by("pk")
        .first()
        .pk,
        "organisation": Organisation.objects.filter(editors__email="editor@example.org")
        .first()
        .slug,
    }


def _copies(objects, count: int, change) -> list:
    """`count` unsaved copies of each object: primary key cleared, a fresh uid where the model
    has one, and `change(copy, number)` applied (number 1..count)."""
    import copy as copying
    import uuid

    made = []
    for number in range(1, count + 1):
        for instance in objects:
            new = copying.copy(instance)
            new._state = copying.copy(instance._state)
            new._state.adding = True
            new.pk = None
            new.id = None
            if hasattr(new, "uid"):
                new.uid = uuid.uuid4()
            change(new, number)
            made.append(new)
    return made


def scale_rows(scale: int) -> None:
    """N-1 more of what grows with use: past meetings with everything on them (items,
    attendance, action items, speaking turns), workshop registrations, council memberships
    (each with a person of its own) and agreement actions. Bulk inserts, so tests can use it
    too (tests/portal/test_member_pages_cost.py)."""
    from datetime import timedelta

    from agreements.models import ActionPlanItem
    from council.models import ActionItem, AgendaItem, Attendance, Meeting, Membership, SpeakingTurn
    from directory.models import Person
    from workshops.models import Registration, Workshop

    extra = scale - 1
    if extra < 1:
        return
    meetings = list(Meeting.objects.order_by("pk"))
    shift = {number: timedelta(days=-400 * number) for number in range(1, scale)}

    def moved(new, number):
        new.starts_at += shift[number]
        new.ends_at += shift[number]

    new_meetings = Meeting.objects.bulk_create(_copies(meetings, extra, moved))
    meeting_map = {
        (number, old.pk): new
        for (number, old), new in zip(
            [(n, m) for n in range(1, scale) for m in meetings], new_meetings, strict=True
        )
    }
    items = list(AgendaItem.objects.filter(meeting__in=meetings).order_by("pk"))
    item_keys = [(n, item) for n in range(1, scale) for item in items]
    new_items = AgendaItem.objects.bulk_create(
        _copies(
            items, extra, lambda new, n: setattr(new, "meeting", meeting_map[(n, new.meeting_id)])
        )
    )
    item_map = {(n, old.pk): new for (n, old), new in zip(item_keys, new_items, strict=True)}

    def on_copy(new, n):
        new.meeting = meeting_map[(n, new.meeting_id)]
        if getattr(new, "agenda_item_id", None):
            new.agenda_item = item_map[(n, new.agenda_item_id)]

    for model in (Attendance, ActionItem, SpeakingTurn):
        rows = list(model.objects.filter(meeting__in=meetings).order_by("pk"))
        model.objects.bulk_create(_copies(rows, extra, on_copy))

    workshop = Workshop.objects.order_by("pk").first()
    registrations = list(workshop.registrations.order_by("pk"))

    def other_address(new, n):
        local, _at, domain = new.email.partition("@")
        new.email = f"{local}+{n}@{domain}"
        new.cancel_token_hash = ""

    Registration.objects.bulk_create(_copies(registrations, extra, other_address))

    memberships = list(Membership.objects.select_related("person").order_by("pk"))
    people = Person.objects.bulk_create(
        _copies(
            [m.person for m in memberships],
            extra,
            lambda new, n: (setattr(new, "name", f"{new.name} ({n})"), setattr(new, "user", None)),
        )
    )
    seats = _copies(memberships, extra, lambda new, n: None)
    for seat, person in zip(seats, people, strict=True):
        seat.person = person
    Membership.objects.bulk_create(seats)
    ActionPlanItem.objects.bulk_create(
        _copies(list(ActionPlanItem.objects.order_by("pk")), extra, lambda new, n: None)
    )


def _client(email: str):
    import time as clock

    from django.test import Client

    from accounts.models import User

    client = Client()
    user = User.objects.get(email=email)
    client.force_login(user)
    session = client.session
    # The staff gate asks whether this session used a second factor: say it did.
    session["account_authentication_methods"] = [
        {"method": "password", "at": clock.time(), "email": email},
        {"method": "mfa", "at": clock.time(), "type": "totp"},
    ]
    session.save()
    # The session-list row allauth's login form writes (force_login does not): with it the
    # session and the user are read in one statement (accounts/sessions.py), as for everyone
    # who signed in through the form.
    from allauth.usersessions.models import UserSession

    UserSession.objects.get_or_create(
        session_key=session.session_key,
        defaults={"user": user, "ip": "127.0.0.1", "user_agent": "bench"},
    )
    return client


def _figures(client, path: str, requests: int, *, poll_of: str = "", miss: bool = False) -> dict:
    """p50/p95 of the wall time and p50 of the process's CPU time over `requests` GETs, after
    a warm-up, and the statements of one request. The CPU time is the steadier figure on a
    shared machine (waiting for a core or for PostgreSQL is not in it).

    `poll_of`: the live fragment's address; `path` is then polled with the version token of
    its last answer, as a phone does (the token lapses every 30 s: such answers are skipped).

    `miss`: the content version is moved before every request (outside the timing), as a
    write does, so shared fragments and figures are rendered afresh: the first request after
    a write.
    """
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    def version() -> str:
        body = client.get(poll_of).content.decode()
        return body.split("?v=", 1)[1].split('"', 1)[0]

    from portal.page_cache import content_changed

    def written() -> None:
        if miss:
            content_changed()

    target = f"{path}?v={version()}" if poll_of else path
    for _ in range(5):
        written()
        status = client.get(target).status_code
    written()
    with CaptureQueriesContext(connection) as queries:
        status = client.get(target).status_code
    statements = len(queries)  # read now: the log is emptied below
    wall, cpu = [], []
    while len(wall) < requests:
        written()
        start, start_cpu = time.perf_counter(), time.process_time()
        answer = client.get(target).status_code
        elapsed, elapsed_cpu = time.perf_counter() - start, time.process_time() - start_cpu
        reset_queries()
        if poll_of and answer != 204:
            target = f"{path}?v={version()}"
            continue
        wall.append(elapsed * 1000)
        cpu.append(elapsed_cpu * 1000)
    wall.sort()
    return {
        "p50": statistics.median(wall),
        "p95": wall[max(0, int(len(wall) * 0.95) - 1)],
        "cpu": statistics.median(cpu),
        "statements": statements,
        "status": status,
    }


def _measure(client, path: str, requests: int) -> tuple[float, float, int, int]:
    """(p50, p95, statements, status): the shape bench/meeting_page.py reads."""
    figures = _figures(client, path, requests)
    return figures["p50"], figures["p95"], figures["statements"], figures["status"]


def _row(label: str, role: str, figures: dict, bare: dict) -> str:
    return (
        f"| {label} | {role} | {figures['status']} | {figures['p50']:.1f} | {figures['p95']:.1f} "
        f"| {figures['cpu']:.1f} | {figures['statements']} | {figures['p50'] / bare['p50']:.1f}x "
        f"| {figures['cpu'] / bare['cpu']:.1f}x |"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument(
        "--pages", help="comma-separated page labels to measure (default: all), e.g. checklist"
    )
    parser.add_argument(
        "--miss",
        action="store_true",
        help="move the content version before every request (the first view after a write)",
    )
    parser.add_argument(
        "--no-prepare", action="store_true", help="reuse the data already in the database"
    )
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("Set DATABASE_URL to a PostgreSQL database of its own.")
        return 2
    if args.prepare:
        _prepare(args.scale)
        return 0
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ENV"}
    env["EMAIL_URL"] = "dummymail://"  # the demo's notifications are not printed
    command = [sys.executable, __file__, "--prepare", "--scale", str(args.scale)]
    if not args.no_prepare:
        subprocess.run(command, env=env, check=True)
    _setup()
    collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
    subprocess.run(collect, cwd=BASE, env=os.environ, check=True)
    ids = _ids()
    bare = _figures(_client("member@example.org"), "/__bare__/", args.requests)
    print(
        f"scale {args.scale}, {args.requests} requests per page; bare view p50 "
        f"{bare['p50']:.2f} ms, p95 {bare['p95']:.2f} ms, CPU p50 {bare['cpu']:.2f} ms, "
        f"{bare['statements']} SQL (session with user); load average {os.getloadavg()[0]:.1f}"
    )
    print(
        "| page | role | status | p50 ms | p95 ms | CPU p50 ms | SQL | p50 / bare | CPU / bare |\n"
        "|---|---|---|---|---|---|---|---|---|"
    )
    clients = {}
    wanted = {label.strip() for label in args.pages.split(",")} if args.pages else None
    for email, label, make_path in PAGES:
        if wanted is not None and label not in wanted:
            continue
        client = clients.setdefault(email, _client(email))
        figures = _figures(client, make_path(ids), args.requests, miss=args.miss)
        print(_row(label + (" (miss)" if args.miss else ""), email.split("@")[0], figures, bare))
    if wanted is None or any(label.startswith("public") for label in wanted):
        from django.conf import settings
        from django.test import Client

        settings.PORTAL_FRAGMENT_CACHE_SECONDS = settings.PORTAL_PAGE_CACHE_SECONDS
        settings.PORTAL_PAGE_CACHE_SECONDS = 0
        visitor = Client()
        for label, make_path in PUBLIC_PAGES:
            if wanted is None or label in wanted:
                figures = _figures(visitor, make_path(ids), args.requests)
                print(_row(label, "anonymous", figures, bare))
    if wanted is None or any(label.startswith("live") for label in wanted):
        _live_fragment(args.requests, bare)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    return 0


def _live_fragment(requests: int, bare: dict) -> None:
    """The live list of speakers' polled fragment (issue 12) with 30 people waiting, a turn
    running and balanced order on (bench/live_queue.py builds it; rolled back afterwards)."""
    import live_queue
    from django.db import transaction
    from django.test import Client

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            meeting, secretariat, member = live_queue._setup(30)
            url = f"/council/meetings/{meeting.pk}/speakers/"
            for label, user in (("secretariat", secretariat), ("member", member)):
                client = Client()
                client.force_login(user)
                client.get(url)
                full = _figures(client, url, requests)
                print(_row("live speakers, full fragment", label, full, bare))
                poll = _figures(client, url, requests, poll_of=url)
                print(_row("live speakers, unchanged poll", label, poll, bare))
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    sys.exit(main())
