"""The Celery application: worker and beat read their settings from Django's (CELERY_*)."""

import os

from celery import Celery
from celery.signals import worker_init, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# Report rendering: WeasyPrint is loaded when the worker starts, not in its first job. The
# main process imports it before forking (the pool's processes share those pages); each
# pool process then lays out one tiny document (fonts and Pango state are per process).
@worker_init.connect
def _import_report_renderer(**kwargs) -> None:
    from reports.rendering import preload

    preload(render=False)


@worker_process_init.connect
def _warm_report_renderer(**kwargs) -> None:
    from reports.rendering import preload

    preload()
