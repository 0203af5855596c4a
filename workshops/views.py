"""The workshop pages. Public: list, workshop page with registration, thanks, cancellation
link, calendar file and the participants' input form (behind the secret in its link/QR code).
Everything else goes through accounts.permissions."""

import functools
import io
from datetime import datetime, time

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.confirm import confirm_page, confirmed
from accounts.permissions import can, permission_required
from portal import fragment_cache
from portal.concurrency import StaleVersionError, conflict_context
from portal.page_cache import public_page
from portal.ratelimit import per_object, rate_limit
from workshops import selectors, services
from workshops.forms import (
    CarryForm,
    ContributionEditForm,
    ContributionForm,
    GroupsForm,
    MatterScheduleForm,
    ProgrammeItemForm,
    RegistrationForm,
    ResolveForm,
    WalkInForm,
    WorkshopForm,
)
from workshops.ical import workshop_calendar
from workshops.models import Contribution, Registration, Workshop

VIEW = "workshops.view_registration"
CHANGE = "workshops.change_workshop"
CHECK_IN = "workshops.change_registration"
INPUT = "workshops.add_contribution"
CARRY = "workshops.add_carriedmatter"


def _public_workshop(pk: int, related=("programme", "target_groups")) -> Workshop:
    workshop = selectors.workshop_for_page(pk, related=related)
    if workshop is None:
        raise Http404(_("There is no published workshop at this address."))
    return workshop


def _staff_workshop(pk: int, related=("programme", "target_groups")) -> Workshop:
    workshop = selectors.workshop_for_page(pk, staff=True, related=related)
    if workshop is None:
        raise Http404(_("There is no workshop at this address."))
    return workshop


# --- Public -------------------------------------------------------------------------------


@public_page
def workshop_list(request):
    workshops = list(selectors.workshop_list_public())
    statistics = selectors.statistics_for(workshops, exact=False)
    now = timezone.now()
    return render(
        request,
        "workshops/workshop_list.html",
        {
            "upcoming": [w for w in reversed(workshops) if w.ends_at >= now],
            "past": [w for w in workshops if w.ends_at < now],
            "comparison": selectors.workshop_comparison(list(statistics.values())),
        },
    )


@public_page
@require_http_methods(["GET", "POST"])
@rate_limit("workshop_register", key=per_object("pk"))
def workshop_detail(request, pk):
    # The programme is read only when its part is rendered (_render_detail).
    workshop = _public_workshop(pk, related=("target_groups",))
    is_open = workshop.registration_is_open()
    form = RegistrationForm(request.POST or None)
    offer_waiting_list = False
    if request.method == "POST":
        if not is_open:
            form.is_valid()
            form.add_error(None, _("Registration for this workshop is closed."))
        elif form.is_valid():
            if form.is_spam:
                return redirect("workshops:thanks", pk=workshop.pk)
            try:
                registration = services.registration_create(
                    workshop=workshop, **form.service_kwargs()
                )
            except ValidationError as error:
                offer_waiting_list = getattr(error, "code", None) == "full"
                form.add_error(None, error)
            else:
                request.session["workshops_last_status"] = registration.status
                return redirect("workshops:thanks", pk=workshop.pk)
    return _render_detail(request, workshop, form, is_open, offer_waiting_list)


def _render_detail(request, workshop, form, is_open, offer_waiting_list):
    """The programme and the figures (statistics, matters, contributions) are the same for
    every visitor: each is kept as a shared fragment under the content version (a write to
    the workshop's tables renders them afresh), and their data is read only to render them."""

    @functools.cache
    def statistics():
        return selectors.workshop_statistics(workshop, exact=False)

    def programme():
        prefetch_related_objects([workshop], "programme")
        return render_to_string(
            "workshops/includes/programme.html",
            {"workshop": workshop, "statistics": statistics()},
            request,
        )

    def figures():
        contributions = selectors.contributions_for(workshop, public=True)
        selectors.contribution_sector_labels(contributions, statistics())
        context = {
            "workshop": workshop,
            "statistics": statistics(),
            "prefix": "pub-",
            "contribution_groups": selectors.contributions_by_kind(contributions),
            "contribution_count": len(contributions),
            "matters": list(selectors.carried_matters_for([workshop.pk])),
        }
        return render_to_string("workshops/includes/workshop_figures.html", context, request)

    context = {
        "workshop": workshop,
        "form": form,
        "is_open": is_open,
        "offer_waiting_list": offer_waiting_list,
        # Only an open registration says how many places are left.
        "places_left": selectors.places_left(workshop) if is_open else 0,
        "programme_html": fragment_cache.fragment(
            request, "workshop-programme", [workshop.pk], programme
        ),
        "figures_html": fragment_cache.fragment(
            request, "workshop-figures", [workshop.pk], figures
        ),
        "can_manage": can(request.user, VIEW),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "workshops/workshop_detail.html", context, status=status)


def registration_thanks(request, pk):
    workshop = _public_workshop(pk)
    status = request.session.pop("workshops_last_status", Registration.Status.REGISTERED)
    return render(
        request,
        "workshops/registration_thanks.html",
        {"workshop": workshop, "waiting": status == Registration.Status.WAITING},
    )


@require_http_methods(["GET", "POST"])
def registration_cancel(request, token):
    registration = services.registration_for_token(token)
    if registration is None:
        return render(request, "workshops/cancel_invalid.html", status=404)
    if request.method == "POST" and registration.status != Registration.Status.CANCELLED:
        try:
            services.registration_cancel(registration=registration)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            registration.refresh_from_db()
    return render(
        request,
        "workshops/cancel.html",
        {"registration": registration, "workshop": registration.workshop},
    )


def workshop_ical(request, pk):
    workshop = _public_workshop(pk)
    response = HttpResponse(
        workshop_calendar(workshop, request.build_absolute_uri(workshop.get_absolute_url())),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="workshop-{workshop.pk}.ics"'
    return response


@require_http_methods(["GET", "POST"])
@rate_limit("workshop_contribute", key=per_object("pk"))
def contribution_public(request, pk, key):
    """The form participants reach through the link or QR code shown in the room."""
    workshop = _public_workshop(pk)
    if not constant_time_compare(key, workshop.input_key):
        raise Http404(_("This link is not valid any more. Ask for the new one in the room."))
    form = ContributionForm(request.POST or None, workshop=workshop)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.contribution_add(
                workshop=workshop,
                kind=data["kind"],
                text=data["text"],
                sector=data.get("sector"),
                is_anonymous=data.get("is_anonymous", True),
                author_name=data.get("author_name", ""),
                group=data.get("group"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you: your input is saved. You can send more."))
            return redirect("workshops:contribute", pk=workshop.pk, key=key)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "workshops/contribute.html",
        {"workshop": workshop, "form": form},
        status=status,
    )


# --- Staff --------------------------------------------------------------------------------


@permission_required(VIEW)
def manage_list(request):
    return render(
        request,
        "workshops/manage_list.html",
        {"workshops": selectors.workshop_list_staff(), "can_create": can(request.user, CHANGE)},
    )


@permission_required(CHANGE)
@require_http_methods(["GET", "POST"])
def workshop_create(request):
    form = WorkshopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        target_groups = data.pop("target_groups")
        try:
            workshop = services.workshop_create(
                created_by=request.user, target_groups=target_groups, **data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The workshop is saved."))
            return redirect("workshops:manage", pk=workshop.pk)
    return render(request, "workshops/workshop_form.html", {"form": form})


@permission_required(CHANGE)
@require_http_methods(["GET", "POST"])
def workshop_edit(request, pk):
    workshop = _staff_workshop(pk)
    form = WorkshopForm(request.POST or None, instance=workshop)
    conflict = {}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        target_groups = data.pop("target_groups")
        version = data.pop("version")
        data.pop("confirm_capacity", None)
        data.pop("confirm_cancel", None)
        try:
            services.workshop_update(
                workshop=Workshop.objects.get(pk=pk),
                target_groups=target_groups,
                expected_version=version,
                **data,
            )
        except StaleVersionError as error:
            conflict = conflict_context(form, error, WorkshopForm(instance=error.current).initial)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The workshop is saved."))
            return redirect("workshops:manage", pk=pk)
    return render(
        request,
        "workshops/workshop_form.html",
        {"form": form, "workshop": workshop, **conflict},
        status=409 if conflict else 200,
    )


# The manage page in parts, each with its own address, so no part is a long scroll away.
MANAGE_SECTIONS = {
    "overview": gettext_lazy("Overview and statistics"),
    "programme": gettext_lazy("Programme"),
    "registrations": gettext_lazy("Registrations"),
    "groups": gettext_lazy("Groups and input"),
    "follow-up": gettext_lazy("Follow-up"),
}
# Where a form's redirect lands (the anchor a form on that part has).
ANCHOR_SECTIONS = {
    "#programme": "programme",
    "#registrations": "registrations",
    "#groups": "groups",
    "#input": "groups",
    "#matters": "follow-up",
}


@permission_required(VIEW)
def manage_detail(request, pk, section="overview"):
    """Each part below the permission check is the same for every member of staff with the
    same permissions: a shared fragment under the content version (any write to the
    workshops' or the council's tables renders it afresh), so its data is read and its
    template rendered only on the first request after a write. Whatever else it depends
    on is in its key: the part, the permissions, and the clock's part (whether the workshop
    is over, for the registrations' cancel forms; the meetings still open, for follow-up)."""
    if section not in MANAGE_SECTIONS:
        raise Http404
    workshop = _shared_staff_workshop(request, pk)
    flags = {
        "can_change": can(request.user, CHANGE),
        "can_carry": can(request.user, CARRY),
        "can_report": can(request.user, "reports.add_reportjob"),
    }
    exact = can(request.user, "workshops.view_exact_statistics")
    key = [pk, section, *flags.values(), exact]
    meetings = None
    if section == "registrations":
        key.append(workshop.is_past)
    elif section == "follow-up":
        meetings = _carry_meetings(request, workshop)
        key.append(",".join(str(meeting.pk) for meeting in meetings))
    body = fragment_cache.fragment(
        request,
        "workshop-manage",
        key,
        lambda: render_to_string(
            "workshops/includes/manage_body.html",
            _manage_context(workshop, section, flags, exact=exact, meetings=meetings),
            request,
        ),
    )
    return render(request, "workshops/manage_detail.html", {"workshop": workshop, "body": body})


def _shared_staff_workshop(request, pk: int) -> Workshop:
    """The workshop of a staff page whose parts are shared fragments, kept with them under
    the content version (a write to the workshops' tables reads it afresh): a page from the
    stored fragments then reads nothing of the domain tables."""
    workshop = fragment_cache.shared(
        request,
        "workshop-staff",
        [pk],
        lambda: selectors.workshop_for_page(pk, staff=True, related=()),
    )
    if workshop is None:
        raise Http404(_("There is no workshop at this address."))
    return workshop


def _carry_meetings(request, workshop: Workshop) -> list:
    """The council meetings input can still be carried to, as selectors.meetings_to_carry_to
    gives them now: those not over at the start of today are kept under the content version
    and the day, and of them those not over now are offered."""
    today = timezone.localdate()
    start = timezone.make_aware(datetime.combine(today, time.min))
    meetings = fragment_cache.shared(
        request,
        "workshop-carry-meetings",
        [workshop.council_id, today.isoformat()],
        lambda: list(selectors.meetings_to_carry_to(workshop, now=start)),
    )
    now = timezone.now()
    return [meeting for meeting in meetings if meeting.ends_at >= now]


def _manage_context(workshop: Workshop, section: str, flags: dict, *, exact: bool, meetings):
    pk = workshop.pk
    context = {
        "workshop": workshop,
        "section": section,
        "section_template": f"workshops/manage/{section}.html",
        "sections": [
            (key, label, reverse("workshops:manage_section", args=[pk, key]))
            if key != "overview"
            else (key, label, reverse("workshops:manage", args=[pk]))
            for key, label in MANAGE_SECTIONS.items()
        ],
        **flags,
    }
    if section == "programme":  # only the programme's part lists the programme items
        prefetch_related_objects([workshop], "programme")
    if section in {"overview", "programme"}:  # the programme shows its gender balance
        context["statistics"] = selectors.workshop_statistics(workshop, exact=exact)
    if section == "programme":
        context["programme_form"] = ProgrammeItemForm()
    elif section == "registrations":
        rows = selectors.registration_rows(workshop, selectors.registration_list(workshop))
        context |= {
            "registered": [r for r in rows if r.status == "registered"],
            "waiting": sorted(
                (r for r in rows if r.status == "waiting"), key=lambda r: (r.created_at, r.pk)
            ),
            "cancelled": [r for r in rows if r.status == "cancelled"],
            "workshop_is_past": workshop.is_past,
        }
    elif section == "groups":
        contributions = selectors.contributions_for(workshop, public=False)
        groups = list(workshop.groups.prefetch_related("members__sector"))
        context |= {
            "groups_form": GroupsForm(),
            "groups": groups,
            "contribution_groups": selectors.contributions_by_kind(contributions),
            "contribution_form": ContributionForm(workshop=workshop, staff=True, groups=groups),
        }
    elif section == "follow-up":
        # Each list is read once and serves both the matters and the carry form's options.
        contributions = list(workshop.contributions.filter(matter__isnull=True))
        context |= {
            "matters": list(selectors.carried_matters_for([workshop.pk])),
            "carry_form": CarryForm(
                workshop=workshop, meetings=meetings, contributions=contributions
            ),
            "resolve_form": ResolveForm(),
            "schedule_meetings": meetings,
        }
    return context


THEME_MAX_LENGTH = 100


def _back(pk, anchor=""):
    section = ANCHOR_SECTIONS.get(anchor)
    if section is None:
        return redirect(reverse("workshops:manage", args=[pk]) + anchor)
    return redirect(reverse("workshops:manage_section", args=[pk, section]) + anchor)


@require_POST
@permission_required("workshops.add_programmeitem")
def programme_add(request, pk):
    workshop = _staff_workshop(pk)
    form = ProgrammeItemForm(request.POST)
    if form.is_valid():
        try:
            services.programme_item_add(workshop=workshop, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The programme item is added."))
    else:
        messages.error(request, _("The programme item could not be added: check the fields."))
    return _back(pk, "#programme")


@require_http_methods(["GET", "POST"])
@permission_required("workshops.change_programmeitem")
def programme_edit(request, pk, item_pk):
    workshop = _staff_workshop(pk)
    item = get_object_or_404(workshop.programme.all(), pk=item_pk)
    form = ProgrammeItemForm(request.POST or None, instance=item)
    conflict = {}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.programme_item_update(item=item, expected_version=version, **data)
        except StaleVersionError as error:
            conflict = conflict_context(
                form, error, ProgrammeItemForm(instance=error.current).initial
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The programme item is saved."))
            return _back(pk, "#programme")
    return render(
        request,
        "workshops/item_form.html",
        {
            "form": form,
            "workshop": workshop,
            "heading": _("Edit a programme item"),
            "back_url": reverse("workshops:manage", args=[pk]) + "#programme",
            **conflict,
        },
        status=409 if conflict else 200,
    )


@require_http_methods(["GET", "POST"])
@permission_required("workshops.delete_programmeitem")
def programme_remove(request, pk, item_pk):
    workshop = _staff_workshop(pk)
    item = get_object_or_404(workshop.programme.all(), pk=item_pk)
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Remove a programme item"),
            question=_("Do you want to remove “%(title)s” (%(time)s) from the programme?")
            % {"title": item.title, "time": item.starts_at.strftime("%H:%M")},
            button=_("Yes, remove it"),
            back_url=reverse("workshops:manage", args=[pk]) + "#programme",
        )
    services.programme_item_remove(item=item)
    messages.success(request, _("The programme item is removed."))
    return _back(pk, "#programme")


def _check_in_context(request, workshop, q="", walk_in_form=None):
    # The sectors are read once: for the counts and for the walk-in form's options.
    sectors = selectors.sector_list()
    return {
        "workshop": workshop,
        "q": q,
        "rows": _check_in_rows(workshop, q),
        "statistics": _check_in_statistics(workshop, sectors=sectors),
        "walk_in_form": walk_in_form or WalkInForm(sectors=sectors),
    }


def _check_in_rows(workshop, q: str) -> list:
    return selectors.registration_rows(workshop, selectors.check_in_list(workshop, q=q)[:200])


def _check_in_statistics(workshop, sectors=None):
    """The check-in's counts (who came, by gender): the programme's balance is not shown."""
    return selectors.workshop_statistics(workshop, exact=True, programme=False, sectors=sectors)


@permission_required(CHECK_IN)
def check_in(request, pk):
    """The list, the counts and the empty walk-in form are the same for everyone at the door
    who searches the same: a shared fragment under the content version (each check-in is a
    write, so the next request shows it)."""
    workshop = _shared_staff_workshop(request, pk)
    q = request.GET.get("q", "")[:100]
    if request.htmx and request.htmx.target == "check-in-rows":
        # The search as it is typed: the rows alone, shared the same way.
        rows = fragment_cache.fragment(
            request,
            "workshop-check-in-rows",
            [pk, q],
            lambda: render_to_string(
                "workshops/includes/check_in_rows.html",
                {"workshop": workshop, "q": q, "rows": _check_in_rows(workshop, q)},
                request,
            ),
        )
        return HttpResponse(rows)
    body = fragment_cache.fragment(
        request,
        "workshop-check-in",
        [pk, q],
        lambda: render_to_string(
            "workshops/includes/check_in_body.html",
            _check_in_context(request, workshop, q),
            request,
        ),
    )
    return render(request, "workshops/check_in.html", {"workshop": workshop, "body": body})


@permission_required(CHECK_IN)
def check_in_counts(request, pk):
    """Polled every 5 seconds by every device at the door: shared until the next write."""
    workshop = _shared_staff_workshop(request, pk)
    counts = fragment_cache.fragment(
        request,
        "workshop-check-in-counts",
        [pk],
        lambda: render_to_string(
            "workshops/includes/check_in_counts.html",
            {"workshop": workshop, "statistics": _check_in_statistics(workshop)},
            request,
        ),
    )
    return HttpResponse(counts)


@require_POST
@permission_required(CHECK_IN)
def check_in_toggle(request, pk, reg_pk):
    workshop = _staff_workshop(pk, related=())
    registration = get_object_or_404(workshop.registrations.all(), pk=reg_pk)
    error = ""
    try:
        if request.POST.get("undo"):
            registration = services.registration_check_in_undo(registration=registration)
        else:
            registration = services.registration_check_in(registration=registration)
    except ValidationError as exc:
        error = " ".join(exc.messages)
        if not request.htmx:
            messages.error(request, error)
    if request.htmx:
        # The row is swapped in place and the outcome (or the error) announced beside it.
        registration = selectors.registration_list(workshop).get(pk=registration.pk)
        return render(
            request,
            "workshops/includes/check_in_row_swap.html",
            {
                "row": selectors.registration_rows(workshop, [registration])[0],
                "workshop": workshop,
                "error": error,
                "statistics": _check_in_statistics(workshop),
            },
        )
    q = request.POST.get("q", "")[:100]
    return redirect(reverse("workshops:check_in", args=[pk]) + (f"?q={q}" if q else ""))


@require_POST
@permission_required(CHECK_IN)
@rate_limit("workshop_walk_in")
def walk_in(request, pk):
    workshop = _staff_workshop(pk, related=())
    form = WalkInForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.registration_walk_in(
                workshop=workshop,
                name=data["name"],
                organisation_name=data.get("organisation_name", ""),
                sector=data.get("sector"),
                gender=data.get("gender") or "unknown",
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("%(name)s is added and checked in.") % {"name": data["name"]}
            )
            return redirect("workshops:check_in", pk=pk)
    # A posted form (its values, its errors) is rendered for its sender, never shared.
    body = render_to_string(
        "workshops/includes/check_in_body.html",
        _check_in_context(request, workshop, walk_in_form=form),
        request,
    )
    return render(
        request, "workshops/check_in.html", {"workshop": workshop, "body": body}, status=400
    )


@require_http_methods(["GET", "POST"])
@permission_required(CHECK_IN)
def registration_cancel_staff(request, pk, reg_pk):
    """Take someone off the list: asks first, then tells the person by email."""
    workshop = _staff_workshop(pk)
    registration = get_object_or_404(workshop.registrations.all(), pk=reg_pk)
    if registration.status == Registration.Status.CANCELLED:
        messages.info(request, _("This registration was already cancelled."))
        return _back(pk, "#registrations")
    if not confirmed(request):
        details = []
        if registration.email:
            details.append(
                _("%(name)s gets an email at %(email)s saying that the registration is cancelled.")
                % {"name": registration.name, "email": registration.email}
            )
        else:
            details.append(
                _("There is no email address to tell %(name)s: let them know yourself.")
                % {"name": registration.name}
            )
        if registration.status == Registration.Status.REGISTERED:
            first_waiting = selectors.waiting_list_first(workshop)
            if first_waiting is not None:
                details.append(
                    _(
                        "The place goes to %(name)s, first on the waiting list, who is told "
                        "by email."
                    )
                    % {"name": first_waiting.name}
                )
        return confirm_page(
            request,
            title=_("Cancel a registration"),
            question=_("Do you want to cancel the registration of %(name)s for “%(title)s”?")
            % {"name": registration.name, "title": workshop.title},
            details=details,
            button=_("Yes, cancel the registration"),
            back_url=reverse("workshops:manage", args=[pk]) + "#registrations",
        )
    try:
        services.registration_cancel(registration=registration, by_staff=True)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The registration of %(name)s is cancelled.") % {"name": registration.name},
        )
    return _back(pk, "#registrations")


@require_POST
@permission_required("workshops.add_group")
def groups_make(request, pk):
    workshop = _staff_workshop(pk)
    form = GroupsForm(request.POST)
    existing = workshop.groups.count()
    if form.is_valid() and existing and not confirmed(request):
        # Making groups again replaces the groups people may already sit in.
        return confirm_page(
            request,
            title=_("Make new groups"),
            question=_(
                "The workshop already has %(count)s groups. Do you want to replace them with "
                "new ones? Everyone's group changes."
            )
            % {"count": existing},
            button=_("Yes, make new groups"),
            back_url=reverse("workshops:manage", args=[pk]) + "#groups",
            hidden=[
                ("size", form.cleaned_data["size"]),
                *([("mix_sectors", "on")] if form.cleaned_data["mix_sectors"] else []),
            ],
        )
    if form.is_valid():
        try:
            groups = services.groups_make(workshop=workshop, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(count)s groups are made.") % {"count": len(groups)})
    else:
        messages.error(request, _("Give a group size from 2 to 50."))
    return _back(pk, "#groups")


def _input_url(request, workshop) -> str:
    return request.build_absolute_uri(
        reverse("workshops:contribute", args=[workshop.pk, workshop.input_key])
    )


@permission_required(INPUT)
def room(request, pk):
    workshop = _staff_workshop(pk)
    return render(
        request,
        "workshops/room.html",
        {"workshop": workshop, "input_url": _input_url(request, workshop)},
    )


@permission_required(INPUT)
def room_qr(request, pk):
    workshop = _staff_workshop(pk)
    buffer = io.BytesIO()
    segno.make(_input_url(request, workshop), error="m").save(
        buffer, kind="svg", scale=8, border=2, title=_("QR code for the input form")
    )
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@require_http_methods(["GET", "POST"])
@permission_required(CHANGE)
def input_key_renew(request, pk):
    workshop = _staff_workshop(pk)
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Make a new input link"),
            question=_(
                "Do you want to make a new link? The link and QR code shown so far stop "
                "working at once: anyone still using them must get the new one."
            ),
            button=_("Yes, make a new link"),
            back_url=reverse("workshops:room", args=[pk]),
        )
    services.workshop_input_key_renew(workshop=workshop)
    messages.success(request, _("A new link is made; the old link and QR code no longer work."))
    return redirect("workshops:room", pk=pk)


@require_POST
@permission_required(INPUT)
@rate_limit("workshop_contribution_staff")
def contribution_staff_add(request, pk):
    workshop = _staff_workshop(pk)
    form = ContributionForm(request.POST, workshop=workshop, staff=True)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.contribution_add(
                workshop=workshop,
                kind=data["kind"],
                text=data["text"],
                sector=data.get("sector"),
                is_anonymous=data.get("is_anonymous", True),
                author_name=data.get("author_name", ""),
                group=data.get("group"),
                theme=data.get("theme", ""),
                source=Contribution.Source.STAFF,
                created_by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The contribution is added."))
    else:
        messages.error(
            request,
            _("The contribution could not be added: %(errors)s")
            % {"errors": " ".join(e for errors in form.errors.values() for e in errors)},
        )
    return _back(pk, "#input")


@require_http_methods(["GET", "POST"])
@permission_required("workshops.change_contribution")
def contribution_edit(request, pk, item_pk):
    """Code a contribution (kind, theme) and show or hide it; versioned, as several staff
    code the input of one workshop at the same time."""
    workshop = _staff_workshop(pk)
    item = get_object_or_404(workshop.contributions.all(), pk=item_pk)
    form = ContributionEditForm(request.POST or None, instance=item)
    conflict = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.contribution_update(
                contribution=item,
                kind=data["kind"],
                theme=data["theme"],
                is_hidden=data["is_hidden"],
                expected_version=data["version"],
            )
        except StaleVersionError as error:
            conflict = conflict_context(
                form, error, ContributionEditForm(instance=error.current).initial
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The contribution is saved."))
            return _back(pk, "#input")
    return render(
        request,
        "workshops/item_form.html",
        {
            "form": form,
            "workshop": workshop,
            "heading": _("Edit a contribution"),
            "quote": item.text,
            "back_url": reverse("workshops:manage", args=[pk]) + "#input",
            **conflict,
        },
        status=409 if conflict else 200,
    )


@require_POST
@permission_required("workshops.change_contribution")
def contribution_visibility(request, pk, item_pk):
    """One click to hide input from the public page (or show it again): sets, not toggles."""
    workshop = _staff_workshop(pk)
    item = get_object_or_404(workshop.contributions.all(), pk=item_pk)
    hidden = request.POST.get("is_hidden")
    if hidden not in {"0", "1"}:
        messages.error(request, _("Choose whether to show or hide the contribution."))
        return _back(pk, "#input")
    services.contribution_update(contribution=item, is_hidden=hidden == "1")
    if hidden == "1":
        messages.success(request, _("The contribution is hidden from the public page."))
    else:
        messages.success(request, _("The contribution is shown on the public page."))
    return _back(pk, "#input")


@require_POST
@permission_required(CARRY)
def carry(request, pk):
    workshop = _staff_workshop(pk)
    form = CarryForm(
        request.POST, workshop=workshop, meetings=selectors.meetings_to_carry_to(workshop)
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data.get("meeting"):
                services.contribution_carry_to_meeting(
                    workshop=workshop,
                    contributions=data["contributions"],
                    meeting=data["meeting"],
                    title=data["title"],
                    summary=data.get("summary", ""),
                    carried_by=request.user,
                )
            else:
                services.carried_matter_raise(
                    workshop=workshop,
                    contributions=data["contributions"],
                    title=data["title"],
                    summary=data.get("summary", ""),
                    carried_by=request.user,
                )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The matter is carried to the council."))
    else:
        messages.error(
            request,
            _("Nothing was carried: %(errors)s")
            % {"errors": " ".join(e for errors in form.errors.values() for e in errors)},
        )
    return _back(pk, "#matters")


@require_POST
@permission_required(CARRY)
def matter_schedule(request, pk, matter_pk):
    """Put a raised matter on a council meeting's agenda, from the matter itself."""
    workshop = _staff_workshop(pk)
    matter = get_object_or_404(workshop.carried_matters.all(), pk=matter_pk)
    form = MatterScheduleForm(request.POST, meetings=selectors.meetings_to_carry_to(workshop))
    if form.is_valid():
        try:
            services.carried_matter_schedule(
                matter=matter, meeting=form.cleaned_data["meeting"], carried_by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The matter is on the council meeting's agenda."))
    else:
        messages.error(request, _("Choose a council meeting."))
    return _back(pk, "#matters")


@require_POST
@permission_required("workshops.change_carriedmatter")
def matter_resolve(request, pk, matter_pk):
    workshop = _staff_workshop(pk)
    matter = get_object_or_404(workshop.carried_matters.all(), pk=matter_pk)
    form = ResolveForm(request.POST)
    if form.is_valid():
        services.carried_matter_resolve(matter=matter, resolution=form.cleaned_data["resolution"])
        messages.success(request, _("The matter is marked as resolved."))
    else:
        messages.error(request, _("Say briefly what came of it."))
    return _back(pk, "#matters")
