"""Beat tasks of accounts: thin adapters around accounts.services (schedule in settings)."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from accounts import services

_RETRY = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 60,
    "max_retries": 5,
}


@shared_task(name="accounts.purge_expired_invitations", **_RETRY)
def purge_expired_invitations() -> int:
    return services.invitations_purge_expired()


@shared_task(name="accounts.purge_expired_sessions", **_RETRY)
def purge_expired_sessions() -> int:
    return services.sessions_purge_expired()
