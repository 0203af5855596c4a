"""The live list of speakers' polled fragment, in-process, with 30 people on the list.

Every phone at a meeting polls /council/meetings/<id>/speakers/ once a second, so this
endpoint must stay cheap: the issue's target is under 10 ms in-process with 30 on the list.

    DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/portal_h12a \
        .venv/bin/python bench/live_queue.py --requests 500

It migrates, builds a council and a meeting running now with 30 people waiting (balanced
order on, a turn running with a time limit) inside a transaction that is rolled back at the
end, and times the whole Django stack (middleware, view, selectors, template) through the
test client for: the secretariat's page (every chair control rendered), a member's page, and
a member's poll when nothing changed (204). It prints p50/p95/max and the queries per request.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.roles import Role as AccountRole  # noqa: E402
from accounts.services import user_create  # noqa: E402
from council import services  # noqa: E402
from council.models import Role, SpeakerListEntry  # noqa: E402
from directory import services as directory_services  # noqa: E402
from directory.models import Organisation, Sector  # noqa: E402


class Rollback(Exception):
    pass


def _setup(people: int):
    directory_services.taxonomy_sync()
    council = services.council_create(name="Bench council", slug="bench-live-queue")
    sectors = [Sector.objects.get(code="civil_society"), Sector.objects.get(code="public")]
    persons = []
    for number in range(people + 1):
        organisation = directory_services.organisation_create(
            name=f"Bench organisation {number}",
            sector=sectors[number % 2],
            state=Organisation.State.PUBLISHED,
        )
        user = user_create(
            email=f"bench.live.{number}@example.org",
            password="bench-password-1234",
            full_name=f"Bench {number}",
            roles=[AccountRole.COUNCIL_MEMBER],
        )
        person = directory_services.person_create(
            name=f"Talare {number:02d}",
            gender="woman" if number % 3 else "man",
            user=user,
            email=f"bench.live.{number}@example.org",
        )
        services.membership_create(
            council=council,
            person=person,
            organisation=organisation,
            role=Role.MEMBER,
            start_date=date(2020, 1, 1),
        )
        persons.append(person)
    now = timezone.now()
    meeting = services.meeting_schedule(
        council=council,
        title="Bench meeting",
        starts_at=now - timedelta(minutes=30),
        ends_at=now + timedelta(hours=2),
        place="Malmö",
        notify=False,
    )
    item = services.agenda_item_propose(meeting=meeting, title="Punkt", backfill=True)
    services.agenda_item_accept(agenda_item=item)
    services.meeting_live_item_set(meeting=meeting, agenda_item=item)
    for person in persons[:6]:
        entry = services.speaker_request(agenda_item=item, person=person)
        services.speaker_give_floor(entry=entry)
    services.speaking_turn_stop(meeting=meeting)
    for person in persons[:people]:
        services.speaker_request(agenda_item=item, person=person)
    services.meeting_speaker_rules_set(meeting=meeting, balanced=True, time_limit=120)
    services.speaker_give_floor(entry=SpeakerListEntry.objects.filter(state="waiting").first())
    services.speaker_request(agenda_item=item, person=persons[people])
    secretariat = user_create(
        email="bench.live.secretariat@example.org",
        password="bench-password-1234",
        full_name="Bench secretariat",
        roles=[AccountRole.SECRETARIAT],
    )
    return meeting, secretariat, persons[people].user


def _version(body: str) -> str:
    return body.split("?v=", 1)[1].split('"', 1)[0]


def _time(client, url, count, *, poll=False):
    """Time `count` GETs. Polling: with the version the last answer gave, as a phone does;
    the token lapses every 30 s, so now and then a poll gets the full fragment (counted)."""
    timings, queries, lapsed = [], 0, 0
    version = _version(client.get(url).content.decode()) if poll else None
    for _ in range(count):
        target = f"{url}?v={version}" if poll else url
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(target)
            elapsed = (time.perf_counter() - start) * 1000
        if poll and response.status_code == 200:
            lapsed += 1
            version = _version(response.content.decode())
            continue
        assert response.status_code == (204 if poll else 200), response.status_code
        timings.append(elapsed)
        queries = len(captured.captured_queries)
    timings.sort()
    return {
        "p50": statistics.median(timings),
        "p95": timings[int(len(timings) * 0.95) - 1],
        "max": timings[-1],
        "queries": queries,
        "lapsed": lapsed,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--people", type=int, default=30)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    results = {}
    try:
        with transaction.atomic():
            meeting, secretariat, member = _setup(args.people)
            url = f"/council/meetings/{meeting.pk}/speakers/"
            for label, user in (("secretariat", secretariat), ("member", member)):
                client = Client(HTTP_HOST="127.0.0.1")
                client.force_login(user)
                client.get(url)  # warm: the first request of a session writes it
                results[f"{label}, full fragment (200)"] = _time(client, url, args.requests)
                results[f"{label}, unchanged poll (204)"] = _time(
                    client, url, args.requests, poll=True
                )
            raise Rollback
    except Rollback:
        pass
    print(f"{args.people} waiting, {args.requests} requests each, in-process\n")
    print("| request | p50 | p95 | max | queries |\n|---|---|---|---|---|")
    for label, figures in results.items():
        note = f" ({figures['lapsed']} token lapses re-rendered)" if figures["lapsed"] else ""
        print(
            f"| {label}{note} | {figures['p50']:.2f} ms | {figures['p95']:.2f} ms | "
            f"{figures['max']:.2f} ms | {figures['queries']} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
