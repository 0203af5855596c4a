import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportJob(models.Model):
    """One request for a PDF report, rendered in the background."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being produced")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Failure(models.TextChoices):
        """Why a job failed, in words for the person who asked for it."""

        ERROR = "error", _("The report could not be produced.")
        QUEUE_UNREACHABLE = (
            "queue_unreachable",
            _("The report queue could not be reached. Try again in a moment."),
        )
        WORKER_LOST = (
            "worker_lost",
            _("The process producing the report stopped several times. Try again."),
        )

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=64)
    subject_id = models.CharField(_("subject"), max_length=64, blank=True)
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("language"), max_length=8, default="sv")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="report_jobs",
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    failure = models.CharField(_("failure"), max_length=32, choices=Failure.choices, blank=True)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/", blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Recovery (services.report_job_sweep): when the last task message was sent, which message
    # is producing the job, and when that worker last showed it was alive.
    enqueued_at = models.DateTimeField(_("sent to the queue"), default=timezone.now)
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    class Meta:
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"]),
            models.Index(fields=["state"], name="reports_job_state_idx"),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_state_display()})"

    @property
    def is_finished(self) -> bool:
        return self.state in {self.State.DONE, self.State.FAILED}

    @property
    def file_missing(self) -> bool:
        """Done, but the file is gone from the store (a restore without the media folder)."""
        return self.state == self.State.DONE and not (
            self.file and self.file.storage.exists(self.file.name)
        )

    @property
    def filename(self) -> str:
        from django.utils import translation

        from reports import registry

        stamp = timezone.localtime(self.created_at).strftime("%Y-%m-%d")
        kind = registry.get(self.kind)
        stem = self.kind
        if kind is not None and kind.file_stem is not None:
            with translation.override(self.language or None):
                stem = kind.file_stem(self) or stem
        return f"{stem}-{stamp}.pdf"
