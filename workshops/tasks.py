"""Background work of the workshops app: thin adapters that call a service."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from workshops import services


@shared_task(
    name="workshops.erase_expired_registrations",
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=60,
    max_retries=5,
)
def erase_expired_registrations() -> int:
    """Daily (Celery beat): erase personal data of workshops past the retention time."""
    return services.registrations_erase_expired()
