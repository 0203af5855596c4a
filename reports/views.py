from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import can, login_required, require
from portal.ratelimit import rate_limit
from reports import registry, selectors, services
from reports.forms import ReportRequestForm
from reports.models import ReportJob


def _job_for(request, pk) -> ReportJob:
    return get_object_or_404(selectors.report_job_list_for(request.user), pk=pk)


@login_required
def report_list(request):
    kinds = [
        kind
        for kind in registry.all_kinds()
        if not kind.needs_subject and can(request.user, kind.permission)
    ]
    jobs = selectors.report_job_list_for(request.user)[:50]
    return render(request, "reports/report_list.html", {"jobs": jobs, "kinds": kinds})


@require_POST
@login_required
@rate_limit("report_request")
def report_request(request):
    form = ReportRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That report cannot be requested."))
        return redirect("reports:list")
    kind = registry.get(form.cleaned_data["kind"])
    require(request, kind.permission)
    try:
        job = services.report_job_request(
            kind=kind.code,
            subject_id=form.cleaned_data["subject_id"],
            requested_by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reports:list")
    job.refresh_from_db(fields=["state", "failure"])
    if job.state == ReportJob.State.FAILED:
        # The queue did not take it (the page below says so and offers to try again).
        messages.error(request, job.get_failure_display())
    else:
        messages.success(request, _("Your report is being produced. This page shows its progress."))
    return redirect("reports:detail", pk=job.pk)


@login_required
def report_detail(request, pk):
    services.report_job_sweep_if_due()
    return render(request, "reports/report_detail.html", {"job": _job_for(request, pk)})


@login_required
def report_status(request, pk):
    """The fragment the detail page polls (htmx) until the job is finished."""
    services.report_job_sweep_if_due()
    return render(request, "reports/_status.html", {"job": _job_for(request, pk)})


@login_required
def report_download(request, pk):
    job = _job_for(request, pk)
    if job.state != ReportJob.State.DONE or not job.file:
        raise Http404(_("This report is not ready."))
    if job.file_missing:
        # Restored without the media folder, or the file was removed: say so, offer a new one.
        return render(request, "reports/file_missing.html", {"job": job}, status=404)
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.filename,
        content_type="application/pdf",
    )


@require_POST
@login_required
def report_retry(request, pk):
    job = _job_for(request, pk)
    kind = registry.get(job.kind)
    if kind is None:
        raise Http404
    if not can(request.user, kind.permission):
        raise PermissionDenied
    try:
        services.report_job_retry(job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The report is being produced again."))
    return redirect("reports:detail", pk=job.pk)
