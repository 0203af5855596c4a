"""The meeting's materials (papers for the meeting as a whole) and the deadline for sending
papers, shown with the agenda. Members may add papers until the deadline; the secretariat
sets the deadline and may add papers at any time."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import can, permission_required
from council import selectors, services
from council.forms import DocumentForm, PapersDeadlineForm
from council.models import Meeting

RUN_MEETINGS = "council.change_meeting"


def _meeting(pk) -> Meeting:
    from django.http import Http404

    try:
        return selectors.meeting_for_page(pk)
    except Meeting.DoesNotExist as exc:
        raise Http404 from exc


def may_add_material(user, meeting: Meeting) -> bool:
    if can(user, RUN_MEETINGS):
        return True
    if not can(user, "council.add_document") or meeting.is_cancelled or meeting.is_past:
        return False
    return meeting.papers_deadline is None or timezone.now() <= meeting.papers_deadline


def _back(meeting):
    # The materials are on the preparing part of the meeting page.
    return redirect(
        reverse("council:meeting_section", args=[meeting.pk, "preparing"]) + "#materials"
    )


@require_POST
@permission_required("council.add_document")
def material_add(request, pk):
    meeting = _meeting(pk)
    if not may_add_material(request.user, meeting):
        raise PermissionDenied
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.meeting_material_attach(
                meeting=meeting, uploaded=form.cleaned_data["document"], uploaded_by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The paper is added to the meeting's materials."))
    else:
        messages.error(request, " ".join(form.errors.get("document", [])))
    return _back(meeting)


@require_POST
@permission_required(RUN_MEETINGS)
def papers_deadline(request, pk):
    meeting = _meeting(pk)
    form = PapersDeadlineForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_papers_deadline_set(meeting=meeting, deadline=form.deadline())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The deadline for papers is saved."))
    else:
        messages.error(request, _("Give a valid date and time."))
    return _back(meeting)


urlpatterns = [
    path("meetings/<int:pk>/materials/", material_add, name="material_add"),
    path("meetings/<int:pk>/papers-deadline/", papers_deadline, name="papers_deadline"),
]
