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
