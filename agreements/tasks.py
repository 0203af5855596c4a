"""Beat tasks: thin adapters around agreements.services (the schedule is in settings)."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from agreements import services


@shared_task(
    name="agreements.send_due_reminders",
    bind=True,
    max_retries=3,
    autoretry_for=(OperationalError, InterfaceError, ConnectionError),
    retry_backoff=60,
)
def send_due_reminders(self) -> int:
    """Daily: process leaders hear of assessment rounds and actions falling due."""
    return services.due_reminders_send()
