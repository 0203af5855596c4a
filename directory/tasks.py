from celery import shared_task
from django.db import InterfaceError, OperationalError

from directory import services


@shared_task(
    name="directory.send_confirmation_reminders",
    bind=True,
    max_retries=3,
    autoretry_for=(OperationalError, InterfaceError, ConnectionError),
    retry_backoff=60,
)
def send_confirmation_reminders(self) -> int:
    """Beat runs this daily; services decide which organisations are due for the question."""
    return services.confirmation_reminders_send()


@shared_task(
    name="directory.purge_expired_suggestions",
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=60,
    max_retries=5,
)
def purge_expired_suggestions() -> int:
    """Daily (Celery beat): suggestions past SUGGESTION_RETENTION_MONTHS are deleted."""
    return services.suggestions_purge_expired()
