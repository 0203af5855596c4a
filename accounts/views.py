import dataclasses
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_http_methods

from accounts import selectors, services
from accounts.confirm import confirm_page, confirmed
from accounts.forms import ErasureRequestForm, InvitationAcceptForm, InvitationForm
from accounts.models import Invitation
from accounts.permissions import (
    login_required,
    permission_required,
    reauthentication_required,
    require,
)
from portal import personal_data
from portal.ratelimit import per_object, rate_limit


@permission_required("accounts.view_invitation")
@reauthentication_required
def invitation_list(request):
    form = InvitationForm(user=request.user)
    if request.method == "POST":
        require(request, "accounts.add_invitation")
        form = InvitationForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                invitation, _token = services.invitation_create(
                    email=form.cleaned_data["email"],
                    full_name=form.cleaned_data["full_name"],
                    role=form.cleaned_data["role"],
                    invited_by=request.user,
                    base_url=request.build_absolute_uri("/"),
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    for message in errors:
                        form.add_error(field, message)
            else:
                messages.success(
                    request, _("An invitation was sent to %(email)s.") % {"email": invitation.email}
                )
                return redirect("accounts:invitation_list")
    return render(
        request,
        "accounts/invitation_list.html",
        {
            "form": form,
            "invitations": selectors.invitation_list()[:200],
            "valid_days": settings.INVITATION_VALID_DAYS,
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("accounts.add_invitation")
def invitation_revoke(request, pk):
    invitation = get_object_or_404(Invitation, pk=pk)
    if invitation.is_usable and not confirmed(request):
        return confirm_page(
            request,
            title=_("Revoke an invitation"),
            question=_("Do you want to revoke the invitation to %(email)s?")
            % {"email": invitation.email},
            details=[_("The link in the email stops working at once.")],
            button=_("Yes, revoke it"),
            back_url=reverse("accounts:invitation_list"),
        )
    if invitation.is_usable:
        services.invitation_revoke(invitation=invitation)
        messages.success(
            request, _("The invitation to %(email)s was revoked.") % {"email": invitation.email}
        )
    else:
        messages.info(request, _("That invitation was no longer open."))
    return redirect("accounts:invitation_list")


@rate_limit("invitation_accept", key=per_object("token"))
def invitation_accept(request, token):
    """Public: the token in the emailed link is the credential."""
    invitation = services.invitation_find(token=token)
    if invitation is None or not invitation.is_usable:
        return render(
            request,
            "accounts/invitation_unusable.html",
            {"invitation": invitation},
            status=404 if invitation is None else 410,
        )
    form = InvitationAcceptForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                invitation=invitation, password=form.cleaned_data["password1"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome! Your account is ready."))
            return redirect("home")
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )


# --- My data: what the portal holds about the logged-in person ------------------------------


def _my_subject(request):
    # Rows found only by a name could be a namesake's: the secretariat checks those by hand,
    # self-service shows what is tied to the account, the person and the email addresses.
    return dataclasses.replace(services.user_subject(request.user), names=frozenset())


def _my_data(request) -> list[dict]:
    return personal_data.found_for_display(personal_data.find(_my_subject(request)))


@require_http_methods(["GET", "POST"])
@login_required
def my_data(request):
    """Everything held about me, to download, and a way to ask the secretariat to erase it."""
    form = ErasureRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.erasure_request_create(user=request.user, message=form.cleaned_data["message"])
        messages.success(
            request, _("Your request has been sent. The secretariat will erase your data.")
        )
        return redirect("my_data:page")
    context = {
        "apps": _my_data(request),
        "form": form,
        "open_request": selectors.erasure_request_open_for(request.user),
    }
    return render(request, "accounts/my_data.html", context)


@login_required
def my_data_export(request):
    data = personal_data.export(_my_subject(request))
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@login_required
def my_data_export_html(request):
    context = {
        "apps": _my_data(request),
        "subject_label": str(request.user),
        "exported_at": timezone.now(),
    }
    response = render(request, "personal_data/export.html", context)
    response["Content-Disposition"] = 'attachment; filename="my-data.html"'
    return response


def set_language(request):
    """Django's language switch, remembering a signed-in person's choice for their email."""
    response = i18n.set_language(request)
    code = request.POST.get("language", "") if request.method == "POST" else ""
    user = request.user
    if user.is_authenticated and code in dict(settings.LANGUAGES) and user.language != code:
        get_user_model().objects.filter(pk=user.pk).update(language=code)
    return response


@require_http_methods(["GET", "POST"])
@login_required
def notification_settings(request):
    """Which email notifications I get: each registered kind can be turned off."""
    from accounts import notifications
    from accounts.models import NotificationOptOut

    kinds = notifications.all_kinds()
    if request.method == "POST":
        wanted = set(request.POST.getlist("kind"))
        try:
            services.notification_preferences_set(
                user=request.user, turned_off={k.code for k in kinds} - wanted
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your choices are saved."))
        return redirect("notifications:settings")
    off = set(NotificationOptOut.objects.filter(user=request.user).values_list("kind", flat=True))
    rows = [{"kind": kind, "on": kind.code not in off} for kind in kinds]
    return render(request, "accounts/notifications.html", {"rows": rows})
