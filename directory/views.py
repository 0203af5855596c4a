"""The directory's pages. Public: list, detail, CSV export, suggestion forms and the
confirmation link from the yearly email. Everything else goes through accounts.permissions."""

import csv
import json
import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import selectors as account_selectors
from accounts.confirm import confirm_page, confirmed
from accounts.permissions import can, permission_required, reauthentication_required
from directory import selectors, services
from directory.forms import (
    ContactRoleEditForm,
    ContactRoleForm,
    DecisionForm,
    DirectorySearchForm,
    EditorAddForm,
    NameLookupForm,
    OfferForm,
    OfferSearchForm,
    OrganisationCreateForm,
    OrganisationForm,
    OrganisationStaffForm,
    PersonEraseForm,
    SuggestionForm,
)
from directory.history import history_entries
from directory.models import ContactRole, Offer, Organisation, Person, Suggestion
from directory.selectors import FILTERS, DirectoryQuery
from portal import fragment_cache
from portal.concurrency import StaleVersionError, conflict_context
from portal.page_cache import public_page
from portal.ratelimit import rate_limit

PAGE_SIZE = 20
EDIT_PERMISSION = "directory.edit_own_organisation"
MODERATE_PERMISSION = "directory.change_suggestion"
CREATE_PERMISSION = "directory.add_organisation"
MANAGE_PERMISSION = "directory.change_organisation"


def _search(request) -> tuple[DirectorySearchForm, DirectoryQuery | None, list[str]]:
    """Read the query string. A bad one gives (form with errors, None, [])."""
    form = DirectorySearchForm(request.GET)
    if not form.is_valid():
        return form, None, []
    query = form.directory_query()
    return form, query, selectors.unknown_filter_codes(query)


@public_page(query=[*DirectorySearchForm.base_fields, "page"])
def organisation_list(request):
    form = DirectorySearchForm(request.GET)
    query = form.directory_query() if form.is_valid() else None
    # One search reads the filters' ids once (unknown codes included) for everything below.
    search = (
        selectors.directory_search(query, page=request.GET.get("page"), per_page=PAGE_SIZE)
        if query is not None
        else None
    )
    unknown = list(search.unknown) if search is not None else []
    if search is None or unknown:
        page = Paginator([], PAGE_SIZE).get_page(1)
        facets = selectors.organisation_facets(DirectoryQuery())
    else:
        page = Paginator(search.results, PAGE_SIZE).get_page(request.GET.get("page"))
        facets = search.facets
    filter_labels = {name: form.fields[name].label for name in FILTERS}
    context = {
        "form": form,
        "query": query,
        "page": page,
        "facets": [
            {
                "name": name,
                "label": filter_labels[name],
                "values": values,
                "selected": form.cleaned_data.get(name, "") if query else "",
            }
            for name, values in facets.items()
        ],
        "unknown_filters": [filter_labels[name] for name in unknown],
        "can_moderate": can(request.user, MODERATE_PERMISSION),
        "can_create": can(request.user, CREATE_PERMISSION),
    }
    return render(request, "directory/organisation_list.html", context)


# A real phone number ("+46 40 12 34 56") starts with + too, but is digits and spaces only:
# no spreadsheet runs that as a formula, so it is left as it is.
_PHONE = re.compile(r"\+[0-9][0-9 ]*")


def _csv_safe(value) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    text = "" if value is None else str(value)
    if _PHONE.fullmatch(text):
        return text
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


class _Echo:
    def write(self, value):
        return value


def organisation_export_csv(request):
    """The current search as CSV (every matching published organisation, no contacts), in
    the reader's language: labels, not codes. `?sep=semicolon` separates the columns with
    semicolons, which Excel set to Swedish expects (it reads commas as decimal marks); the
    byte order mark stays first so Excel reads å, ä and ö (a `sep=;` line would make it
    ignore that mark)."""
    _form, query, unknown = _search(request)
    if query is None or unknown:
        return HttpResponse(
            _("The search could not be read."), status=400, content_type="text/plain"
        )
    delimiter = ";" if request.GET.get("sep") in {"semicolon", ";"} else ","
    results = selectors.organisation_export(selectors.organisation_search(query))
    base = request.build_absolute_uri("/").rstrip("/")
    header = [
        _("Name"),
        _("Web address in the directory"),
        _("Sector"),
        _("Legal form"),
        _("Municipalities"),
        _("Description"),
        _("Offers"),
        _("Website"),
        _("Email"),
        _("Phone"),
        _("Street address"),
        _("Postal code"),
        _("City"),
        _("Last confirmed"),
    ]

    def rows():
        writer = csv.writer(_Echo(), delimiter=delimiter)
        yield "\ufeff" + writer.writerow(header)
        for org in results.iterator(chunk_size=500):
            yield writer.writerow(
                [
                    _csv_safe(org.name),
                    base + org.get_absolute_url(),
                    org.sector.label,
                    org.legal_form.label if org.legal_form else "",
                    ", ".join(m.name for m in org.municipalities.all()),
                    _csv_safe(org.description),
                    _csv_safe("; ".join(offer.title for offer in org.active_offers)),
                    _csv_safe(org.website),
                    _csv_safe(org.email),
                    _csv_safe(org.phone),
                    _csv_safe(org.street_address),
                    _csv_safe(org.postal_code),
                    _csv_safe(org.city),
                    org.last_confirmed_at.date().isoformat() if org.last_confirmed_at else "",
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="organisationer-{stamp}.csv"'
    return response


@public_page
def organisation_detail(request, slug):
    page = selectors.organisation_page_public(slug)
    if page is None:
        # An editor may look at their own draft or hidden entry.
        editable = selectors.organisation_editable_by(request.user).filter(slug=slug).exists()
        if not editable:
            raise Http404(_("There is no published organisation at this address."))
        return redirect("directory:edit", slug=slug)
    organisation = page.organisation
    can_edit = (
        request.user.is_authenticated
        and selectors.organisation_editable_by(request.user).filter(pk=organisation.pk).exists()
    )
    return render(
        request,
        "directory/organisation_detail.html",
        {
            "organisation": organisation,
            "page": page,
            "can_edit": can_edit,
            "can_manage_editors": can(request.user, MANAGE_PERMISSION),
        },
    )


@public_page(query=[*OfferSearchForm.base_fields, "page"])
@require_GET
def offer_list(request):
    """The offer search: what organisations offer, by need, target group, place and language."""
    form = OfferSearchForm(request.GET)
    query = form.offer_query() if form.is_valid() else None
    unknown = selectors.offer_unknown_filter_codes(query) if query else []
    if query is None or unknown:
        search = selectors.offer_search(selectors.OfferQuery())
        page = Paginator([], PAGE_SIZE).get_page(1)
    else:
        number = request.GET.get("page", "")
        number = int(number) if number.isdigit() and len(number) < 6 else 1
        search = selectors.offer_search(query, page=number, per_page=PAGE_SIZE)
        page = Paginator(search.results, PAGE_SIZE).get_page(number)
    facets = [
        {
            "name": name,
            "label": form.fields[name].label,
            "values": values,
            "selected": (form.cleaned_data.get(name) or "") if query else "",
        }
        for name, values in search.facets.items()
    ]
    context = {
        "form": form,
        "query": query,
        "page": page,
        "search": search,
        "facets": facets,
        "unknown_filters": [form.fields[name].label for name in unknown],
    }
    return render(request, "directory/offer_list.html", context)


@public_page
@require_GET
def offer_detail(request, key):
    offer = selectors.offer_find_public(key)
    if offer is None:
        raise Http404(_("There is no such offer in the directory."))
    return render(request, "directory/offer_detail.html", {"offer": offer})


@require_GET
@rate_limit("directory_name_lookup", limit_get=True)
def organisation_name_options(request):
    """`<option>`s for a datalist, asked for by htmx as someone types an organisation's name.

    The typed text comes as `q`, or under the form field's own name (htmx sends the input's
    value as `organisation_name`). Only published names: they are public anyway.
    """
    form = NameLookupForm({"q": request.GET.get("q") or request.GET.get("organisation_name")})
    names = selectors.organisation_names_matching(form.cleaned_data["q"]) if form.is_valid() else []
    return render(request, "directory/includes/name_options.html", {"names": names})


@require_http_methods(["GET", "POST"])
@rate_limit("directory_suggest")
def suggestion_new(request):
    return _suggestion_form(request, correction_for=None)


@require_http_methods(["GET", "POST"])
@rate_limit("directory_suggest")
def suggestion_correction(request, slug):
    organisation = selectors.organisation_public().filter(slug=slug).first()
    if organisation is None:
        raise Http404(_("There is no published organisation at this address."))
    return _suggestion_form(request, correction_for=organisation)


def _suggestion_form(request, *, correction_for):
    form = SuggestionForm(request.POST or None, correction_for=correction_for)
    if request.method == "POST" and form.is_valid():
        if not form.is_spam:
            try:
                services.suggestion_submit(
                    **form.submit_kwargs(), submitter_language=translation.get_language() or ""
                )
            except ValidationError as error:
                form.add_error(None, error)
        if not form.errors:
            return redirect("directory:suggest_thanks")
    return render(
        request,
        "directory/suggestion_form.html",
        {"form": form, "organisation": correction_for},
    )


def suggestion_thanks(request):
    return render(request, "directory/suggestion_thanks.html")


@require_http_methods(["GET", "POST"])
def organisation_confirm_link(request, token):
    """The link in the yearly email: a page with one button that confirms the entry."""
    organisation = services.confirmation_token_organisation(token=token)
    if organisation is None:
        return render(request, "directory/confirm_invalid.html", status=400)
    if request.method == "POST":
        services.organisation_confirm(
            organisation=organisation,
            confirmed_by=request.user if request.user.is_authenticated else None,
        )
        return render(request, "directory/confirm_done.html", {"organisation": organisation})
    return render(request, "directory/confirm.html", {"organisation": organisation, "token": token})


def _add_service_error(form, error: ValidationError) -> None:
    """Put a service's ValidationError next to the form's own field where there is one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


# --- Editors -----------------------------------------------------------------------------


def _editable(request, slug):
    organisation = selectors.organisation_for_edit(request.user, slug)
    if organisation is None:
        raise PermissionDenied
    return organisation


@permission_required(EDIT_PERMISSION)
def my_organisations(request):
    organisations = selectors.organisation_editable_by(request.user).order_by("name_normalised")
    if can(request.user, "directory.change_organisation"):
        organisations = organisations.filter(editors=request.user) | organisations.filter(
            state__in=["draft", "hidden"]
        )
    return render(
        request, "directory/my_organisations.html", {"organisations": organisations.distinct()}
    )


@require_http_methods(["GET", "POST"])
@permission_required(EDIT_PERMISSION)
def organisation_edit(request, slug):
    """The page below the header is the same for every editor of the entry (the secretariat's
    form has the publication state too): on a GET it is a shared fragment under the content
    version, loaded and rendered only on the first view after a write. A posted form (with
    its errors or a conflict) is this person's own and never shared."""
    staff = can(request.user, "directory.change_organisation")
    form_class = OrganisationStaffForm if staff else OrganisationForm
    if request.method != "POST":
        organisation = selectors.organisation_for_edit(request.user, slug, rows=False)
        if organisation is None:
            raise PermissionDenied

        def body() -> str:
            selectors.organisation_edit_load(organisation)
            form = form_class(instance=organisation, vocabularies=selectors.form_vocabularies())
            return _edit_body(request, organisation, form, staff)

        shared = fragment_cache.fragment(
            request, "organisation-edit", [organisation.pk, staff], body
        )
        return _edit_page(request, organisation, shared)
    organisation = _editable(request, slug)
    form = form_class(
        request.POST, instance=organisation, vocabularies=selectors.form_vocabularies()
    )
    conflict = {}
    if form.is_valid():
        # Give the service plain values; the form must not save the instance itself.
        data = {name: form.cleaned_data[name] for name in form_class.Meta.fields}
        organisation.refresh_from_db()
        try:
            services.organisation_update(
                organisation=organisation,
                changed_by=request.user,
                staff=staff,
                expected_version=form.cleaned_data["version"],
                **data,
            )
        except StaleVersionError as error:
            conflict = conflict_context(form, error, form_class(instance=error.current).initial)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The entry has been saved."))
            return redirect("directory:edit", slug=organisation.slug)
    body = _edit_body(request, organisation, form, staff, conflict)
    return _edit_page(request, organisation, body, status=409 if conflict else 200)


def _edit_body(request, organisation, form, staff: bool, conflict: dict | None = None) -> str:
    return render_to_string(
        "directory/includes/organisation_edit_body.html",
        {"organisation": organisation, "form": form, "staff": staff, **(conflict or {})},
        request,
    )


def _edit_page(request, organisation, body: str, *, status: int = 200):
    return render(
        request,
        "directory/organisation_edit.html",
        {"organisation": organisation, "body": body},
        status=status,
    )


@require_POST
@permission_required(EDIT_PERMISSION)
def organisation_confirm(request, slug):
    organisation = _editable(request, slug)
    services.organisation_confirm(organisation=organisation, confirmed_by=request.user)
    messages.success(request, _("Thank you: the entry is marked as still correct."))
    return redirect("directory:edit", slug=organisation.slug)


@permission_required(EDIT_PERMISSION)
def organisation_history(request, slug):
    organisation = _editable(request, slug)
    changes = Paginator(selectors.organisation_history(organisation), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "directory/organisation_history.html",
        {
            "organisation": organisation,
            "page": changes,
            "entries": history_entries(changes.object_list),
        },
    )


def _offer_data(form) -> dict:
    return {name: form.cleaned_data[name] for name in OfferForm.Meta.fields}


@require_http_methods(["GET", "POST"])
@permission_required(EDIT_PERMISSION)
def offer_create(request, slug):
    organisation = _editable(request, slug)
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = _offer_data(form)
        services.offer_create(organisation=organisation, created_by=request.user, **data)
        messages.success(request, _("The offer has been added."))
        return redirect("directory:edit", slug=organisation.slug)
    return render(
        request, "directory/offer_form.html", {"organisation": organisation, "form": form}
    )


@require_http_methods(["GET", "POST"])
@permission_required(EDIT_PERMISSION)
def offer_edit(request, slug, pk):
    organisation = _editable(request, slug)
    offer = get_object_or_404(Offer, pk=pk, organisation=organisation)
    form = OfferForm(request.POST or None, instance=offer)
    conflict = {}
    if request.method == "POST" and form.is_valid():
        data = _offer_data(form)
        offer.refresh_from_db()
        try:
            services.offer_update(
                offer=offer,
                changed_by=request.user,
                expected_version=form.cleaned_data["version"],
                **data,
            )
        except StaleVersionError as error:
            conflict = conflict_context(form, error, OfferForm(instance=error.current).initial)
        else:
            messages.success(request, _("The offer has been saved."))
            return redirect("directory:edit", slug=organisation.slug)
    return render(
        request,
        "directory/offer_form.html",
        {"organisation": organisation, "form": form, "offer": offer, **conflict},
        status=409 if conflict else 200,
    )


@require_http_methods(["GET", "POST"])
@permission_required(EDIT_PERMISSION)
def offer_delete(request, slug, pk):
    organisation = _editable(request, slug)
    offer = get_object_or_404(Offer, pk=pk, organisation=organisation)
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Remove an offer"),
            question=_("Do you want to remove the offer “%(title)s” of %(name)s?")
            % {"title": offer.title, "name": organisation.name},
            details=[_("It disappears from the directory and its open data at once.")],
            button=_("Yes, remove the offer"),
            back_url=reverse("directory:offer_edit", args=[organisation.slug, offer.pk]),
        )
    services.offer_delete(offer=offer, deleted_by=request.user)
    messages.success(request, _("The offer has been removed."))
    return redirect("directory:edit", slug=organisation.slug)


# --- Contact points ------------------------------------------------------------------------


def _pickable_people(request, organisation):
    """Whom the person list offers: everyone for those who may see the people register,
    else only the people already contact points of this organisation (another role)."""
    people = Person.objects.filter(erased_at__isnull=True).order_by("name", "id")
    if can(request.user, "directory.view_person"):
        return people
    return people.filter(contact_roles__organisation=organisation).distinct()


@require_http_methods(["GET", "POST"])
@permission_required(EDIT_PERMISSION)
def contact_role_create(request, slug):
    organisation = _editable(request, slug)
    people = _pickable_people(request, organisation)
    form = ContactRoleForm(request.POST or None, people=people if people.exists() else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_role_create(
                organisation=organisation, added_by=request.user, **form.create_kwargs()
            )
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, _("The contact point has been added."))
            return redirect("directory:edit", slug=organisation.slug)
    return render(
        request,
        "directory/contact_role_form.html",
        {"organisation": organisation, "form": form},
    )


@require_http_methods(["GET", "POST"])
@permission_required(EDIT_PERMISSION)
def contact_role_edit(request, slug, pk):
    organisation = _editable(request, slug)
    role = get_object_or_404(
        ContactRole.objects.select_related("person"), pk=pk, organisation=organisation
    )
    form = ContactRoleEditForm(request.POST or None, instance=role)
    conflict = {}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.contact_role_update(
                contact_role=role, changed_by=request.user, expected_version=version, **data
            )
        except StaleVersionError as error:
            conflict = conflict_context(
                form, error, ContactRoleEditForm(instance=error.current).initial
            )
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, _("The contact point has been saved."))
            return redirect("directory:edit", slug=organisation.slug)
    return render(
        request,
        "directory/contact_role_edit.html",
        {"organisation": organisation, "role": role, "form": form, **conflict},
        status=409 if conflict else 200,
    )


@require_http_methods(["GET", "POST"])
@permission_required(EDIT_PERMISSION)
def contact_role_consent_withdraw(request, slug, pk):
    organisation = _editable(request, slug)
    role = get_object_or_404(ContactRole, pk=pk, organisation=organisation)
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Withdraw consent"),
            question=_(
                "Do you want to record that %(name)s withdraws consent to be shown as a "
                "contact point of %(organisation)s?"
            )
            % {"name": role.person.name, "organisation": organisation.name},
            details=[_("The contact point is no longer shown publicly or in the open data.")],
            button=_("Yes, withdraw consent"),
            back_url=reverse("directory:edit", args=[organisation.slug]),
        )
    services.contact_role_consent_withdraw(contact_role=role, withdrawn_by=request.user)
    messages.success(
        request, _("Consent has been withdrawn: the contact point is no longer shown publicly.")
    )
    return redirect("directory:edit", slug=organisation.slug)


@require_http_methods(["GET", "POST"])
@permission_required(EDIT_PERMISSION)
def contact_role_remove(request, slug, pk):
    organisation = _editable(request, slug)
    role = get_object_or_404(ContactRole, pk=pk, organisation=organisation)
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Remove a contact point"),
            question=_("Do you want to remove %(name)s as a contact point of %(organisation)s?")
            % {"name": role.person.name, "organisation": organisation.name},
            button=_("Yes, remove the contact point"),
            back_url=reverse("directory:edit", args=[organisation.slug]),
        )
    services.contact_role_remove(contact_role=role, removed_by=request.user)
    messages.success(request, _("The contact point has been removed."))
    return redirect("directory:edit", slug=organisation.slug)


# --- Secretariat: new entries, moderation and personal data --------------------------------


@require_http_methods(["GET", "POST"])
@permission_required(CREATE_PERMISSION)
def organisation_create(request):
    form = OrganisationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                created_by=request.user, **form.create_kwargs()
            )
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            if organisation.is_published:
                message = _("%(name)s has been added to the directory and is published.")
            else:
                message = _("%(name)s has been added to the directory as a draft.")
            messages.success(request, message % {"name": organisation.name})
            similar = selectors.organisation_similar(organisation.name, exclude_pk=organisation.pk)
            if similar:
                messages.warning(
                    request,
                    _("Is this a duplicate? Similar names are already in the directory: %(names)s.")
                    % {"names": ", ".join(other.name for other in similar)},
                )
            return redirect("directory:edit", slug=organisation.slug)
    return render(request, "directory/organisation_create.html", {"form": form})


@permission_required(MODERATE_PERMISSION)
def moderation_queue(request):
    state = request.GET.get("state", Suggestion.State.PENDING)
    if state not in Suggestion.State.values:
        state = Suggestion.State.PENDING
    page = Paginator(selectors.suggestion_queue(state=state), 25).get_page(request.GET.get("page"))
    # A new organisation that may already be listed: shown beside it, to decide with.
    new = [
        suggestion
        for suggestion in page.object_list
        if suggestion.kind == Suggestion.Kind.NEW and suggestion.state == Suggestion.State.PENDING
    ]
    for suggestion in page.object_list:
        suggestion.similar = []
    similar = selectors.organisations_similar([(suggestion.name, None) for suggestion in new])
    for suggestion, found in zip(new, similar, strict=True):
        suggestion.similar = found
    return render(
        request,
        "directory/moderation_queue.html",
        {"page": page, "state": state, "states": Suggestion.State.choices, "form": DecisionForm()},
    )


@require_POST
@permission_required(MODERATE_PERMISSION)
def suggestion_decide(request, pk):
    suggestion = get_object_or_404(Suggestion, pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to accept or decline."))
        return redirect("directory:moderation")
    if form.cleaned_data["decision"] == "reject" and not confirmed(request):
        return confirm_page(
            request,
            title=_("Decline a suggestion"),
            question=_("Do you want to decline the suggestion “%(name)s”?")
            % {"name": suggestion.name or suggestion.organisation or suggestion.message[:80]},
            details=[
                form.cleaned_data["note"]
                and _("Your note: %(note)s") % {"note": form.cleaned_data["note"]}
            ],
            button=_("Yes, decline it"),
            back_url=reverse("directory:moderation"),
            hidden=[("decision", "reject"), ("note", form.cleaned_data["note"])],
        )
    decide = (
        services.suggestion_approve
        if form.cleaned_data["decision"] == "approve"
        else services.suggestion_reject
    )
    try:
        suggestion = decide(
            suggestion=suggestion, decided_by=request.user, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("directory:moderation")
    if suggestion.created_organisation:
        messages.success(
            request, _("A draft entry has been created. Complete it and publish it here.")
        )
        return redirect("directory:edit", slug=suggestion.created_organisation.slug)
    messages.success(request, _("The suggestion has been handled."))
    return redirect("directory:moderation")


@permission_required("directory.view_person")
def person_list(request):
    page = Paginator(selectors.person_list(), 50).get_page(request.GET.get("page"))
    requests = account_selectors.erasure_requests_open()[:50]
    return render(request, "directory/person_list.html", {"page": page, "requests": requests})


def _person_page_context(person: Person) -> dict:
    return {"person": person, "apps": selectors.person_personal_data(person)}


@permission_required("directory.view_person")
def person_detail(request, pk):
    """What every app holds about one person, with export and erasure."""
    person = get_object_or_404(Person, pk=pk)
    return render(request, "directory/person_detail.html", _person_page_context(person))


@permission_required("directory.export_person")
def person_export(request, pk):
    person = get_object_or_404(Person, pk=pk)
    data = services.person_export(person=person)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="person-{person.pk}.json"'
    return response


@permission_required("directory.export_person")
def person_export_html(request, pk):
    """The same export as a readable, self-contained page (to print or send to the person)."""
    person = get_object_or_404(Person, pk=pk)
    context = {**_person_page_context(person), "exported_at": timezone.now()}
    response = render(
        request, "personal_data/export.html", {**context, "subject_label": str(person)}
    )
    response["Content-Disposition"] = f'attachment; filename="person-{person.pk}.html"'
    return response


@require_http_methods(["GET", "POST"])
@permission_required("directory.erase_person")
@reauthentication_required
def person_erase(request, pk):
    """Confirm by typing the name, re-authenticate if the last login is old, then erase."""
    person = get_object_or_404(Person, pk=pk, erased_at__isnull=True)
    form = PersonEraseForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        services.person_erase(person=person, erased_by=request.user)
        messages.success(request, _("The person's data has been erased."))
        return redirect("directory:people")
    context = {**_person_page_context(person), "form": form}
    return render(request, "directory/person_erase.html", context)


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE_PERMISSION)
def organisation_editors(request, slug):
    """The secretariat links editor accounts to an organisation (and sees who edits it)."""
    organisation = get_object_or_404(Organisation, slug=slug)
    form = EditorAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.cleaned_data["email"]
        try:
            services.organisation_editor_add(
                organisation=organisation, user=user, added_by=request.user
            )
        except ValidationError as error:
            form.add_error("email", " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(user)s can now edit %(name)s.")
                % {"user": user.email, "name": organisation.name},
            )
            return redirect("directory:editors", slug=organisation.slug)
    return render(
        request,
        "directory/organisation_editors.html",
        {
            "organisation": organisation,
            "editors": organisation.editors.order_by("email"),
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE_PERMISSION)
def organisation_editor_remove(request, slug, user_id):
    """Ask first, then take the editor off this organisation."""
    organisation = get_object_or_404(Organisation, slug=slug)
    user = get_object_or_404(organisation.editors, pk=user_id)
    if request.method == "POST":
        services.organisation_editor_remove(
            organisation=organisation, user=user, removed_by=request.user
        )
        messages.success(
            request,
            _("%(user)s no longer edits %(name)s.")
            % {"user": user.email, "name": organisation.name},
        )
        return redirect("directory:editors", slug=organisation.slug)
    return render(
        request,
        "directory/organisation_editor_remove.html",
        {"organisation": organisation, "editor": user},
    )


@require_GET
@permission_required(MANAGE_PERMISSION)
def needs_attention(request):
    """The secretariat's list of entries to look at: not confirmed for a year, without an
    editor, suggestions waiting, likely duplicates."""
    attention = selectors.needs_attention()
    return render(
        request,
        "directory/needs_attention.html",
        {
            "unconfirmed": attention.unconfirmed[:50],
            "unconfirmed_count": attention.unconfirmed.count(),
            "without_editor": attention.without_editor[:50],
            "without_editor_count": attention.without_editor.count(),
            "suggestions_count": attention.suggestions.count(),
            "duplicates": attention.duplicates,
        },
    )
