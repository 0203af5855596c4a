"""One report job end to end: PostgreSQL, Redis as broker, a real Celery worker process."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from reports import services
from reports.models import ReportJob
from tests.factories import make_user
from tests.reports.pdf import pdf_catalogue, pdf_text


def _database_url() -> str:
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.fixture
def worker(settings, tmp_path):
    from portal.celery import app

    app.conf.task_always_eager = False
    app.control.purge()
    log = open(tmp_path / "worker.log", "w+")  # noqa: SIM115 - closed in finally
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            log.seek(0)
            if "ready." in log.read():
                break
            assert process.poll() is None, "the worker exited early"
            time.sleep(0.3)
        else:
            pytest.fail("the Celery worker did not start within 60 s")
        yield process, log
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_report_job_through_real_worker_produces_tagged_pdf(worker):
    _process, log = worker
    user = make_user("secretariat", full_name="Worker Test")
    job = services.report_job_request(kind="portal_overview", requested_by=user, language="sv")
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.2)
    log.seek(0)
    worker_log = log.read()
    assert job.state == ReportJob.State.DONE, f"{job.state}: {job.error}\n{worker_log[-3000:]}"
    assert "reports.render" in worker_log
    data = job.file.read()
    assert "Portalöversikt" in pdf_text(data)
    assert pdf_catalogue(data)["/Lang"] == "sv"
    assert "/StructTreeRoot" in pdf_catalogue(data)
    assert job.file.path.startswith(str(settings.MEDIA_ROOT))


_WORKER_START = """
import sys, time
import django
django.setup()
from celery.signals import worker_init, worker_process_init
from portal.celery import app
assert "weasyprint" not in sys.modules, "a web process must not load WeasyPrint"
worker_init.send(sender=None)
assert "weasyprint" in sys.modules, "the worker's main process did not load WeasyPrint"
worker_process_init.send(sender=None)
from reports.rendering import render_pdf
started = time.perf_counter()
render_pdf("<!doctype html><html lang='sv'><head><title>t</title></head><body>x</body></html>")
print("first job render", round((time.perf_counter() - started) * 1000), "ms")
"""


def test_worker_start_loads_weasyprint_before_the_first_job(settings):
    """WeasyPrint is imported (and warmed) when a worker starts, not in its first job; the
    web processes, which import the Celery app too, never load it."""
    result = subprocess.run(
        [sys.executable, "-c", _WORKER_START],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "first job render" in result.stdout
