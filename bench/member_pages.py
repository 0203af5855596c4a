"""In-process cost of the pages members, leaders, editors and the secretariat use daily.

Django's test client against PostgreSQL (and Redis when REDIS_URL is set) with the demo data,
production settings (DEBUG off, cached templates), every request rendered (logged-in pages
never come from the page cache). For each page: p50 and p95 over --requests requests after a
warm-up, and the SQL statements of one request. A bare view in the same process is the floor;
the ratio page/bare is the figure to compare across machines.

    DATABASE_URL=postgres://... .venv/bin/python bench/member_pages.py [--requests 200] [--scale 10]

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
    if scale > 1:
        _scale(scale)


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


def _copy(instance, **changes):
    instance.pk = None
    instance.id = None
    for field, value in changes.items():
        setattr(instance, field, value)
    if hasattr(instance, "uid"):
        import uuid

        instance.uid = uuid.uuid4()
    instance.save()
    return instance


def _scale(scale: int) -> None:
    """N-1 more of what grows with use: past meetings with everything on them, registrations,
    memberships and agreement actions."""
    from datetime import timedelta

    from agreements.models import ActionPlanItem
    from council.models import Meeting, Membership
    from directory.models import Person
    from workshops.models import Registration, Workshop

    meetings = list(Meeting.objects.all())
    for copy in range(1, scale):
        shift = timedelta(days=-400 * copy)
        for meeting in meetings:
            items = list(meeting.agenda_items.all())
            attendances = list(meeting.attendances.all())
            actions = list(meeting.action_items.all())
            turns = list(meeting.speaking_turns.all())
            new = _copy(
                Meeting.objects.get(pk=meeting.pk),
                starts_at=meeting.starts_at + shift,
                ends_at=meeting.ends_at + shift,
            )
            item_map = {}
            for item in items:
                old = item.pk
                item_map[old] = _copy(item, meeting=new)
            for attendance in attendances:
                _copy(attendance, meeting=new)
            for action in actions:
                _copy(action, meeting=new, agenda_item=item_map.get(action.agenda_item_id))
            for turn in turns:
                changes = {"meeting": new}
                if getattr(turn, "agenda_item_id", None):
                    changes["agenda_item"] = item_map.get(turn.agenda_item_id)
                _copy(turn, **changes)
    workshop = Workshop.objects.order_by("pk").first()
    registrations = list(workshop.registrations.all())
    for copy in range(1, scale):
        for registration in registrations:
            local, _at, domain = registration.email.partition("@")
            _copy(registration, email=f"{local}+{copy}@{domain}", cancel_token_hash="")
    memberships = list(Membership.objects.all())
    for copy in range(1, scale):
        for membership in memberships:
            person = Person.objects.get(pk=membership.person_id)
            person = _copy(person, name=f"{person.name} ({copy})", user=None)
            _copy(membership, person=person)
    actions = list(ActionPlanItem.objects.all())
    for _copy_number in range(1, scale):
        for action in actions:
            _copy(action)
    Registration.objects.count()


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
    return client


def _measure(client, path: str, requests: int) -> tuple[float, float, int, int]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    for _ in range(5):
        status = client.get(path).status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    statements = len(queries)  # read now: the log is emptied below
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
        reset_queries()
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    return statistics.median(timings), p95, statements, status


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--scale", type=int, default=1)
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
    subprocess.run(command, env=env, check=True)
    _setup()
    collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
    subprocess.run(collect, cwd=BASE, env=os.environ, check=True)
    ids = _ids()
    bare_p50, bare_p95, _statements, _status = _measure(
        _client("member@example.org"), "/__bare__/", args.requests
    )
    print(
        f"scale {args.scale}, {args.requests} requests per page; "
        f"bare view p50 {bare_p50:.2f} ms, p95 {bare_p95:.2f} ms"
    )
    print(
        "| page | role | status | p50 ms | p95 ms | SQL | p50 / bare |\n"
        "|---|---|---|---|---|---|---|"
    )
    clients = {}
    for email, label, make_path in PAGES:
        client = clients.setdefault(email, _client(email))
        p50, p95, count, status = _measure(client, make_path(ids), args.requests)
        print(
            f"| {label} | {email.split('@')[0]} | {status} | {p50:.1f} | {p95:.1f} | {count} "
            f"| {p50 / bare_p50:.1f}x |"
        )
    _live_fragment(args.requests, bare_p50)
    return 0


def _live_fragment(requests: int, bare_p50: float) -> None:
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
                for poll in (False, True):
                    figures = live_queue._time(client, url, requests, poll=poll)
                    kind = "unchanged poll (204)" if poll else "full fragment (200)"
                    print(
                        f"| live speakers, {kind} | {label} | {204 if poll else 200} "
                        f"| {figures['p50']:.1f} | {figures['p95']:.1f} | {figures['queries']} "
                        f"| {figures['p50'] / bare_p50:.1f}x |"
                    )
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    sys.exit(main())
