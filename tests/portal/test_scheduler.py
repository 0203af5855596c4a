"""The embedded run's scheduler (portal/scheduler.py): beat's table, run in-process."""

import os
import socket
import subprocess
import sys
import time
from datetime import timedelta
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from celery import shared_task
from django.conf import settings

from portal import scheduler

ROOT = Path(__file__).resolve().parents[2]

CALLS: list[str] = []


@shared_task(name="tests.scheduler_ok")
def _ok():
    CALLS.append("ok")


@shared_task(name="tests.scheduler_broken")
def _broken():
    CALLS.append("broken")
    raise RuntimeError("this job always fails")


def test_schedule_table_is_beats_table():
    jobs = {job.name: job for job in scheduler.schedule_table()}
    assert set(jobs) == set(settings.CELERY_BEAT_SCHEDULE)
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert jobs[name].task == entry["task"]
        assert jobs[name].every == entry["schedule"].total_seconds()


def test_every_scheduled_task_is_registered():
    """A typo in the schedule would make beat and the embedded scheduler skip a job silently."""
    from portal.celery import app

    scheduler.schedule_table()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]


@pytest.mark.django_db
def test_run_due_runs_at_start_then_after_each_interval():
    CALLS.clear()
    jobs = [scheduler.ScheduledJob(name="ok", task="tests.scheduler_ok", every=60)]
    assert scheduler.run_due(jobs, now=1000.0) == ["ok"]
    assert scheduler.run_due(jobs, now=1059.0) == []
    assert scheduler.run_due(jobs, now=1060.0) == ["ok"]
    assert CALLS == ["ok", "ok"]


@pytest.mark.django_db
def test_a_failing_job_does_not_stop_the_others(caplog):
    CALLS.clear()
    jobs = [
        scheduler.ScheduledJob(name="broken", task="tests.scheduler_broken", every=60),
        scheduler.ScheduledJob(name="ok", task="tests.scheduler_ok", every=60),
    ]
    assert scheduler.run_due(jobs, now=0.0) == ["broken", "ok"]
    assert CALLS == ["broken", "ok"]


def test_not_started_where_beat_runs(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert scheduler.start() is None
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.PORTAL_EMBEDDED_SCHEDULER = False
    assert scheduler.start() is None


def test_meeting_reminders_are_checked_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["council-meeting-reminders"]
    assert entry["schedule"] <= timedelta(minutes=1)


def _messages(path: Path):
    """The file backend writes each message followed by a line of 79 dashes."""
    for chunk in path.read_bytes().split(b"-" * 79):
        if chunk.strip():
            yield message_from_bytes(chunk.strip())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


_SETUP = """
from datetime import timedelta
from email import message_from_bytes
from email.header import decode_header, make_header
from django.utils import timezone
from council.services import MEETING_REMINDER_BEFORE
from tests.council.conftest import make_council, make_meeting, make_person, seat
council = make_council()
seat(council, person=make_person(name="Alva Exempel", email="alva@example.org"))
starts = timezone.now() + MEETING_REMINDER_BEFORE + timedelta(seconds={delay})
make_meeting(council, starts=starts, title="Council meeting 4711")
"""


def test_make_run_sends_a_reminder_that_falls_due_while_it_serves(tmp_path):
    """`manage.py serve` (what `make run` starts) alone sends a reminder falling due later.

    The meeting enters the reminder window 15 s after the server starts, so the run at start
    finds nothing; the next scheduled run (within a minute) must send it: no worker, no beat.
    """
    mail_dir = tmp_path / "mail"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ENV", "CI"}
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        # Three slashes: django-environ takes the path after the (empty) host part.
        EMAIL_URL=f"filemail:///{mail_dir}",
        PORTAL_SCHEDULER_TICK_SECONDS="1",
        PYTHONPATH=str(ROOT),
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run([*manage, "shell", "-c", _SETUP.format(delay=15)], env=env, cwd=ROOT, check=True)
    server = subprocess.Popen(
        [*manage, "serve", "--noreload", f"127.0.0.1:{_free_port()}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        started = time.monotonic()
        sent = []
        while time.monotonic() - started < 120 and not sent:
            time.sleep(1)
            assert server.poll() is None, server.stdout.read()
            sent = [
                message
                for path in (mail_dir.glob("*.log") if mail_dir.exists() else [])
                for message in _messages(path)
                if "Council meeting 4711" in str(make_header(decode_header(message["Subject"])))
            ]
        waited = time.monotonic() - started
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0]
    assert sent, f"no reminder within 120 s; server said:\n{output}"
    assert sent[0]["To"] == "alva@example.org"
    # Not at start (the meeting was not yet due) but at the next run, a minute later at most.
    assert 15 <= waited <= 90, waited
