"""Abuse limits on the portal's open doors, with allauth's rate limiter.

allauth already counts logins and password resets in the shared cache, keyed on the
visitor's address behind ALLAUTH_TRUSTED_PROXY_COUNT proxies. The same limiter guards the
portal's own forms, so there is one implementation and one setting syntax: each action in
settings.PORTAL_RATE_LIMITS is a list of rates such as "10/10m/ip,100/h/key" (per address,
per account with `user`, per target with `key`). Past a limit the answer is 429 with the
translated page from portal.views.too_many_requests. With the cache down the limits fail open
(portal/cache.py logs it).
"""

import functools
from collections.abc import Callable

from allauth.core.ratelimit import consume_or_429
from django.conf import settings


def rate_limit(
    action: str,
    *,
    key: Callable[..., str] | None = None,
    limit_get: bool = False,
):
    """Decorate a view: count each POST (and each GET with `limit_get`) against `action`.

    `key(request, *args, **kwargs)` names the target a `key` rate counts per (a workshop, an
    invitation token); `user` rates count per logged-in account.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            refused = consume_or_429(
                request,
                action=action,
                config=settings.PORTAL_RATE_LIMITS,
                key=key(request, *args, **kwargs) if key else None,
                limit_get=limit_get,
            )
            if refused is not None:
                return refused
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def per_object(name: str) -> Callable[..., str]:
    """A `key` for rate_limit: the URL argument `name` (a workshop's id, a token)."""

    def key(request, *args, **kwargs) -> str:
        return f"{name}:{kwargs.get(name)}"

    return key
