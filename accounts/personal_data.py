"""What accounts holds about people, for the personal-data registry (portal.personal_data).

Also the third-party models that hold personal data about a login: allauth's email
addresses, login sessions (usersessions) and MFA authenticators, Django's sessions and the
admin's log.
"""

from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.utils.translation import gettext_lazy as _

from accounts.models import ErasureRequest, Invitation, NotificationOptOut, RoleChange, User
from portal.personal_data import (
    BLANK,
    DELETE,
    KEEP,
    Holding,
    RetentionJob,
    any_of,
    blank,
    declare_not_personal,
    delete,
    iexact_any,
    register,
    register_retention,
)


def _users(subject):
    return User.objects.filter(
        any_of(pk__in=subject.user_ids) | iexact_any("email", subject.emails)
    )


def _users_erase(queryset, now, subject) -> int:
    from accounts.services import user_anonymise

    count = 0
    for user in queryset:
        user_anonymise(user=user, now=now)
        count += 1
    return count


def _sessions_of(subject):
    keys = UserSession.objects.filter(user_id__in=subject.user_ids).values("session_key")
    return Session.objects.filter(session_key__in=keys)


def _user_sessions_end(queryset, now, subject) -> int:
    keys = list(queryset.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    return delete(queryset, now, subject)


def _admin_log_about(subject):
    """Admin log entries whose object is the person or their login (they carry its name)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    about = Q(pk__in=[])
    person_type = ContentType.objects.filter(app_label="directory", model="person").first()
    if person_type is not None and subject.person_ids:
        about |= Q(content_type=person_type, object_id__in=[str(p) for p in subject.person_ids])
    if subject.user_ids:
        about |= Q(
            content_type=ContentType.objects.get_for_model(User),
            object_id__in=[str(pk) for pk in subject.user_ids],
        )
    return LogEntry.objects.filter(about)


register(
    Holding(
        code="accounts.User",
        model="accounts.User",
        label=_("Login account"),
        find=_users,
        fields=("email", "full_name", "date_joined", "last_login", "is_active", "groups"),
        treatment=BLANK,
        erase=_users_erase,
        order=900,  # last: the other holdings find their rows through the account first
    )
)
register(
    Holding(
        code="accounts.Invitation",
        model="accounts.Invitation",
        label=_("Invitations to an account"),
        find=lambda s: Invitation.objects.filter(
            iexact_any("email", s.emails) | any_of(user__in=s.user_ids)
        ),
        fields=("email", "full_name", "role", "created_at", "expires_at", "accepted_at"),
        treatment=DELETE,
        erase=delete,
    )
)
register(
    Holding(
        code="accounts.Invitation:sent",
        model="accounts.Invitation",
        label=_("Invitations sent"),
        find=lambda s: Invitation.objects.filter(invited_by__in=s.user_ids),
        fields=("role", "created_at"),
        treatment=KEEP,
    )
)
register(
    Holding(
        code="accounts.ErasureRequest",
        model="accounts.ErasureRequest",
        label=_("Requests for erasure"),
        find=lambda s: ErasureRequest.objects.filter(user__in=s.user_ids),
        fields=("message", "created_at", "handled_at"),
        treatment=BLANK,
        erase=blank(message=""),
    )
)
register(
    Holding(
        code="account.EmailAddress",
        model="account.EmailAddress",
        label=_("Email addresses of the login"),
        find=lambda s: EmailAddress.objects.filter(
            any_of(user__in=s.user_ids) | iexact_any("email", s.emails)
        ),
        fields=("email", "verified", "primary"),
        treatment=DELETE,
        erase=delete,
    )
)
register(
    Holding(
        code="account.EmailConfirmation",
        model="account.EmailConfirmation",
        label=_("Email confirmations sent"),
        find=lambda s: EmailConfirmation.objects.filter(
            any_of(email_address__user__in=s.user_ids)
            | iexact_any("email_address__email", s.emails)
        ),
        fields=("email_address", "created", "sent"),
        treatment=DELETE,
        erase=delete,
        order=60,  # before the addresses they belong to
    )
)
register(
    Holding(
        code="usersessions.UserSession",
        model="usersessions.UserSession",
        label=_("Login sessions"),
        find=lambda s: UserSession.objects.filter(user__in=s.user_ids),
        fields=("ip", "user_agent", "created_at", "last_seen_at"),
        treatment=DELETE,
        erase=_user_sessions_end,
        order=50,  # before the Django sessions they point to are gone
    )
)
register(
    Holding(
        code="sessions.Session",
        model="sessions.Session",
        label=_("Browser sessions"),
        find=_sessions_of,
        fields=("expire_date",),
        treatment=DELETE,
        erase=delete,
        order=40,
    )
)
register(
    Holding(
        code="mfa.Authenticator",
        model="mfa.Authenticator",
        label=_("Two-factor authentication"),
        find=lambda s: Authenticator.objects.filter(user__in=s.user_ids),
        fields=("type", "created_at", "last_used_at"),
        treatment=DELETE,
        erase=delete,
    )
)
register(
    Holding(
        code="admin.LogEntry",
        model="admin.LogEntry",
        label=_("Administration log entries about the person"),
        find=_admin_log_about,
        fields=("action_time", "object_repr", "change_message"),
        treatment=BLANK,
        erase=blank(object_repr="", change_message=""),
    )
)
register(
    Holding(
        code="admin.LogEntry:by",
        model="admin.LogEntry",
        label=_("Changes made in the administration"),
        find=lambda s: LogEntry.objects.filter(user__in=s.user_ids),
        fields=("action_time", "object_repr"),
        treatment=KEEP,
    )
)
declare_not_personal(
    "accounts.ErasureRecord",
    "The erasure log: ids and row counts only, never what was erased.",
)


def _invitations_purge(now) -> int:
    from accounts.services import invitations_purge_expired

    return invitations_purge_expired(now=now)


def _sessions_purge(now) -> int:
    from accounts.services import sessions_purge_expired

    return sessions_purge_expired(now=now)


register_retention(
    RetentionJob(
        code="accounts.invitations",
        label=_("Invitations, some days after they expired"),
        setting="INVITATION_RETENTION_DAYS",
        task="accounts.purge_expired_invitations",
        run=_invitations_purge,
    )
)
register_retention(
    RetentionJob(
        code="accounts.sessions",
        label=_("Expired browser and login sessions"),
        setting="SESSION_COOKIE_AGE",
        task="accounts.purge_expired_sessions",
        run=_sessions_purge,
    )
)


register(
    Holding(
        code="accounts.RoleChange",
        model="accounts.RoleChange",
        label=_("Role changes (of the account, or made by it)"),
        find=lambda s: RoleChange.objects.filter(
            any_of(user__in=s.user_ids, changed_by__in=s.user_ids)
        ),
        fields=("changed_at", "roles_before", "roles_after"),
        # The record of who held which rights when; the account itself is anonymised.
        treatment=KEEP,
    )
)


register(
    Holding(
        code="accounts.NotificationOptOut",
        model="accounts.NotificationOptOut",
        label=_("Email notifications turned off"),
        find=lambda s: NotificationOptOut.objects.filter(user__in=s.user_ids),
        fields=("kind", "created_at"),
        treatment=DELETE,
        erase=delete,
    )
)
