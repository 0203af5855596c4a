import hashlib
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import ErasureRecord, ErasureRequest, Invitation, RoleChange, User
from accounts.roles import GRANTABLE_ROLES, ROLE_PERMISSIONS, Role
from portal.mail import send_templated_mail


def role_permissions() -> dict[Role, list[str]]:
    """accounts.roles plus what each app's AppConfig.role_permissions adds for its models."""
    merged = {role: list(perms) for role, perms in ROLE_PERMISSIONS.items()}
    for app_config in apps.get_app_configs():
        for role, perms in getattr(app_config, "role_permissions", {}).items():
            merged[Role(role)].extend(perms)
    return merged


def roles_sync() -> None:
    """Make each role's group hold exactly the permissions its role is given in code."""
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    every_permission = Permission.objects.all()
    permissions_by_role = role_permissions()
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        if role == Role.ADMINISTRATOR:
            group.permissions.set(every_permission)
            continue
        wanted = []
        for dotted in permissions_by_role[role]:
            app_label, codename = dotted.split(".", 1)
            try:
                wanted.append(
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                )
            except Permission.DoesNotExist as exc:
                raise LookupError(f"Role {role} names unknown permission {dotted}") from exc
        group.permissions.set(wanted)


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None,
    full_name: str = "",
    roles: list[Role] = (),
    email_verified: bool = True,
    changed_by: User | None = None,
) -> User:
    """Create a login with its verified primary address and its roles."""
    email = email.strip().lower()
    user = User.objects.create_user(
        email=email,
        password=password,
        full_name=full_name,
        is_staff=Role.ADMINISTRATOR in roles,
        is_superuser=Role.ADMINISTRATOR in roles,
    )
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=email_verified)
    user_roles_set(user=user, roles=list(roles), changed_by=changed_by)
    return user


def user_roles(user: User) -> set[Role]:
    """The roles a user holds (a superuser made outside the portal counts as administrator)."""
    names = {str(role) for role in Role}
    roles = {Role(name) for name in user.groups.values_list("name", flat=True) if name in names}
    if user.is_superuser:
        roles.add(Role.ADMINISTRATOR)
    return roles


def roles_grantable_by(user: User | None) -> set[Role]:
    """The roles this user may give to others (accounts.roles.GRANTABLE_ROLES)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    grantable: set[Role] = set()
    for role in user_roles(user):
        grantable |= GRANTABLE_ROLES[role]
    return grantable


def _check_may_grant(changed_by: User | None, roles: set[Role], *, field: str) -> None:
    refused = roles - roles_grantable_by(changed_by)
    if refused:
        labels = ", ".join(str(Role(role).label) for role in sorted(refused))
        raise ValidationError(
            {field: _("You may not give or take away this role: %(roles)s.") % {"roles": labels}},
            code="role_not_grantable",
        )


@transaction.atomic
def user_roles_set(*, user: User, roles: list[Role], changed_by: User | None = None) -> None:
    """Give the user exactly these roles, and record the change.

    `changed_by` must be allowed to grant every role added or taken away; None means the
    system itself (demo data, management commands, an invitation made by an allowed sender).
    """
    roles = {Role(role) for role in roles}
    before = user_roles(user) if user.pk else set()
    if changed_by is not None:
        _check_may_grant(changed_by, before ^ roles, field="roles")
    groups = Group.objects.filter(name__in=[str(role) for role in roles])
    user.groups.set(groups)
    is_admin = Role.ADMINISTRATOR in roles
    if user.is_staff != is_admin or user.is_superuser != is_admin:
        user.is_staff = is_admin
        user.is_superuser = is_admin
        user.save(update_fields=["is_staff", "is_superuser"])
    if before != roles:
        RoleChange.objects.create(
            user=user,
            changed_by=changed_by,
            roles_before=sorted(str(role) for role in before),
            roles_after=sorted(str(role) for role in roles),
        )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_find(*, token: str) -> Invitation | None:
    return Invitation.objects.filter(token_hash=_token_hash(token)).first()


@transaction.atomic
def invitation_create(
    *, email: str, full_name: str, role: Role, invited_by: User, base_url: str
) -> tuple[Invitation, str]:
    """Invite someone by email; returns the invitation and the one-time token in its link.

    The sender must be allowed to grant the role (accounts.roles.GRANTABLE_ROLES).
    """
    email = email.strip().lower()
    _check_may_grant(invited_by, {Role(role)}, field="role")
    if User.objects.filter(email=email).exists():
        raise ValidationError({"email": _("There is already an account with this address.")})
    if Invitation.objects.filter(
        email=email, accepted_at=None, revoked_at=None, expires_at__gt=timezone.now()
    ).exists():
        raise ValidationError(
            {"email": _("This address already has an invitation waiting to be accepted.")}
        )
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        full_name=full_name.strip(),
        role=role,
        token_hash=_token_hash(token),
        invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    link = base_url.rstrip("/") + reverse("accounts:invitation_accept", args=[token])
    language = translation.get_language()
    transaction.on_commit(lambda: _invitation_send(invitation, link, language))
    return invitation, token


def _invitation_send(invitation: Invitation, link: str, language: str) -> None:
    send_templated_mail(
        "accounts/email/invitation",
        invitation.email,
        {
            "invitation": invitation,
            "link": link,
            "action_url": link,
            "action_label": gettext_lazy("Accept the invitation"),
        },
        language=language,
    )


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str) -> User:
    """Turn a usable invitation into an account; the link proved the address is theirs."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise ValidationError(_("This invitation can no longer be used."))
    if User.objects.filter(email=invitation.email).exists():
        raise ValidationError(_("There is already an account with this address."))
    # The sender's right to grant the role is checked again: it may have been taken away since.
    if Role(invitation.role) not in roles_grantable_by(invitation.invited_by):
        raise ValidationError(_("This invitation can no longer be used."))
    user = user_create(
        email=invitation.email,
        password=password,
        full_name=invitation.full_name,
        roles=[Role(invitation.role)],
        email_verified=True,
        changed_by=invitation.invited_by,
    )
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    return user


# --- Personal data: erasure of a login, requests and the log -------------------------------


def user_subject(user: User):
    """Everything that identifies the person behind a login, as the registry looks for it."""
    from portal.personal_data import Subject

    person = getattr(user, "person", None)  # directory.Person, when the login is linked
    emails = [user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)]
    names = [user.full_name]
    if person is not None:
        emails.append(person.email)
        names.append(person.name)
    return Subject.of(
        person_ids=[person.pk] if person is not None else [],
        user_ids=[user.pk],
        emails=emails,
        names=names,
    )


def erased_email(pk: int) -> str:
    # A reserved domain (RFC 2606): unique, never deliverable, frees the real address.
    return f"erased-{pk}@erased.invalid"


@transaction.atomic
def user_anonymise(*, user: User, now=None) -> User:
    """Deactivate a login and remove what identifies the person; the row stays for links."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.email = erased_email(user.pk)
    user.full_name = ""
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.erased_at = now or timezone.now()
    user.save(
        update_fields=[
            "email",
            "full_name",
            "password",
            "is_active",
            "is_staff",
            "is_superuser",
            "erased_at",
        ]
    )
    user.groups.clear()
    user.user_permissions.clear()
    return user


@transaction.atomic
def erasure_record_create(
    *, counts: dict[str, int], person_id=None, user_id=None, erased_by=None, reason="request"
):

    return ErasureRecord.objects.create(
        person_id=person_id,
        user_id_erased=user_id,
        erased_by=erased_by,
        counts=counts,
        reason=reason,
    )


@transaction.atomic
def erasure_request_create(*, user: User, message: str = ""):
    """The person asks the secretariat to erase their data; one open request at a time."""

    existing = ErasureRequest.objects.filter(user=user, handled_at__isnull=True).first()
    if existing is not None:
        return existing
    return ErasureRequest.objects.create(user=user, message=message.strip())


@transaction.atomic
def erasure_requests_handle(*, user_ids, now=None) -> int:
    """Mark the open requests of these accounts as handled (the erasure has been done)."""

    return ErasureRequest.objects.filter(user_id__in=user_ids, handled_at__isnull=True).update(
        handled_at=now or timezone.now()
    )


# --- Retention ------------------------------------------------------------------------------


@transaction.atomic
def invitations_purge_expired(*, now=None) -> int:
    """Delete invitations INVITATION_RETENTION_DAYS after they expired (used or not)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.INVITATION_RETENTION_DAYS)
    deleted, _by_model = Invitation.objects.filter(expires_at__lt=cutoff).delete()
    return deleted


@transaction.atomic
def sessions_purge_expired(*, now=None) -> int:
    """Delete expired Django sessions and the allauth login sessions they leave behind."""
    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.models import Session

    now = now or timezone.now()
    expired, _by_model = Session.objects.filter(expire_date__lt=now).delete()
    live = Session.objects.filter(expire_date__gte=now).values("session_key")
    orphans, _by_model = UserSession.objects.exclude(session_key__in=live).delete()
    return expired + orphans


@transaction.atomic
def notification_preferences_set(*, user: User, turned_off: set[str]) -> None:
    """Keep exactly the notification kinds in `turned_off` turned off for this person."""
    from accounts import notifications
    from accounts.models import NotificationOptOut

    known = {kind.code for kind in notifications.all_kinds()}
    unknown = set(turned_off) - known
    if unknown:
        raise ValidationError(_("Unknown kind of notification."))
    NotificationOptOut.objects.filter(user=user).exclude(kind__in=turned_off).delete()
    have = set(NotificationOptOut.objects.filter(user=user).values_list("kind", flat=True))
    NotificationOptOut.objects.bulk_create(
        NotificationOptOut(user=user, kind=code) for code in sorted(set(turned_off) - have)
    )
