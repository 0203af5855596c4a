"""Agreement pages: public overview and page per agreement; the process leaders' workspace.

Thin function-based views: check permission (the helper on every view, then the object-level
rule through selectors.agreement_list_editable_by), validate with a form, call one service,
redirect or render. Only the agreement's own process leaders and the secretariat can change it.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.confirm import confirm_page, confirmed
from accounts.permissions import can, permission_required
from agreements import charts, selectors, services
from agreements.enums import (
    GAP_THRESHOLD,
    PHASE_ORDER,
    TYPICAL_DAYS,
    ActionStatus,
    ChecklistState,
    Phase,
)
from agreements.forms import (
    ActionForm,
    ActionStatusForm,
    AgreementCreateForm,
    AgreementDetailsForm,
    AnchoringForm,
    AssessmentForm,
    ChecklistAnswerForm,
    LocalQuestionForm,
    LogEntryForm,
    PhaseForm,
    PhasePlanForm,
    RespondentInviteForm,
    RoundAnswerForm,
    RoundDatesForm,
    RoundOpenForm,
    RoundStatusForm,
    RoundWithdrawForm,
)
from agreements.models import (
    ActionPlanItem,
    Agreement,
    AssessmentRound,
    ChecklistAnswer,
    Respondent,
)
from portal import fragment_cache
from portal.concurrency import conflict_context
from portal.page_cache import public_page
from portal.ratelimit import per_object, rate_limit
from reports.services import report_job_request

VIEW = selectors.VIEW
CHANGE = selectors.CHANGE
ADD = "agreements.add_agreement"
ADD_QUESTION = "agreements.add_checklistitem"
REPORT = "reports.add_reportjob"


def _apply_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError next to the fields it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _editable(request, pk) -> Agreement:
    """The agreement, if this user may change it; 403 for anyone else (404 if none)."""
    if not Agreement.objects.filter(pk=pk).exists():
        raise Http404
    try:
        return selectors.agreement_list_editable_by(request.user).get(pk=pk)
    except Agreement.DoesNotExist as exc:
        raise PermissionDenied from exc


def _public_context(
    agreement: Agreement,
    audience: str = selectors.PUBLIC,
    *,
    principle_list=None,
    rounds=None,
    timeline: bool = True,
) -> dict:
    """The health figures are computed when the template first reads them: where the health
    section comes from the fragment cache (`{% cache_fragment "agreement-health" ... %}`), the
    rounds are not read at all."""
    if principle_list is None:
        principle_list = selectors.principles()
    health = SimpleLazyObject(
        lambda: selectors.principle_health(
            agreement, principle_list, audience=audience, rounds=rounds
        )
    )
    return {
        "agreement": agreement,
        "timeline": selectors.phase_timeline(agreement) if timeline else None,
        "health": health,
        "sides_chart": SimpleLazyObject(lambda: charts.sides_chart(health)),
        "trend_chart": SimpleLazyObject(lambda: charts.trend_chart(health)),
        "gap_threshold": GAP_THRESHOLD,
        "phases": PHASE_ORDER,
    }


# --- Public --------------------------------------------------------------------------------


@public_page
def agreement_list(request):
    principle_list = selectors.principles(recommendations=False)
    agreements = list(selectors.agreement_list_overview())
    rounds = selectors.completed_rounds_prepared_for([a.pk for a in agreements])
    rows = [
        {
            "agreement": a,
            "health": selectors.principle_health(a, principle_list, rounds=rounds[a.pk]),
        }
        for a in agreements
    ]
    return render(request, "agreements/list.html", {"rows": rows, "principles": principle_list})


@public_page
def agreement_detail(request, pk):
    try:
        agreement = selectors.agreement_for_public_page(pk)
    except Agreement.DoesNotExist as exc:
        raise Http404 from exc
    # Read only if the health or participation section is not in the fragment cache.
    rounds = SimpleLazyObject(lambda: selectors.completed_rounds_prepared(agreement))
    context = _public_context(
        agreement, principle_list=selectors.principles(recommendations=False), rounds=rounds
    )
    context["can_edit"] = selectors.agreement_can_edit(request.user, agreement)
    context["progress"] = selectors.action_progress(agreement)
    context["today"] = timezone.localdate()
    context["participation"] = SimpleLazyObject(
        lambda: selectors.latest_participation(agreement, rounds=rounds)
    )
    return render(request, "agreements/detail.html", context)


@public_page
def principle_list(request):
    return render(
        request,
        "agreements/principles.html",
        {
            "principles": selectors.principles(),
            "typical_days": TYPICAL_DAYS,
            "phases": Phase.choices,
        },
    )


# --- Process leaders' workspace ------------------------------------------------------------


@permission_required(VIEW)
def dashboard(request):
    now = timezone.now()
    agreements = list(selectors.agreement_list_for_dashboard(request.user))
    for agreement in agreements:
        agreement.days_in_phase = selectors.days_in_phase(agreement, now=now)
        agreement.open_questions = agreement.questions_in_phase - agreement.answered_in_phase
        agreement.typical_days = TYPICAL_DAYS[agreement.phase]
    return render(
        request,
        "agreements/dashboard.html",
        {
            "agreements": agreements,
            "today": timezone.localdate(),
            "can_add": can(request.user, ADD),
        },
    )


@permission_required(VIEW)
def comparison(request):
    principle_list = selectors.principles()
    rows = []
    now = timezone.now()
    for agreement in selectors.agreement_list_for_comparison():
        rows.append(
            {
                "agreement": agreement,
                "health": selectors.principle_health(agreement, principle_list),
                "days_in_phase": selectors.days_in_phase(agreement, now=now),
                "open_questions": agreement.questions_in_phase - agreement.answered_in_phase,
            }
        )
    heatmap = [
        {
            "principle": principle,
            "cells": [
                (str(row["agreement"].place or row["agreement"].title), row["health"].principles[i])
                for row in rows
            ],
        }
        for i, principle in enumerate(principle_list)
    ]
    return render(
        request,
        "agreements/compare.html",
        {
            "rows": rows,
            "heatmap": heatmap,
            "principles": principle_list,
            "gap_threshold": GAP_THRESHOLD,
        },
    )


@permission_required(ADD)
def agreement_create(request):
    form = AgreementCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agreement = services.agreement_create(
                title=data["title"],
                level=data["level"],
                municipality=data["municipality"],
                region=data["region"],
                public_party=data["public_party"],
                civil_parties=data["civil_parties"],
                process_leaders=data["process_leaders"],
                summary=data["summary"],
                internal_notes=data["internal_notes"],
                started_on=data["started_on"],
                phase=data["phase"],
                collaboration_forms=data["collaboration_forms"],
                next_assessment_on=data["next_assessment_on"],
                created_by=request.user,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The agreement has been created."))
            return redirect("agreements:manage", pk=agreement.pk)
    return render(request, "agreements/form.html", {"form": form, "agreement": None})


def _details_initial(agreement: Agreement) -> dict:
    return {
        "version": agreement.version,
        "title": agreement.title,
        "civil_parties": list(agreement.civil_parties.all()),
        "process_leaders": list(agreement.process_leaders.all()),
        "started_on": agreement.started_on,
        "signed_on": agreement.signed_on,
        "collaboration_forms": agreement.collaboration_forms,
        "next_assessment_on": agreement.next_assessment_on,
        "summary": agreement.summary,
        "internal_notes": agreement.internal_notes,
    }


@permission_required(CHANGE)
def agreement_edit(request, pk):
    agreement = _editable(request, pk)
    form = AgreementDetailsForm(request.POST or None, initial=_details_initial(agreement))
    conflict = {}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        civil_parties = data.pop("civil_parties")
        process_leaders = data.pop("process_leaders")
        try:
            services.agreement_update(
                agreement=agreement,
                expected_version=version,
                updated_by=request.user,
                civil_parties=civil_parties,
                process_leaders=process_leaders,
                **data,
            )
        except services.StaleVersionError as error:
            conflict = conflict_context(form, error, _details_initial(error.current))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The agreement has been saved."))
            return redirect("agreements:manage", pk=agreement.pk)
    return render(
        request,
        "agreements/form.html",
        {"form": form, "agreement": agreement, **conflict},
        status=409 if conflict else 200,
    )


@permission_required(CHANGE)
def agreement_manage(request, pk):
    """The workspace below the navigation is the same for everyone who may change the
    agreement (the report button aside): a shared fragment under the content version, so
    it is loaded and rendered only on the first request after a write (or a new day)."""
    try:
        agreement = selectors.agreement_for_manage(request.user, pk)
    except Agreement.DoesNotExist as exc:
        _editable(request, pk)  # 404 if there is none, 403 if it is someone else's
        raise Http404 from exc
    today = timezone.localdate()
    can_report = can(request.user, REPORT)
    workspace = fragment_cache.fragment(
        request,
        "agreement-manage",
        [agreement.pk, today.isoformat(), can_report],
        lambda: render_to_string(
            "agreements/includes/manage_workspace.html",
            _manage_context(agreement, today=today, can_report=can_report),
            request,
        ),
    )
    return render(
        request, "agreements/manage.html", {"agreement": agreement, "workspace": workspace}
    )


def _manage_context(agreement: Agreement, *, today, can_report: bool) -> dict:
    selectors.agreement_manage_load(agreement)
    principle_list = selectors.principles(recommendations=False)
    context = _public_context(
        agreement,
        selectors.LEADER,
        principle_list=principle_list,
        rounds=SimpleLazyObject(lambda: selectors.completed_rounds_prepared(agreement)),
        timeline=False,
    )
    checklist = selectors.checklist_counts(agreement)
    context["timeline"] = selectors.phase_timeline(agreement, checklist=checklist)
    current = next(group for group in checklist if group.phase == agreement.phase)
    context.update(
        {
            "checklist": checklist,
            "current_checklist": current,
            "plan_form": PhasePlanForm(initial=_plan_initial(agreement)),
            "action_form": ActionForm(principles=principle_list),
            "log_form": LogEntryForm(initial={"occurred_on": today}),
            "anchoring_form": AnchoringForm(initial={"anchored_on": today}),
            "today": today,
            "action_statuses": ActionStatus.choices,
            "can_report": can_report,
            "is_last_phase": agreement.phase == PHASE_ORDER[-1],
            "is_first_phase": agreement.phase == PHASE_ORDER[0],
            "next_phase": (
                Phase(PHASE_ORDER[agreement.phase_index + 1]).label
                if agreement.phase != PHASE_ORDER[-1]
                else None
            ),
            "previous_phase": (
                Phase(PHASE_ORDER[agreement.phase_index - 1]).label
                if agreement.phase != PHASE_ORDER[0]
                else None
            ),
        }
    )
    return context


def _plan_initial(agreement: Agreement) -> dict:
    initial = {"version": agreement.version}
    for phase in PHASE_ORDER:
        initial[f"plan_{phase}"] = agreement.planned_on(phase)
    return initial


@require_POST
@permission_required(CHANGE)
def agreement_plan(request, pk):
    agreement = _editable(request, pk)
    form = PhasePlanForm(request.POST)
    if form.is_valid():
        try:
            services.agreement_phase_plan_set(
                agreement=agreement,
                expected_version=form.cleaned_data["version"],
                plan=form.plan(),
                updated_by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The planned dates have been saved."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect(f"{_manage_url(pk)}#plan")


@require_POST
@permission_required(CHANGE)
def agreement_phase(request, pk):
    agreement = _editable(request, pk)
    form = PhaseForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("agreements:manage", pk=pk)
    data = form.cleaned_data
    try:
        if data["direction"] == "advance":
            change = services.agreement_phase_advance(
                agreement=agreement,
                expected_version=data["version"],
                advanced_by=request.user,
                note=data["note"],
                effective_on=data["effective_on"],
            )
        else:
            change = services.agreement_phase_revert(
                agreement=agreement,
                expected_version=data["version"],
                reverted_by=request.user,
                note=data["note"],
                effective_on=data["effective_on"],
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("agreements:manage", pk=pk)
    text = _("The agreement is now in the phase “%(phase)s”.") % {
        "phase": change.get_to_phase_display()
    }
    messages.success(request, text)
    if change.open_questions and not change.is_revert:
        messages.warning(
            request,
            _("%(count)s questions of the previous phase were not answered; this is recorded.")
            % {"count": change.open_questions},
        )
    return redirect("agreements:manage", pk=pk)


def _answer_initial(answer) -> dict:
    return {
        "version": answer.version if answer else 0,
        "state": answer.state if answer else ChecklistState.OPEN,
        "note": answer.note if answer else "",
        "evidence": answer.evidence if answer else "",
    }


def _checklist_page(request, agreement, groups, *, status=200, shared=False):
    """Questions without a form of their own (all but a posted one) are written out with
    their answers' values by the `checklist_row` template tag, with these labels.

    The questions with their answers are the same for everyone who may change the agreement
    (whether they may add a local question aside): with `shared` (the GET) they are a shared
    fragment under the content version, and `groups` is read only when the fragment is
    rendered, on the first request after a write. A page with a posted form is never shared."""
    can_add_question = can(request.user, ADD_QUESTION)
    return render(
        request,
        "agreements/checklist.html",
        {
            "agreement": agreement,
            "checklist": groups,
            "shared_as": "agreement-checklist" if shared else "",
            "answer_fields": ChecklistAnswerForm.field_texts(),
            "question_form": SimpleLazyObject(
                lambda: LocalQuestionForm(initial={"phase": agreement.phase})
            ),
            "can_add_question": can_add_question,
        },
        status=status,
    )


@permission_required(CHANGE)
def checklist(request, pk):
    try:
        agreement = selectors.agreement_for_manage(request.user, pk)
    except Agreement.DoesNotExist as exc:
        _editable(request, pk)  # 404 if there is none, 403 if it is someone else's
        raise Http404 from exc
    groups = SimpleLazyObject(lambda: selectors.checklist_for(agreement))
    return _checklist_page(request, agreement, groups, shared=True)


@require_POST
@permission_required(CHANGE)
def checklist_answer(request, pk, item_pk):
    agreement = _editable(request, pk)
    item = get_object_or_404(services.checklist_items_for(agreement), pk=item_pk)
    form = ChecklistAnswerForm(request.POST, request.FILES, prefix=f"q{item.pk}")
    status, conflict, saved = 400, {}, False
    if form.is_valid():
        try:
            answer = services.checklist_answer_update(
                agreement=agreement,
                item=item,
                state=form.cleaned_data["state"],
                note=form.cleaned_data["note"],
                evidence=form.cleaned_data["evidence"],
                evidence_file=form.cleaned_data["evidence_file"],
                remove_file=form.cleaned_data["remove_file"],
                expected_version=form.cleaned_data["version"],
                updated_by=request.user,
            )
        except services.StaleVersionError as error:
            status = 409
            conflict = conflict_context(form, error, _answer_initial(error.current))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if not request.htmx:
                messages.success(request, _("Answer saved: %(question)s") % {"question": item.text})
                return redirect(f"{_checklist_url(pk)}#q{item.pk}")
            # htmx: only this question is replaced, so what is typed elsewhere stays.
            status, saved = 200, True
            form = ChecklistAnswerForm(prefix=f"q{item.pk}", initial=_answer_initial(answer))
    if request.htmx:
        row = selectors.ChecklistRow(
            item=item,
            answer=selectors.checklist_answer_for(agreement=agreement, item=item),
        )
        row.form = form
        row.conflict = conflict.get("conflict")
        # htmx swaps 2xx answers only: the row itself says whether it was saved.
        return render(
            request,
            "agreements/includes/checklist_row.html",
            {"agreement": agreement, "row": row, "saved": saved},
        )
    groups = selectors.checklist_for(agreement)
    for group in groups:
        for row in group.rows:
            if row.item.pk == item.pk:
                row.form = form
                row.conflict = conflict.get("conflict")
    return _checklist_page(request, agreement, groups, status=status)


@permission_required(CHANGE)
def checklist_evidence(request, pk, item_pk):
    """An answer's evidence document, for the agreement's process leaders and the secretariat."""
    agreement = _editable(request, pk)
    answer = get_object_or_404(ChecklistAnswer, agreement=agreement, item_id=item_pk)
    if not answer.evidence_file:
        raise Http404
    try:
        handle = answer.evidence_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=answer.evidence_name or "evidence",
        content_type=answer.evidence_content_type or "application/octet-stream",
    )


def _checklist_url(pk) -> str:
    return reverse("agreements:checklist", args=[pk])


@require_POST
@permission_required(ADD_QUESTION)
def checklist_question_add(request, pk):
    agreement = _editable(request, pk)
    form = LocalQuestionForm(request.POST)
    if form.is_valid():
        try:
            services.checklist_item_add(agreement=agreement, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The local question has been added."))
    else:
        messages.error(request, _("Write the question in Swedish and choose its phase."))
    return redirect("agreements:checklist", pk=pk)


@permission_required(CHANGE)
def assessment_record(request, pk):
    agreement = _editable(request, pk)
    form = AssessmentForm(request.POST or None, initial={"side": request.GET.get("side", "")})
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_round_record(
                agreement=agreement,
                held_on=form.cleaned_data["held_on"],
                side=form.cleaned_data["side"],
                scores=form.scores(),
                recorded_by=request.user,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The ratings have been recorded."))
            return redirect("agreements:manage", pk=pk)
    return render(
        request,
        "agreements/assessment_form.html",
        {"agreement": agreement, "form": form, "principles": selectors.principles()},
    )


@require_POST
@permission_required(CHANGE)
def action_add(request, pk):
    agreement = _editable(request, pk)
    form = ActionForm(request.POST)
    if form.is_valid():
        services.action_create(agreement=agreement, **form.cleaned_data)
        messages.success(request, _("The action has been added to the plan."))
    else:
        messages.error(request, _("The action needs a description and an owner."))
    return redirect(f"{_manage_url(pk)}#actions")


@require_POST
@permission_required(CHANGE)
def action_status(request, pk, action_pk):
    agreement = _editable(request, pk)
    action = get_object_or_404(ActionPlanItem, pk=action_pk, agreement=agreement)
    form = ActionStatusForm(request.POST)
    if (
        form.is_valid()
        and form.cleaned_data["status"] == ActionStatus.CANCELLED
        and action.status != ActionStatus.CANCELLED
        and not confirmed(request)
    ):
        return confirm_page(
            request,
            title=_("Cancel an action"),
            question=_("Do you want to cancel the action “%(title)s”?") % {"title": action.title},
            details=[_("It stays in the action plan, marked as cancelled, and counts as closed.")],
            button=_("Yes, cancel the action"),
            back_url=f"{_manage_url(pk)}#actions",
            hidden=[
                ("status", ActionStatus.CANCELLED),
                ("version", request.POST.get("version", "")),
            ],
        )
    if form.is_valid():
        try:
            services.action_status_set(
                action=action,
                status=form.cleaned_data["status"],
                expected_version=form.cleaned_data["version"],
            )
        except services.StaleVersionError:
            action.refresh_from_db()
            messages.error(
                request,
                _(
                    "Someone else changed the status of “%(title)s” to “%(status)s” after you "
                    "opened the page. Choose again if it should be different."
                )
                % {"title": action.title, "status": action.get_status_display()},
            )
        else:
            messages.success(request, _("The action's status has been saved."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect(f"{_manage_url(pk)}#actions")


@require_POST
@permission_required(CHANGE)
def log_add(request, pk):
    agreement = _editable(request, pk)
    form = LogEntryForm(request.POST)
    if form.is_valid():
        services.log_entry_add(agreement=agreement, created_by=request.user, **form.cleaned_data)
        messages.success(request, _("The entry has been added to the documentation log."))
    else:
        messages.error(request, _("The entry needs a kind, a date and a title."))
    return redirect(f"{_manage_url(pk)}#log")


@require_POST
@permission_required(CHANGE)
def anchoring_add(request, pk):
    agreement = _editable(request, pk)
    form = AnchoringForm(request.POST)
    if form.is_valid():
        services.anchoring_record(agreement=agreement, **form.cleaned_data)
        messages.success(request, _("The anchoring has been recorded."))
    else:
        messages.error(request, _("The anchoring needs a level and a date."))
        for error in form.errors.get("anchored_on", []):
            if error != form.fields["anchored_on"].error_messages["required"]:
                messages.error(request, error)
    return redirect(f"{_manage_url(pk)}#anchoring")


@require_POST
@permission_required(REPORT)
def report_request(request, pk):
    agreement = _editable(request, pk)
    try:
        job = report_job_request(
            kind="agreement_follow_up", subject_id=str(agreement.pk), requested_by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_manage_url(pk))
    messages.success(request, _("Your report is being produced. This page shows its progress."))
    return redirect("reports:detail", pk=job.pk)


def _manage_url(pk) -> str:
    return reverse("agreements:manage", args=[pk])


# --- Rounds answered by the parties --------------------------------------------------------


def _round(agreement: Agreement, round_pk) -> AssessmentRound:
    try:
        return selectors.round_for_page(agreement, round_pk)
    except AssessmentRound.DoesNotExist as exc:
        raise Http404 from exc


def _round_url(pk, round_pk) -> str:
    return reverse("agreements:round", args=[pk, round_pk])


@permission_required(CHANGE)
def round_list(request, pk):
    agreement = _editable(request, pk)
    rounds = list(selectors.rounds_for_leader(agreement))
    return render(
        request,
        "agreements/rounds.html",
        {
            "agreement": agreement,
            "rounds": rounds,
            "has_open": any(r.is_open for r in rounds),
        },
    )


@permission_required(CHANGE)
def round_open(request, pk):
    agreement = _editable(request, pk)
    form = RoundOpenForm(request.POST or None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.round_open(
                agreement=agreement,
                held_on=form.cleaned_data["held_on"],
                closes_on=form.cleaned_data["closes_on"],
                principles=form.cleaned_data["principles"],
                parties=form.cleaned_data["parties"],
                asks_participation=form.cleaned_data["asks_participation"],
                opened_by=request.user,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The round is open. Invite the respondents of each side."))
            return redirect(_round_url(pk, round_.pk))
    return render(
        request,
        "agreements/round_form.html",
        {"agreement": agreement, "form": form},
        status=400 if form.errors else 200,
    )


def _round_page(request, agreement, round_, *, invite_form=None, dates_form=None, status=200):
    result = selectors.round_result(round_, selectors.principles(), audience=selectors.LEADER)
    return render(
        request,
        "agreements/round.html",
        {
            "agreement": agreement,
            "round": round_,
            "result": result,
            "respondents": list(round_.respondents.all()),
            "invite_form": invite_form or RespondentInviteForm(round_=round_),
            "dates_form": dates_form
            or RoundDatesForm(
                initial={
                    "version": round_.version,
                    "held_on": round_.held_on,
                    "closes_on": round_.closes_on,
                }
            ),
            "principles_asked": services.round_principles(round_),
            "participation": selectors.participation_result(round_, audience=selectors.LEADER),
        },
        status=status,
    )


@permission_required(CHANGE)
def round_detail(request, pk, round_pk):
    agreement = _editable(request, pk)
    return _round_page(request, agreement, _round(agreement, round_pk))


@require_POST
@permission_required(CHANGE)
def round_dates(request, pk, round_pk):
    agreement = _editable(request, pk)
    round_ = _round(agreement, round_pk)
    form = RoundDatesForm(request.POST)
    conflict = {}
    if form.is_valid():
        try:
            services.round_dates_update(
                round_=round_,
                expected_version=form.cleaned_data["version"],
                held_on=form.cleaned_data["held_on"],
                closes_on=form.cleaned_data["closes_on"],
            )
        except services.StaleVersionError as error:
            conflict = conflict_context(
                form,
                error,
                {
                    "version": error.current.version,
                    "held_on": error.current.held_on,
                    "closes_on": error.current.closes_on,
                },
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The round's dates have been saved."))
            return redirect(_round_url(pk, round_.pk))
    page = _round_page(request, agreement, round_, dates_form=form, status=409 if conflict else 400)
    return page


@require_POST
@permission_required(CHANGE)
def round_status(request, pk, round_pk):
    agreement = _editable(request, pk)
    round_ = _round(agreement, round_pk)
    form = RoundStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether the round is open or closed."))
        return redirect(_round_url(pk, round_.pk))
    try:
        round_ = services.round_status_set(
            round_=round_,
            status=form.cleaned_data["status"],
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if round_.is_open:
            messages.success(request, _("The round is open again."))
        else:
            messages.success(request, _("The round is closed; its result is now shown."))
    return redirect(_round_url(pk, round_.pk))


@permission_required(CHANGE)
def round_withdraw(request, pk, round_pk):
    """Confirmation first (GET), then the withdrawal (POST)."""
    agreement = _editable(request, pk)
    round_ = _round(agreement, round_pk)
    form = RoundWithdrawForm(request.POST or None, initial={"version": round_.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.round_withdraw(
                round_=round_,
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(_round_url(pk, round_.pk))
        messages.success(
            request, _("The round has been withdrawn. It stays in the history, marked as such.")
        )
        return redirect("agreements:rounds", pk=pk)
    return render(
        request,
        "agreements/round_withdraw.html",
        {"agreement": agreement, "round": round_, "form": form},
    )


@require_POST
@permission_required(CHANGE)
def respondent_invite(request, pk, round_pk):
    agreement = _editable(request, pk)
    round_ = _round(agreement, round_pk)
    form = RespondentInviteForm(request.POST, round_=round_)
    if form.is_valid():
        try:
            respondent, _token = services.respondent_invite(
                round_=round_,
                invited_by=request.user,
                base_url=request.build_absolute_uri("/"),
                **form.cleaned_data,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s has been sent a personal link to the round.")
                % {"name": respondent.name},
            )
            return redirect(f"{_round_url(pk, round_.pk)}#respondents")
    return _round_page(request, agreement, round_, invite_form=form, status=400)


def _respondent(round_, respondent_pk) -> Respondent:
    return get_object_or_404(Respondent, pk=respondent_pk, round=round_)


@require_POST
@permission_required(CHANGE)
def respondent_renew(request, pk, round_pk, respondent_pk):
    agreement = _editable(request, pk)
    round_ = _round(agreement, round_pk)
    respondent = _respondent(round_, respondent_pk)
    try:
        services.respondent_renew(respondent=respondent, base_url=request.build_absolute_uri("/"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("A new link has been sent to %(name)s; the old one no longer works.")
            % {"name": respondent.name},
        )
    return redirect(f"{_round_url(pk, round_.pk)}#respondents")


@require_POST
@permission_required(CHANGE)
def respondent_revoke(request, pk, round_pk, respondent_pk):
    agreement = _editable(request, pk)
    round_ = _round(agreement, round_pk)
    respondent = _respondent(round_, respondent_pk)
    services.respondent_revoke(respondent=respondent)
    messages.success(
        request, _("The link of %(name)s no longer works.") % {"name": respondent.name}
    )
    return redirect(f"{_round_url(pk, round_.pk)}#respondents")


@rate_limit("round_answer", key=per_object("token"))
def respond(request, token):
    """A respondent's personal link: no account, the token is the key (only its hash is kept)."""
    respondent = services.respondent_find(token=token)
    if respondent is None:
        return render(request, "agreements/respond_invalid.html", status=404)
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        # Unless they chose otherwise with the language switch: the invitation's language.
        translation.activate(respondent.language)
        request.LANGUAGE_CODE = respondent.language
    round_ = respondent.round
    today = timezone.localdate()
    is_open = round_.is_open and (round_.closes_on is None or round_.closes_on >= today)
    principles = services.round_principles(round_)
    initial = {}
    for answer in respondent.answers.select_related("principle"):
        initial[f"score_{answer.principle.code}"] = answer.score
        initial[f"comment_{answer.principle.code}"] = answer.comment
    if round_.asks_participation:
        for step, level in respondent.participation_answers.values_list("step", "level"):
            initial[f"level_{step}"] = level
    form = RoundAnswerForm(
        request.POST if request.method == "POST" else None,
        principles=principles,
        participation=round_.asks_participation,
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        if not is_open:
            status = 409
        elif form.is_valid():
            try:
                services.respondent_answer(
                    respondent=respondent,
                    scores=form.scores(),
                    participation=form.participation(),
                )
            except ValidationError as error:
                _apply_errors(form, error)
                status = 400
            else:
                return render(
                    request,
                    "agreements/respond_thanks.html",
                    {"respondent": respondent, "round": round_, "token": token},
                )
        else:
            status = 400
    return render(
        request,
        "agreements/respond.html",
        {
            "respondent": respondent,
            "round": round_,
            "agreement": round_.agreement,
            "form": form,
            "is_open": is_open,
            "token": token,
            "language": translation.get_language(),
        },
        status=status,
    )
