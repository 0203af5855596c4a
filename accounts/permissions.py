"""The one permission helper every view uses.

Views that need a login are decorated with `permission_required(...)` (or `login_required`
for pages any logged-in user may see); anonymous visitors go to the login page, logged-in
users without the permission get 403. Object-level rules (an editor's own organisation, a
process leader's own agreement) are checked in the view with `can()` and a selector that
filters by the user. tests/security/test_anonymous_access.py walks every URL and fails on
any view reachable anonymously that is not on its explicit public allowlist.
"""

import time
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from accounts.roles import STAFF_ROLES, Role


def has_role(user, *roles: Role) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    names = {str(role) for role in roles}
    return not names.isdisjoint(role_names(user))


def role_names(user) -> frozenset[str]:
    """The user's role (group) names, read once per user object, i.e. once per request."""
    if not user.is_authenticated:
        return frozenset()
    load_access(user)
    return user._portal_role_names


def has_second_factor(user) -> bool:
    """Whether the user has set up an authenticator (allauth's `is_mfa_enabled`), read with
    the roles and permissions in `load_access`."""
    if not user.is_authenticated:
        return False
    load_access(user)
    return user._portal_has_mfa


def load_access(user) -> None:
    """Everything the permission checks of a request ask about the user, in one statement.

    The roles (group names), the permissions from the user and from the groups (put where
    Django's ModelBackend keeps them per user object, so `user.has_perm` asks nothing more)
    and whether a second factor is set up. Done once per user object, i.e. once per request:
    before, a logged-in page paid a query for the groups, one for the user's permissions, one
    for the groups' permissions and (staff) one for the authenticator.
    """
    if getattr(user, "_portal_role_names", None) is not None:
        return
    from allauth.mfa.models import Authenticator
    from django.contrib.auth.models import Group, Permission
    from django.db.models import CharField, Value

    def tagged(queryset, kind: str, *fields: str):
        return queryset.annotate(_kind=Value(kind, output_field=CharField())).values_list(
            *fields, "_kind"
        )

    blank = Value("", output_field=CharField())
    rows = (
        tagged(Permission.objects.filter(user=user), "user", "content_type__app_label", "codename")
        .union(
            tagged(
                Permission.objects.filter(group__user=user),
                "group",
                "content_type__app_label",
                "codename",
            ),
            tagged(
                Group.objects.filter(user=user).annotate(_blank=blank), "role", "name", "_blank"
            ),
            tagged(
                Authenticator.objects.filter(user_id=user.pk).annotate(_blank=blank),
                "mfa",
                "type",
                "_blank",
            ),
            all=True,
        )
        .order_by()
    )
    found: dict[str, set[str]] = {"user": set(), "group": set(), "role": set(), "mfa": set()}
    for first, second, kind in rows:
        found[kind].add(f"{first}.{second}" if kind in {"user", "group"} else first)
    if user.is_active and not user.is_superuser:
        # ModelBackend's own per-object caches (a superuser's are every permission: left to it).
        user._user_perm_cache = found["user"]
        user._group_perm_cache = found["group"]
        user._perm_cache = found["user"] | found["group"]
    user._portal_has_mfa = bool(found["mfa"])
    user._portal_role_names = frozenset(found["role"])


def is_staff_user(user) -> bool:
    """Administrator or secretariat: the people who run the portal."""
    return user.is_authenticated and (user.is_staff or has_role(user, *STAFF_ROLES))


def can(user, perm: str) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if not user.is_superuser:
        load_access(user)
    return user.has_perm(perm)


def require(request, perm: str | None = None) -> None:
    """Raise PermissionDenied unless the request's user holds `perm` (or is logged in)."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    if perm is not None and not can(request.user, perm):
        raise PermissionDenied


def permission_required(perm: str | None = None):
    """Decorate a view: anonymous -> login page, logged in without `perm` -> 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require(request, perm)
            return view(request, *args, **kwargs)

        # Read by may_open() (and so by the navigation): a link is shown exactly when this
        # check would let the person in.
        wrapped.portal_permission = perm
        return wrapped

    return decorator


login_required = permission_required(None)

_PUBLIC = object()


def may_open(user, view) -> bool:
    """Whether `permission_required` on `view` (if any) lets `user` in. Views without the
    decorator are public (tests/security/test_anonymous_access.py keeps that list honest)."""
    perm = getattr(view, "portal_permission", _PUBLIC)
    if perm is _PUBLIC:
        return True
    if not user.is_authenticated:
        return False
    return perm is None or can(user, perm)


def recently_authenticated(request) -> bool:
    """Whether this session's last authentication (login, TOTP step or re-authentication)
    is younger than ACCOUNT_REAUTHENTICATION_TIMEOUT (allauth's records of the session)."""
    from allauth.account.authentication import get_authentication_records

    moments = [record.get("at", 0) for record in get_authentication_records(request, request.user)]
    return bool(moments) and time.time() - max(moments) < settings.ACCOUNT_REAUTHENTICATION_TIMEOUT


def reauthentication_required(view):
    """Decorate a sensitive action (inviting, changing roles, erasing a person): a POST from a
    session last authenticated too long ago is suspended while allauth asks for the password
    (or a TOTP code) again, then carried out. GETs pass."""
    from allauth.account.decorators import reauthentication_required as allauth_required

    return allauth_required(
        view, allow_get=True, enabled=lambda request: not recently_authenticated(request)
    )
