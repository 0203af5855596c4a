"""The one permission helper every view uses.

Views that need a login are decorated with `permission_required(...)` (or `login_required`
for pages any logged-in user may see); anonymous visitors go to the login page, logged-in
users without the permission get 403. Object-level rules (an editor's own organisation, a
process leader's own agreement) are checked in the view with `can()` and a selector that
filters by the user. tests/security/test_anonymous_access.py walks every URL and fails on
any view reachable anonymously that is not on its explicit public allowlist.
"""

import functools
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
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(_access_sql(), [user.pk] * 4)
        rows = cursor.fetchall()
    access_from_rows(user, rows)


def access_from_rows(user, rows) -> None:
    """Keep on `user` what load_access's statement answered (`rows`: its rows, also read
    with the session: accounts/sessions.py)."""
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


@functools.cache
def _access_sql(user_id: str = "%s") -> str:
    """load_access's statement, with the tables' and columns' names from the models;
    `user_id`: the SQL that gives the user's id (a parameter, or a column when the statement
    is a subquery of the session's: accounts/sessions.py)."""
    from allauth.mfa.models import Authenticator
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    q = connection.ops.quote_name
    user_model = get_user_model()
    user_groups = user_model._meta.get_field("groups").remote_field.through._meta
    user_perms = user_model._meta.get_field("user_permissions").remote_field.through._meta
    group_perms = Group._meta.get_field("permissions").remote_field.through._meta

    def column(meta, model) -> str:
        return q(next(f.column for f in meta.fields if f.related_model is model))

    names = {
        "perm": q(Permission._meta.db_table),
        "ct": q(ContentType._meta.db_table),
        "group": q(Group._meta.db_table),
        "mfa": q(Authenticator._meta.db_table),
        "mfa_user": column(Authenticator._meta, user_model),
        "ug": q(user_groups.db_table),
        "ug_user": column(user_groups, user_model),
        "ug_group": column(user_groups, Group),
        "up": q(user_perms.db_table),
        "up_user": column(user_perms, user_model),
        "up_perm": column(user_perms, Permission),
        "gp": q(group_perms.db_table),
        "gp_group": column(group_perms, Group),
        "gp_perm": column(group_perms, Permission),
    }
    # Names from the models, the user's id a parameter.
    return (  # noqa: S608
        "SELECT ct.app_label, p.codename, 'user' FROM {perm} p "
        "JOIN {ct} ct ON ct.id = p.content_type_id "
        "JOIN {up} up ON up.{up_perm} = p.id WHERE up.{up_user} = {user_id} "
        "UNION ALL "
        "SELECT ct.app_label, p.codename, 'group' FROM {perm} p "
        "JOIN {ct} ct ON ct.id = p.content_type_id "
        "JOIN {gp} gp ON gp.{gp_perm} = p.id "
        "JOIN {ug} ug ON ug.{ug_group} = gp.{gp_group} WHERE ug.{ug_user} = {user_id} "
        "UNION ALL "
        "SELECT g.name, '', 'role' FROM {group} g "
        "JOIN {ug} ug ON ug.{ug_group} = g.id WHERE ug.{ug_user} = {user_id} "
        "UNION ALL "
        "SELECT a.type, '', 'mfa' FROM {mfa} a WHERE a.{mfa_user} = {user_id}"
    ).format(**names, user_id=user_id)


def can(user, perm: str) -> bool:
    """Whether the user holds `perm`: answered once per permission and user object, i.e. per
    request (`user.has_perm` asks every authentication backend, made anew on each call: a
    home page asks some thirty times). Its answers rest on what load_access read for this
    user object, as has_perm's own caches do."""
    if not (user.is_authenticated and user.is_active):
        return False
    answers = getattr(user, "_portal_can", None)
    if answers is None:
        answers = user._portal_can = {}
    answer = answers.get(perm)
    if answer is None:
        if user.is_superuser:
            answer = True  # what PermissionsMixin.has_perm answers for an active superuser
        else:
            load_access(user)
            held = getattr(user, "_perm_cache", None)
            if held is not None and _model_backends_only(tuple(settings.AUTHENTICATION_BACKENDS)):
                answer = perm in held  # ModelBackend.has_perm's own answer
            else:
                answer = user.has_perm(perm)
        answers[perm] = answer
    return answer


@functools.cache
def _model_backends_only(paths: tuple[str, ...]) -> bool:
    """Whether every authentication backend answers `has_perm` with ModelBackend's code (from
    the permissions load_access puts on the user object), as Django's and allauth's do."""
    from django.contrib.auth.backends import ModelBackend
    from django.utils.module_loading import import_string

    def plain(backend) -> bool:
        return all(
            getattr(backend, name, None) is getattr(ModelBackend, name)
            for name in ("has_perm", "get_all_permissions", "_get_permissions")
        )

    return all(plain(import_string(path)) for path in paths)


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
