"""The embedded run's stand-in for Celery beat: the same schedule table, run in-process.

In production Celery beat sends the jobs in `CELERY_BEAT_SCHEDULE` to the worker. The embedded
run (`make run`: SQLite, no broker, tasks executed eagerly) has neither, so without this
nothing would ever send a meeting reminder or erase expired data there. `runserver` starts
one daemon thread that, every `PORTAL_SCHEDULER_TICK_SECONDS`, calls each job whose interval
has passed, in the serving process, through the task itself (eager), exactly as beat would.

Every job runs once when the thread starts (the schedule holds no state across restarts, as
beat's default does not either); the jobs are idempotent by design (each claims its rows with
a conditional update before it sends), so a run after a restart repeats nothing.
"""

import logging
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import close_old_connections
from django.utils.module_loading import autodiscover_modules

logger = logging.getLogger(__name__)


@dataclass
class ScheduledJob:
    name: str
    task: str
    every: float  # seconds
    next_run: float = 0.0


def schedule_table() -> list[ScheduledJob]:
    """The beat schedule as plain jobs; only interval schedules exist in our settings."""
    # Celery discovers the apps' tasks lazily; the jobs are looked up by name, so load them.
    autodiscover_modules("tasks")
    jobs = []
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        schedule = entry["schedule"]
        if isinstance(schedule, timedelta):
            every = schedule.total_seconds()
        elif isinstance(schedule, int | float):
            every = float(schedule)
        else:
            raise TypeError(
                f"Schedule {name!r}: the embedded scheduler runs interval schedules "
                f"(timedelta or seconds), not {type(schedule).__name__}"
            )
        jobs.append(ScheduledJob(name=name, task=entry["task"], every=every))
    return jobs


def run_due(jobs: list[ScheduledJob], now: float) -> list[str]:
    """Run every job whose time has come; returns the names run. One failure stops no other."""
    ran = []
    for job in jobs:
        if now < job.next_run:
            continue
        job.next_run = now + job.every
        close_old_connections()
        try:
            current_app.tasks[job.task].apply()
        except Exception:
            logger.exception("Scheduled job %s failed", job.name)
        finally:
            close_old_connections()
        ran.append(job.name)
    return ran


class EmbeddedScheduler(threading.Thread):
    def __init__(self, *, tick: float):
        super().__init__(name="embedded-scheduler", daemon=True)
        self.tick = tick
        self.jobs = schedule_table()
        self.stopped = threading.Event()

    def run(self):
        logger.info("Embedded scheduler: %d jobs, checked every %s s", len(self.jobs), self.tick)
        while not self.stopped.is_set():
            run_due(self.jobs, time.monotonic())
            self.stopped.wait(self.tick)

    def stop(self):
        self.stopped.set()


def should_run_embedded() -> bool:
    """Only where no beat runs: tasks execute in-process (no broker) and it is not turned off."""
    return bool(settings.CELERY_TASK_ALWAYS_EAGER and settings.PORTAL_EMBEDDED_SCHEDULER)


def start() -> EmbeddedScheduler | None:
    if not should_run_embedded():
        return None
    scheduler = EmbeddedScheduler(tick=settings.PORTAL_SCHEDULER_TICK_SECONDS)
    scheduler.start()
    return scheduler
