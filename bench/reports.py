"""Reports end to end against bare WeasyPrint, in one process and one run.

For each report (the agreement follow-up and the council year of the demo data) it times,
interleaved, --rounds times:
  * end to end: `reports.services.report_job_run` on a fresh job, as the Celery task runs it
    (claim, context from the database, template, PDF, file stored, job marked done);
  * bare WeasyPrint: the same HTML (rendered once beforehand) through
    `weasyprint.HTML(string=...).write_pdf(...)` with the same options (PDF/UA-1, tagged).
It prints the medians and the ratio (issue 17's goal: <= 1.2x), and first what the worker
now pays when it starts (`reports.rendering.preload`: the import and a tiny document),
which the first job used to pay.

    DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/portal_h13_demo \
        .venv/bin/python bench/reports.py --rounds 5

The database needs the demo data (`manage.py load_demo`). Jobs and files it makes are
deleted again; files go to a temporary MEDIA_ROOT.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench-reports-")
os.environ.setdefault("LOG_LEVEL", "ERROR")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from reports import registry, rendering, services  # noqa: E402
from reports.models import ReportJob  # noqa: E402


def _subjects() -> list[tuple[str, str]]:
    from agreements.models import Agreement
    from council.models import Council

    agreement = Agreement.objects.order_by("pk").first()
    council = Council.objects.order_by("pk").first()
    if agreement is None or council is None:
        sys.exit("No demo data here: run manage.py load_demo on this database first.")
    return [("agreement_follow_up", str(agreement.pk)), ("council_year", f"{council.pk}:2014")]


_MADE: list = []


def _job(kind: str, subject_id: str, user) -> ReportJob:
    # Made directly, not through report_job_request: that would also send a task message.
    job = ReportJob.objects.create(
        kind=kind, subject_id=subject_id, title=kind, language="sv", requested_by=user
    )
    _MADE.append(job.pk)
    return job


def _html(job: ReportJob) -> str:
    """The job's HTML exactly as report_job_run renders it."""
    kind = registry.get(job.kind)
    with translation.override(job.language):
        context = kind.build_context(job)
        return render_to_string(
            kind.template, {**context, "job": job, "generated_at": timezone.now()}
        )


def _bare(html: str) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=html, base_url=str(rendering.STATIC_DIR) + "/").write_pdf(
        pdf_variant="pdf/ua-1", pdf_tags=True
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    started = time.perf_counter()
    rendering.preload()
    print(
        f"worker start: WeasyPrint imported and warmed in {(time.perf_counter() - started):.2f} s"
    )
    user = get_user_model().objects.get(email="secretariat@example.org")
    try:
        for kind, subject_id in _subjects():
            html = _html(_job(kind, subject_id, user))
            _bare(html)  # this document's fonts and images once, for both
            end_to_end, bare, sizes = [], [], []
            for _round in range(args.rounds):
                job = _job(kind, subject_id, user)
                started = time.perf_counter()
                services.report_job_run(job_id=job.pk, task_id="bench")
                end_to_end.append(time.perf_counter() - started)
                job.refresh_from_db()
                assert job.state == ReportJob.State.DONE, job.error
                sizes.append(job.file.size)
                started = time.perf_counter()
                _bare(html)
                bare.append(time.perf_counter() - started)
            e2e, raw = statistics.median(end_to_end), statistics.median(bare)
            print(
                f"{kind:20} end to end p50 {e2e * 1000:7.0f} ms (min {min(end_to_end) * 1000:.0f})"
                f"   bare WeasyPrint p50 {raw * 1000:7.0f} ms (min {min(bare) * 1000:.0f})"
                f"   ratio {e2e / raw:.2f}x   PDF {sizes[-1] // 1024} KiB"
            )
    finally:
        for job in ReportJob.objects.filter(pk__in=_MADE):
            if job.file:
                job.file.delete(save=False)
            job.delete()


if __name__ == "__main__":
    main()
