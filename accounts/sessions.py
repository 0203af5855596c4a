"""The session engine (SESSION_ENGINE): Django's database sessions, read together with their
user and the user's access in one statement.

Sessions stay in PostgreSQL, in Django's own table, with the same expiry rule (a session is
read while its expiry date is ahead). The statement that reads one also reads the user that
allauth's session list (`usersessions`, which has a row per signed-in session) ties it to.
While the authentication middleware works out the request's user
(`accounts.middleware.AuthenticationMiddleware`), the user manager's `get(pk=...)` (what
Django's ModelBackend calls) takes that user, and only if it is the one the session names
(`_auth_user_id`); Django's own checks (active, the session's password hash) then run on it
as on a user read by itself. A session without such a row, or naming another user, reads its
user with a statement of its own, as before. The same statement answers what the permission
checks ask about that user (roles, permissions, second factor: accounts.permissions.
load_access, asked by every page that shows the navigation), kept on the user when it is
taken. A signed-in page so pays one statement before its own work instead of three.
"""

import functools
import json
from contextvars import ContextVar

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

# The session whose request's user is being worked out (set around auth.get_user by
# accounts.middleware.AuthenticationMiddleware, and only then): UserManager.get takes the
# user read with it from here.
authenticating: ContextVar = ContextVar("authenticating", default=None)

# Off: the session alone is read, and the user by itself (tests compare both ways).
with_user = True


@functools.cache
def _statement(using: str, session_model, with_user: bool) -> tuple[str, list[str], list[str]]:
    """The session by key while unexpired, with the user its allauth session row names."""
    from allauth.usersessions.models import UserSession

    from accounts.models import User

    q = connections[using].ops.quote_name
    session_columns = [field.column for field in session_model._meta.concrete_fields]
    user_fields = User._meta.concrete_fields
    tracked = UserSession._meta
    select = [f"s.{q(column)}" for column in session_columns]
    if with_user and _converted(using, User):
        with_user = False  # a column read needs converting as the ORM would: left to it
    if with_user:
        from accounts.permissions import _access_sql

        select += [f"u.{q(field.column)}" for field in user_fields]
        # And what the permission checks will ask (accounts.permissions.load_access). Names
        # from the models only; the values are parameters.
        select.append(
            "(SELECT json_agg(json_build_array(access.first, access.second, access.kind))::text"  # noqa: S608
            f" FROM ({_access_sql(f'u.{q(User._meta.pk.column)}')})"
            " access(first, second, kind))"
        )
        joins = (
            f" LEFT JOIN {q(tracked.db_table)} us"
            f" ON us.{q(tracked.get_field('session_key').column)}"
            f" = s.{q(session_model._meta.get_field('session_key').column)}"
            f" LEFT JOIN {q(User._meta.db_table)} u"
            f" ON u.{q(User._meta.pk.column)} = us.{q(tracked.get_field('user').column)}"
        )
    else:
        joins = ""
    sql = (
        f"SELECT {', '.join(select)} FROM {q(session_model._meta.db_table)} s{joins}"  # noqa: S608
        f" WHERE s.{q(session_model._meta.get_field('session_key').column)} = %s"
        f" AND s.{q(session_model._meta.get_field('expire_date').column)} > %s"
    )
    return (
        sql,
        [field.attname for field in session_model._meta.concrete_fields],
        [field.attname for field in user_fields],
    )


def _converted(using: str, model) -> bool:
    """Whether the ORM converts any of the model's columns after reading them."""
    compiler = model._base_manager.db_manager(using).filter(pk=0).query.get_compiler(using)
    compiler.setup_query()
    return bool(compiler.get_converters([column for column, _sql, _alias in compiler.select]))


class SessionStore(db.SessionStore):
    _read_user = None

    def _get_session_from_db(self):
        # As Django's: the unexpired session with this key, or None (and no key).
        from accounts.models import User

        model = self.model
        using = router.db_for_read(model)
        sql, session_names, user_names = _statement(using, model, with_user)
        with connections[using].cursor() as cursor:
            cursor.execute(sql, [self.session_key, timezone.now()])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        session_row = row[: len(session_names)]
        user_row = row[len(session_names) : len(session_names) + len(user_names)]
        if user_row and user_row[0] is not None:
            access = row[-1]
            self._read_user = (
                User.from_db(using, user_names, user_row),
                json.loads(access) if access else [],
            )
        else:
            self._read_user = None
        return model.from_db(using, session_names, session_row)

    def take_user(self, pk: int):
        """The user read with the session, with what the permission checks ask about it, if
        it has primary key `pk` (once: a later lookup reads its own copy)."""
        from accounts.permissions import access_from_rows

        read, self._read_user = self._read_user, None
        if read is None or read[0].pk != pk:
            return None
        user, access = read
        access_from_rows(user, access)
        return user
