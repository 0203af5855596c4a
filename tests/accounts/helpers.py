"""Signing in as allauth does, for tests that need a session's authentication records."""

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.usersessions.models import UserSession
from django.urls import reverse

from tests.factories import PASSWORD

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_enable(user) -> Authenticator:
    return TOTP.activate(user, TOTP_SECRET).instance


def totp_code(offset: int = 0) -> str:
    """The code an authenticator app shows now (offset in 30 s steps)."""
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30 + offset))


def sign_in(client, user, *, second_factor: bool = False, seconds_ago: float = 0) -> None:
    """A logged-in session whose records say how (and when) it was authenticated.

    The same records allauth writes on a password login and on a TOTP step, and its row in
    the session list; `seconds_ago` makes the session older, for the re-authentication rule.
    """
    client.force_login(user)
    at = time.time() - seconds_ago
    records = [{"method": "password", "at": at, "email": user.email}]
    if second_factor:
        records.append({"method": "mfa", "at": at, "type": "totp"})
    session = client.session
    session["account_authentication_methods"] = records
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    # The session-list row allauth's login writes (force_login does not); the session is
    # read with its user through it (accounts/sessions.py).
    UserSession.objects.get_or_create(
        session_key=session.session_key,
        defaults={"user": user, "ip": "127.0.0.1", "user_agent": "tests"},
    )


def password_login(client, email: str, password: str = PASSWORD, path: str | None = None):
    return client.post(path or reverse("account_login"), {"login": email, "password": password})
