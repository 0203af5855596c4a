"""The council's pages: members' area (login required) and the secretariat's tools.

Thin function-based views: check permission, validate with a form, call one service, then
redirect or render. The only pages reachable without a login are the token-protected
calendar feed (403 on an unknown token) and the public composition API (api.py).
"""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import can, permission_required
from council import ical, selectors, services
from council.forms import (
    ActionItemEditForm,
    ActionItemForm,
    ActionStatusForm,
    AgendaActionForm,
    AgendaItemForm,
    AttendanceForm,
    CompositionDateForm,
    DecisionEditForm,
    DecisionForm,
    DeclineForm,
    DocumentForm,
    MeetingForm,
    MembershipChangeForm,
    MembershipEndForm,
    MembershipForm,
    MinutesAnswerForm,
    MinutesCorrectForm,
    MinutesForm,
    MinutesRolesForm,
    MinutesSettingsForm,
    ReasonForm,
    RsvpForm,
    SpeakerForm,
    YearForm,
)
from council.materials import may_add_material
from council.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    Document,
    Meeting,
    Membership,
)
from directory.models import Person
from portal import fragment_cache
from portal.concurrency import StaleVersionError, conflict_context, stale_message
from portal.ical import personal_feed
from portal.page_cache import public_page

VIEW = "council.view_council"
RUN_MEETINGS = "council.change_meeting"
MANAGE_MEMBERS = "council.change_membership"
REPORT = "council.request_council_report"


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _apply_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError next to the fields it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _council_or_404():
    council = selectors.council_current()
    if council is None:
        raise Http404(_("No council has been set up yet."))
    return council


def _meeting(pk) -> Meeting:
    try:
        return selectors.meeting_for_page(pk)
    except Meeting.DoesNotExist as exc:
        raise Http404 from exc


# --- Overview and members ------------------------------------------------------------------


@permission_required(VIEW)
def council_home(request):
    council = selectors.council_current_shared(request)
    form = CompositionDateForm(request.GET or None)
    day = timezone.localdate()
    if form.is_bound and form.is_valid() and form.cleaned_data.get("on"):
        day = form.cleaned_data["on"]
    person = selectors.person_for(request.user)
    context = {"council": council, "form": form, "day": day, "person": person}
    if council is not None:
        # Lazy: read only when the shared composition (the same for every member on that
        # day) is not in the fragment cache.
        context["composition"] = SimpleLazyObject(
            lambda: selectors.composition_on(council, day, lean=True)
        )
        # The same for every member: kept under the content version, cut by the clock.
        context["upcoming"] = selectors.meetings_ahead(request, show=5, keep=8, council=council)
        if person is not None:
            mine = selectors.action_items_for_person(person)
            # Title and due date only: no meeting or item rows joined.
            context["my_open_actions"] = list(
                mine.select_related(None).filter(
                    status__in=[ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS]
                )[:10]
            )
        context["can_report"] = can(request.user, REPORT)
        if context["can_report"]:
            context["report_years"] = sorted(
                set(selectors.meeting_years(council)) | {timezone.localdate().year},
                reverse=True,
            )
    return render(request, "council/home.html", context)


@permission_required("council.view_membership")
def member_list(request):
    council = _council_or_404()
    memberships = selectors.membership_list(council).order_by(
        "role", "person__name", "start_date", "id"
    )
    today = timezone.localdate()
    return render(
        request,
        "council/member_list.html",
        {
            "council": council,
            "memberships": memberships,
            "today": today,
            "can_manage": can(request.user, MANAGE_MEMBERS),
        },
    )


@permission_required("council.add_membership")
def membership_create(request):
    council = _council_or_404()
    form = MembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_create(council=council, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The membership is saved."))
            return redirect("council:member_list")
    return render(request, "council/membership_form.html", {"form": form, "council": council})


def _membership(pk) -> Membership:
    return get_object_or_404(Membership.objects.select_related("person", "organisation"), pk=pk)


@permission_required(MANAGE_MEMBERS)
def membership_end(request, pk):
    membership = _membership(pk)
    form = MembershipEndForm(request.POST or None, membership=membership)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(membership=membership, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The end date is saved."))
            return redirect("council:member_list")
    return render(
        request,
        "council/membership_change.html",
        {"form": form, "membership": membership, "title": _("End a membership")},
    )


@permission_required(MANAGE_MEMBERS)
def membership_change(request, pk):
    membership = _membership(pk)
    form = MembershipChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kwargs = {"membership": membership, "on": data["on"]}
        if data.get("organisation"):
            kwargs["organisation"] = data["organisation"]
        if data.get("work_share") is not None:
            kwargs["work_share"] = data["work_share"]
        try:
            services.membership_change(**kwargs)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The change is saved from the date given."))
            return redirect("council:member_list")
    return render(
        request,
        "council/membership_change.html",
        {
            "form": form,
            "membership": membership,
            "title": _("Change organisation or work share"),
        },
    )


# --- Meetings ------------------------------------------------------------------------------


@permission_required("council.view_meeting")
def meeting_list(request):
    council = _council_or_404()
    person = selectors.person_for(request.user)
    meetings = selectors.meeting_list(council, person=person)
    now = timezone.now()
    return render(
        request,
        "council/meeting_list.html",
        {
            "council": council,
            "upcoming": [m for m in meetings if m.ends_at >= now][::-1],
            "past": [m for m in meetings if m.ends_at < now],
            "can_schedule": can(request.user, "council.add_meeting"),
            "person": person,
        },
    )


@permission_required("council.add_meeting")
def meeting_create(request):
    council = _council_or_404()
    form = MeetingForm(request.POST or None)
    past_warning = False
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        in_past = kwargs["starts_at"] < timezone.now()
        if in_past and request.POST.get("confirm_past") != "1":
            # Ask first: a date in the past is often a typo; recorded, it invites nobody.
            past_warning = True
        else:
            try:
                meeting = services.meeting_schedule(
                    council=council, created_by=request.user, notify=not in_past, **kwargs
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The meeting is recorded. It is in the past, so no invitations were sent.")
                    if in_past
                    else _("The meeting is scheduled and the invitations are sent."),
                )
                return redirect(meeting)
    return render(
        request,
        "council/meeting_form.html",
        {"form": form, "meeting": None, "past_warning": past_warning},
    )


@permission_required(RUN_MEETINGS)
def meeting_edit(request, pk):
    meeting = _meeting(pk)
    form = MeetingForm(request.POST or None, initial=MeetingForm.initial_for(meeting))
    conflict = {}
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(
                meeting=meeting,
                expected_version=form.cleaned_data["version"],
                **form.service_kwargs(),
            )
        except StaleVersionError as error:
            conflict = conflict_context(form, error, MeetingForm.initial_for(error.current))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            meeting.refresh_from_db()
            messages.success(
                request,
                _("The meeting is updated. It has already been held: nobody was sent the change.")
                if meeting.is_past
                else _("The meeting is updated."),
            )
            return redirect(meeting)
    return render(
        request,
        "council/meeting_form.html",
        {"form": form, "meeting": meeting, **conflict},
        status=409 if conflict else 200,
    )


@permission_required(RUN_MEETINGS)
def meeting_cancel(request, pk):
    """GET asks first; POST cancels and tells everyone invited."""
    meeting = _meeting(pk)
    if request.method != "POST":
        return render(request, "council/meeting_cancel_confirm.html", {"meeting": meeting})
    try:
        services.meeting_cancel(meeting=meeting)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(
            request,
            _(
                "The meeting is cancelled and everyone invited is told. You can reinstate it "
                "from its page."
            ),
        )
    return redirect(meeting)


@require_POST
@permission_required(RUN_MEETINGS)
def meeting_reinstate(request, pk):
    meeting = _meeting(pk)
    try:
        services.meeting_reinstate(meeting=meeting)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(
            request, _("The meeting is on again and everyone invited gets a new invitation.")
        )
    return redirect(meeting)


# The meeting page in three parts, each with its own address, so nobody scrolls past the
# tools of another stage: preparing (agenda, papers, replies), running (attendance, speakers)
# and closing (minutes, decisions, action items). The page's own address shows the part the
# meeting's state calls for.
MEETING_SECTIONS = {
    "preparing": gettext_lazy("Before: agenda and papers"),
    "running": gettext_lazy("During: attendance and speakers"),
    "closing": gettext_lazy("After: minutes, decisions and actions"),
}
DEFAULT_SECTION = {
    selectors.MEETING_BEFORE: "preparing",
    selectors.MEETING_DURING: "running",
    selectors.MEETING_AFTER: "closing",
}
# Where a form on the page sends people back to (the anchor names the part it is on).
ANCHOR_SECTIONS = {
    "#agenda": "preparing",
    "#materials": "preparing",
    "#rsvp": "preparing",
    "#attendance": "running",
    "#speakers": "running",
    "#decisions": "closing",
    "#actions": "closing",
}


def meeting_section_url(meeting_id: int, anchor: str) -> str:
    section = ANCHOR_SECTIONS[anchor]
    return reverse("council:meeting_section", args=[meeting_id, section]) + anchor


@permission_required("council.view_meeting")
def meeting_detail(request, pk, section=None):
    if section is not None and section not in MEETING_SECTIONS:
        raise Http404
    # The meeting and what its parts show each member of their own, the same for everyone
    # (each part read from the database when first needed): one cache read per request.
    shared = fragment_cache.SharedRecord(request, "meeting-page", [pk])
    try:
        meeting = shared.part("meeting", lambda: selectors.meeting_for_sections(pk))
    except Meeting.DoesNotExist as exc:
        raise Http404 from exc
    phase = selectors.meeting_phase(meeting)
    default = DEFAULT_SECTION[phase]
    section = section or default
    runs = can(request.user, RUN_MEETINGS)
    # Read only by the parts that show something personal (one statement, kept on the user).
    person = SimpleLazyObject(lambda: selectors.person_for(request.user))
    context = {
        "meeting": meeting,
        "phase": phase,
        "section": section,
        "section_template": f"council/meeting/{section}.html",
        "default_section": default,
        # Read only when the shared head of the page (facts, tools, parts) is rendered afresh.
        "sections": SimpleLazyObject(
            lambda: [
                (key, label, reverse("council:meeting_section", args=[pk, key]), key == default)
                for key, label in MEETING_SECTIONS.items()
            ]
        ),
        "runs": runs,
        # The shared parts of the page come in two variants: with the secretariat's controls
        # and without (the key of each cached fragment, see portal/fragment_cache.py).
        "variant": "secretariat" if runs else "member",
        "person": person,
    }
    context |= SECTION_CONTEXT[section](request, meeting, runs=runs, person=person, shared=shared)
    return render(request, "council/meeting_detail.html", context)


def _preparing(request, meeting, *, runs, person, shared):
    people = shared.part("replies", lambda: selectors.meeting_replies(meeting))
    mine = people.reply_of(request.user)
    may_reply = mine is not None and not meeting.is_cancelled and not meeting.is_past
    context = {
        "my_reply": mine,
        # Lazy: read only when the shared agenda is not in the fragment cache.
        "items": SimpleLazyObject(
            lambda: selectors.meeting_agenda(meeting, include_all=runs, documents=True)
        ),
        "materials": SimpleLazyObject(lambda: list(meeting.materials.all())),
        "deadline_passed": meeting.papers_deadline is not None
        and meeting.papers_deadline < timezone.now(),
        "can_propose": can(request.user, "council.add_agendaitem")
        and not meeting.is_past
        and not meeting.is_cancelled,
        "can_upload": can(request.user, "council.add_document"),
        "can_add_material": may_add_material(request.user, meeting),
    }
    if may_reply:
        context["rsvp_form"] = RsvpForm(
            initial={"reply": mine.code, "deputy": mine.deputy_id}, deputies=people.deputies
        )
    if not runs and request.user.is_authenticated:
        context["my_proposals"] = people.proposals_of(request.user)
    return context


def _running(request, meeting, *, runs, person, shared):
    attendances = SimpleLazyObject(lambda: selectors.attendances_for(meeting))
    context = {
        "attendances": attendances,
        "present_count": SimpleLazyObject(
            lambda: sum(1 for a in attendances if a.status == Attendance.Status.PRESENT)
        ),
        "speaking": SimpleLazyObject(
            lambda: selectors.meeting_speaking(meeting, attendances=attendances)
        ),
    }
    if runs:
        context["attendance_form"] = SimpleLazyObject(
            lambda: AttendanceForm(attendances=attendances)
        )
    return context


def _closing(request, meeting, *, runs, person, shared):
    context = {
        "items": SimpleLazyObject(
            lambda: selectors.meeting_agenda(meeting, include_all=False, decisions=True)
        ),
        "action_items": SimpleLazyObject(lambda: selectors.meeting_action_items(meeting)),
        "status_choices": ActionItem.Status.choices,
    }
    if runs:
        context["action_form"] = SimpleLazyObject(lambda: ActionItemForm(meeting=meeting))
    elif request.user.is_authenticated:
        context["my_action_items"] = shared.part(
            "actions", lambda: selectors.meeting_action_items_by_owner(meeting)
        ).get(request.user.pk, [])
    return context


SECTION_CONTEXT = {"preparing": _preparing, "running": _running, "closing": _closing}


@permission_required("council.view_meeting")
def meeting_ics(request, pk):
    meeting = _meeting(pk)
    data = ical.meeting_ics(meeting, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


# --- Agenda --------------------------------------------------------------------------------


@permission_required("council.add_agendaitem")
def agenda_item_propose(request, pk):
    meeting = _meeting(pk)
    form = AgendaItemForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        document = form.cleaned_data.get("document")
        try:
            services.agenda_item_propose(
                meeting=meeting,
                title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
                proposed_by=request.user,
                documents=[document] if document else [],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Thank you. The secretariat will consider your proposal."))
            return redirect(meeting)
    return render(request, "council/agenda_item_form.html", {"form": form, "meeting": meeting})


@require_POST
@permission_required("council.change_agendaitem")
def agenda_item_action(request, pk):
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=pk)
    form = AgendaActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That cannot be done to an agenda item."))
        return redirect(item.meeting)
    action = form.cleaned_data["action"]
    if action == "decline":
        return redirect("council:agenda_item_decline", pk=item.pk)  # asks first
    try:
        if action == "accept":
            services.agenda_item_accept(agenda_item=item)
        else:
            services.agenda_item_move(agenda_item=item, offset=-1 if action == "up" else 1)
    except ValidationError as error:
        messages.error(request, _errors(error))
    return redirect(meeting_section_url(item.meeting_id, "#agenda"))


@permission_required("council.change_agendaitem")
def agenda_item_decline(request, pk):
    """GET asks first (with a reason, shown to everyone); POST declines."""
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=pk)
    form = DeclineForm(request.POST or None)
    back = meeting_section_url(item.meeting_id, "#agenda")
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_decline(agenda_item=item, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("The agenda item is declined."))
        return redirect(back)
    return render(
        request,
        "council/agenda_item_decline.html",
        {"form": form, "item": item, "meeting": item.meeting, "back": back},
    )


@require_POST
@permission_required(RUN_MEETINGS)
def agenda_publish(request, pk):
    meeting = _meeting(pk)
    try:
        services.agenda_publish(meeting=meeting)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(
            request,
            _("The agenda is published. The meeting has already been held: nobody was emailed.")
            if meeting.is_past
            else _("The agenda is published and everyone invited is told."),
        )
    return redirect(meeting_section_url(meeting.pk, "#agenda"))


@require_POST
@permission_required("council.add_document")
def document_add(request, pk):
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=pk)
    if (
        not can(request.user, "council.change_agendaitem")
        and item.proposed_by_id != request.user.pk
    ):
        raise PermissionDenied
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        services.document_attach(
            agenda_item=item, uploaded=form.cleaned_data["document"], uploaded_by=request.user
        )
        messages.success(request, _("The document is added."))
    else:
        messages.error(request, " ".join(form.errors.get("document", [])))
    return redirect(meeting_section_url(item.meeting_id, "#agenda"))


@require_GET
@permission_required("council.view_document")
def document_download(request, pk):
    document = get_object_or_404(Document, pk=pk)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.name,
        content_type=document.content_type or "application/octet-stream",
    )


# --- Attendance and the record -------------------------------------------------------------


@require_POST
@permission_required("council.view_meeting")
def meeting_rsvp(request, pk):
    meeting = _meeting(pk)
    person = selectors.person_for(request.user)
    form = RsvpForm(request.POST, deputies=services.meeting_deputies(meeting))
    if person is None:
        messages.error(request, _("Your account is not linked to a council member."))
    elif not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    else:
        try:
            services.attendance_reply(meeting=meeting, person=person, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("Your reply is saved."))
    return redirect(meeting_section_url(meeting.pk, "#rsvp"))


@require_POST
@permission_required("council.change_attendance")
def attendance_record(request, pk):
    meeting = _meeting(pk)
    form = AttendanceForm(request.POST, attendances=selectors.attendances_for(meeting))
    if form.is_valid():
        services.attendance_record(meeting=meeting, statuses=form.statuses())
        messages.success(request, _("Attendance is saved."))
    else:
        messages.error(request, _("Attendance could not be saved: choose a status for everyone."))
    return redirect(meeting_section_url(meeting.pk, "#attendance"))


@permission_required("council.add_minutesrevision")
def minutes_edit(request, pk):
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=pk)
    form = MinutesForm(
        request.POST or None, initial={"text": item.minutes, "version": item.version}
    )
    conflict = {}
    if request.method == "POST" and form.is_valid():
        back = meeting_section_url(item.meeting_id, "#decisions")
        try:
            services.minutes_save(
                agenda_item=item,
                text=form.cleaned_data["text"],
                written_by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersionError as error:
            theirs = {"text": error.current.minutes, "version": error.current.version}
            conflict = conflict_context(form, error, theirs)
        except ValidationError as error:
            if "unchanged" in _codes(error):
                messages.info(request, _("The minutes were already saved like this."))
                return redirect(back)
            _apply_errors(form, error)
        else:
            messages.success(request, _("The minutes are saved."))
            return redirect(back)
    revisions = item.minutes_revisions.select_related("written_by")
    return render(
        request,
        "council/minutes_form.html",
        {
            "form": form,
            "item": item,
            "meeting": item.meeting,
            "revisions": revisions,
            **conflict,
        },
        status=409 if conflict else 200,
    )


def _codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


@require_POST
@permission_required("council.add_decision")
def decision_add(request, pk):
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decision_record(agenda_item=item, text=form.cleaned_data["text"])
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("The decision is recorded."))
    else:
        messages.error(request, _("Write the decision before saving it."))
    return redirect(meeting_section_url(item.meeting_id, "#decisions"))


@require_POST
@permission_required("council.add_actionitem")
def action_item_add(request, pk):
    meeting = _meeting(pk)
    form = ActionItemForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            services.action_item_create(meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("The action item is added."))
    else:
        problems = [f"{form[name].label}: {' '.join(errs)}" for name, errs in form.errors.items()]
        messages.error(
            request,
            _("The action item was not added. %(problems)s") % {"problems": " ".join(problems)},
        )
    return redirect(meeting_section_url(meeting.pk, "#actions"))


@permission_required("council.view_actionitem")
def action_list(request):
    council = _council_or_404()
    person = selectors.person_for(request.user)
    everything = selectors.action_item_list(council)
    mine = selectors.action_items_for_person(person) if person else everything.none()
    today = timezone.localdate()
    return render(
        request,
        "council/action_list.html",
        {
            "mine": mine.order_by("due_date", "id"),
            "overdue": selectors.action_items_overdue(everything, today=today).order_by(
                "due_date", "id"
            ),
            "all_items": everything.order_by("-meeting__starts_at", "due_date", "id")
            if can(request.user, "council.change_actionitem")
            else None,
            "today": today,
            "person": person,
            "status_form": ActionStatusForm(),
        },
    )


def _may_set_status(user, item: ActionItem) -> bool:
    if can(user, "council.change_actionitem"):
        return True
    person = selectors.person_for(user)
    return person is not None and item.owner_id is not None and person.pk == item.owner_id


def _status_back(request, item: ActionItem) -> str:
    if request.POST.get("back") == "meeting":
        return meeting_section_url(item.meeting_id, "#actions")
    return reverse("council:action_list")


@require_POST
@permission_required("council.view_actionitem")
def action_item_status(request, pk):
    item = get_object_or_404(ActionItem.objects.select_related("owner", "meeting"), pk=pk)
    if not _may_set_status(request.user, item):
        raise PermissionDenied
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        try:
            services.action_item_status_set(
                action_item=item,
                status=form.cleaned_data["status"],
                expected_version=form.cleaned_data["version"],
                changed_by=request.user,
            )
        except StaleVersionError as error:
            # Side by side: what the other person saved and what this user chose; the form
            # below carries the stored version, so saving again is a deliberate choice.
            current = error.current
            return render(
                request,
                "council/action_status_conflict.html",
                {
                    "item": current,
                    "theirs": current.get_status_display(),
                    "yours": dict(ActionItem.Status.choices)[form.cleaned_data["status"]],
                    "yours_value": form.cleaned_data["status"],
                    "back": request.POST.get("back", ""),
                    "back_url": _status_back(request, item),
                    "message": stale_message(current),
                    "status_form": ActionStatusForm(),
                },
                status=409,
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("The status is saved."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect(_status_back(request, item))


# --- Corrections: decisions, action items, minutes -----------------------------------------


def _record_page(request, template, context, *, conflict=None):
    return render(
        request, template, {**context, **(conflict or {})}, status=409 if conflict else 200
    )


@permission_required("council.change_decision")
def decision_edit(request, pk):
    decision = get_object_or_404(Decision.objects.select_related("meeting", "agenda_item"), pk=pk)
    initial = DecisionEditForm.initial_for(decision)
    form = DecisionEditForm(request.POST or None, instance=decision, initial=initial)
    conflict = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.decision_update(
                decision=decision,
                text=data["text"],
                agenda_item=data["agenda_item"],
                reason=data.get("reason", ""),
                changed_by=request.user,
                expected_version=data["version"],
            )
        except StaleVersionError as error:
            conflict = conflict_context(form, error, DecisionEditForm.initial_for(error.current))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The decision is corrected."))
            return redirect(meeting_section_url(decision.meeting_id, "#decisions"))
    decision.refresh_from_db()
    return _record_page(
        request,
        "council/decision_form.html",
        {
            "form": form,
            "decision": decision,
            "meeting": decision.meeting,
            "history": selectors.record_changes_for(decision),
        },
        conflict=conflict,
    )


def _confirm_withdraw(request, *, record, meeting, kind_label, done, service, back, **kwargs):
    """GET: ask first. POST: withdraw (with the version the confirmation page showed)."""
    form = ReasonForm(request.POST or None, initial={"version": getattr(record, "version", None)})
    if request.method == "POST" and form.is_valid():
        try:
            service(
                changed_by=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                **kwargs,
            )
        except StaleVersionError:
            messages.error(
                request,
                _(
                    "Someone else changed it after you opened the page. Look again before you "
                    "withdraw it."
                ),
            )
            return redirect(request.path)
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, done)
        return redirect(back)
    return render(
        request,
        "council/withdraw_confirm.html",
        {"form": form, "record": record, "meeting": meeting, "what": kind_label, "back": back},
    )


@permission_required("council.change_decision")
def decision_withdraw(request, pk):
    decision = get_object_or_404(Decision.objects.select_related("meeting"), pk=pk)
    return _confirm_withdraw(
        request,
        record=decision,
        meeting=decision.meeting,
        kind_label=_("The decision"),
        done=_("The decision is withdrawn."),
        service=services.decision_withdraw,
        back=meeting_section_url(decision.meeting_id, "#decisions"),
        decision=decision,
    )


@permission_required("council.change_actionitem")
def action_item_edit(request, pk):
    item = get_object_or_404(
        ActionItem.objects.select_related("meeting", "owner", "agenda_item"), pk=pk
    )
    if item.is_withdrawn:
        messages.error(request, _("This action item is withdrawn."))
        return redirect(meeting_section_url(item.meeting_id, "#actions"))
    form = ActionItemEditForm(
        request.POST or None, instance=item, initial=ActionItemEditForm.initial_for(item)
    )
    conflict = {}
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.ACTION_ITEM_FIELDS}
        try:
            services.action_item_update(
                action_item=item,
                changed_by=request.user,
                expected_version=form.cleaned_data["version"],
                **data,
            )
        except StaleVersionError as error:
            conflict = conflict_context(form, error, ActionItemEditForm.initial_for(error.current))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The action item is saved."))
            return redirect(meeting_section_url(item.meeting_id, "#actions"))
    item.refresh_from_db()
    return _record_page(
        request,
        "council/action_item_form.html",
        {
            "form": form,
            "item": item,
            "meeting": item.meeting,
            "history": selectors.record_changes_for(item),
        },
        conflict=conflict,
    )


@permission_required("council.change_actionitem")
def action_item_withdraw(request, pk):
    item = get_object_or_404(ActionItem.objects.select_related("meeting"), pk=pk)
    return _confirm_withdraw(
        request,
        record=item,
        meeting=item.meeting,
        kind_label=_("The action item"),
        done=_("The action item is withdrawn."),
        service=services.action_item_withdraw,
        back=meeting_section_url(item.meeting_id, "#actions"),
        action_item=item,
    )


@permission_required("council.add_minutesrevision")
def minutes_withdraw(request, pk):
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=pk)

    def withdraw(*, changed_by, reason, expected_version):
        services.minutes_withdraw(
            agenda_item=item, written_by=changed_by, expected_version=expected_version
        )

    return _confirm_withdraw(
        request,
        record=item,
        meeting=item.meeting,
        kind_label=_("The minutes"),
        done=_("The minutes are withdrawn."),
        service=withdraw,
        back=reverse("council:minutes_edit", args=[item.pk]),
    )


# --- Minutes as one document and their approval (justering) -----------------------------


def _minutes_access(request, meeting) -> dict:
    """Who may see what of a meeting's minutes: the secretariat and the meeting's
    minute-taker and adjusters see them while they are drafted; members once approved."""
    runs = can(request.user, RUN_MEETINGS)
    person = selectors.person_for(request.user)
    adjusters = list(meeting.adjusters.all())
    is_adjuster = person is not None and person in adjusters
    involved = runs or is_adjuster or (person is not None and meeting.minute_taker_id == person.pk)
    return {"runs": runs, "person": person, "is_adjuster": is_adjuster, "involved": involved}


@permission_required("council.view_meeting")
def minutes(request, pk):
    meeting = _meeting(pk)
    access = _minutes_access(request, meeting)
    document = selectors.minutes_document(meeting, working_copy=access["involved"])
    context = {**document, **access, "can_see": access["involved"] or document["approved"]}
    latest = document["latest"]
    if access["runs"]:
        context["roles_form"] = MinutesRolesForm(
            meeting=meeting,
            initial={
                "minute_taker": meeting.minute_taker_id,
                "adjusters": [p.pk for p in meeting.adjusters.all()],
            },
        )
    if access["is_adjuster"] and latest and latest.state == "circulating":
        mine = next(
            (a for a in latest.approvals.all() if a.adjuster_id == access["person"].pk), None
        )
        context["my_approval"] = mine
        context["answer_form"] = MinutesAnswerForm()
    return render(request, "council/minutes.html", context)


def _minutes_back(meeting) -> str:
    return reverse("council:minutes", args=[meeting.pk])


@require_POST
@permission_required(RUN_MEETINGS)
def minutes_roles(request, pk):
    meeting = _meeting(pk)
    form = MinutesRolesForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            services.meeting_minutes_roles_set(meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("The minute-taker and adjusters are saved."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(_minutes_back(meeting))


@require_POST
@permission_required(RUN_MEETINGS)
def minutes_circulate(request, pk):
    meeting = _meeting(pk)
    try:
        services.minutes_circulate(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("The minutes are sent to the adjusters for approval."))
    return redirect(_minutes_back(meeting))


@require_POST
@permission_required("council.view_meeting")
def minutes_answer(request, pk):
    meeting = _meeting(pk)
    access = _minutes_access(request, meeting)
    if not access["is_adjuster"]:
        raise PermissionDenied
    latest = services.minutes_latest(meeting)
    form = MinutesAnswerForm(request.POST)
    if latest is None:
        messages.error(request, _("These minutes are not awaiting approval."))
    elif form.is_valid():
        approve = form.cleaned_data["answer"] == "approve"
        try:
            services.minutes_answer(
                record=latest,
                adjuster=access["person"],
                approve=approve,
                comment=form.cleaned_data["comment"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(
                request,
                _("Thank you: your approval is recorded.")
                if approve
                else _("Thank you: your comment is sent to the secretariat."),
            )
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(_minutes_back(meeting))


@permission_required(RUN_MEETINGS)
def minutes_correct(request, pk):
    """GET asks first (with the reason); POST opens approved minutes for a correction."""
    meeting = _meeting(pk)
    form = MinutesCorrectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_correct(
                meeting=meeting, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("The minutes are open for a correction. Send them for approval again when done."),
            )
            return redirect(_minutes_back(meeting))
    return render(request, "council/minutes_correct.html", {"form": form, "meeting": meeting})


@require_POST
@permission_required("council.view_meeting")
def minutes_pdf(request, pk):
    from reports.services import report_job_request

    meeting = _meeting(pk)
    access = _minutes_access(request, meeting)
    latest = services.minutes_latest(meeting)
    if not access["involved"] and not meeting.minutes_records.filter(state="approved").exists():
        raise PermissionDenied
    if latest is None:
        messages.error(request, _("There are no minutes to print yet."))
        return redirect(_minutes_back(meeting))
    try:
        job = report_job_request(
            kind="council_minutes", subject_id=str(meeting.pk), requested_by=request.user
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect(_minutes_back(meeting))
    return redirect("reports:detail", pk=job.pk)


@public_page
def minutes_public(request, pk):
    """Approved minutes, for everyone, where the council has chosen to publish them."""
    meeting = Meeting.objects.select_related("council").filter(pk=pk).first()
    if (
        meeting is None
        or not meeting.council.minutes_public
        or not meeting.minutes_records.filter(state="approved").exists()
    ):
        raise Http404(_("These minutes are not published."))
    document = selectors.minutes_document(meeting)
    return render(request, "council/minutes_public.html", {**document, "public": True})


@permission_required("council.change_council")
def minutes_settings(request):
    council = _council_or_404()
    form = MinutesSettingsForm(request.POST or None, instance=council)
    if request.method == "POST" and form.is_valid():
        services.council_minutes_settings_set(
            council=council,
            decision_numbering=form.cleaned_data["decision_numbering"],
            minutes_public=form.cleaned_data["minutes_public"],
        )
        messages.success(request, _("The settings are saved."))
        return redirect("council:home")
    council.refresh_from_db()
    return render(request, "council/minutes_settings.html", {"form": form, "council": council})


# --- Speaking time -------------------------------------------------------------------------


def _speaking_panel(request, meeting, *, status=200):
    return render(
        request,
        "council/_speaking_panel.html",
        {"meeting": meeting, **selectors.speaking_state(meeting)},
        status=status,
    )


@permission_required("council.add_speakingturn")
def speaking(request, pk):
    meeting = _meeting(pk)
    return render(
        request,
        "council/speaking.html",
        {"meeting": meeting, **selectors.speaking_state(meeting)},
    )


@require_POST
@permission_required("council.add_speakingturn")
def speaking_start(request, pk):
    meeting = _meeting(pk)
    form = SpeakerForm(request.POST)
    error = None
    if not form.is_valid():
        error = _("Choose who is speaking.")
    else:
        person = Person.objects.filter(pk=form.cleaned_data["person"]).first()
        try:
            if person is None:
                raise ValidationError(
                    _("Only people invited to the meeting can be given the floor.")
                )
            services.speaking_turn_start(meeting=meeting, person=person)
        except ValidationError as exc:
            error = _errors(exc)
    if request.htmx:
        response = _speaking_panel(request, meeting, status=200)
        if error:
            response = render(
                request,
                "council/_speaking_panel.html",
                {"meeting": meeting, "error": error, **selectors.speaking_state(meeting)},
            )
        return response
    if error:
        messages.error(request, error)
    return redirect("council:speaking", pk=meeting.pk)


@require_POST
@permission_required("council.add_speakingturn")
def speaking_stop(request, pk):
    meeting = _meeting(pk)
    services.speaking_turn_stop(meeting=meeting)
    if request.htmx:
        return _speaking_panel(request, meeting)
    return redirect("council:speaking", pk=meeting.pk)


@permission_required("council.view_speakingturn")
def speaking_time(request):
    council = _council_or_404()
    form = YearForm(request.GET or None)
    year = (
        form.cleaned_data["year"]
        if form.is_bound and form.is_valid()
        else timezone.localdate().year
    )
    meetings = list(council.meetings.filter(starts_at__year=year, cancelled_at=None))
    return render(
        request,
        "council/speaking_time.html",
        {
            "council": council,
            "form": form,
            "year": year,
            "meetings": meetings,
            "stats": selectors.speaking_time(
                meetings, period=selectors.year_so_far(year), council=council
            ),
        },
    )


# --- Calendar ------------------------------------------------------------------------------


@permission_required("council.view_meeting")
def calendar(request):
    feed = getattr(request.user, "council_calendar_feed", None)
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_feed_revoke(user=request.user)
            messages.success(request, _("The calendar address no longer works."))
        else:
            services.calendar_feed_renew(user=request.user)
            messages.success(request, _("Your calendar address is ready. Keep it to yourself."))
        return redirect("council:calendar")
    url = (
        request.build_absolute_uri(reverse("council:calendar_feed", args=[feed.token]))
        if feed
        else ""
    )
    return render(request, "council/calendar.html", {"feed": feed, "feed_url": url})


@require_GET
def calendar_feed(request, token):
    """A personal feed: the secret token is the credential, so an unknown one gets 403."""
    user = selectors.calendar_feed_user(token)
    if user is None:
        raise PermissionDenied
    data = personal_feed(
        user, name=_("Council meetings and workshops"), base_url=request.build_absolute_uri("/")
    )
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


# --- Report --------------------------------------------------------------------------------


@require_POST
@permission_required(REPORT)
def report_request(request):
    from reports.services import report_job_request

    council = _council_or_404()
    form = YearForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a year for the report."))
        return redirect("council:home")
    year = form.cleaned_data["year"]
    if date(year, 1, 1) > timezone.localdate():
        messages.error(request, _("A year that has not begun has nothing to report."))
        return redirect("council:home")
    try:
        job = report_job_request(
            kind="council_year", subject_id=f"{council.pk}:{year}", requested_by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("council:home")
    messages.success(request, _("Your report is being produced. This page shows its progress."))
    return redirect("reports:detail", pk=job.pk)
