"""Beat tasks: thin adapters around council.services (the schedule is in settings)."""

from celery import shared_task

from council import services


@shared_task(name="council.send_meeting_reminders")
def send_meeting_reminders() -> int:
    return services.meeting_reminders_send()


@shared_task(name="council.send_overdue_action_reminders")
def send_overdue_action_reminders() -> int:
    """Daily: reminders before a due date, and for overdue items."""
    return (
        services.action_item_due_soon_reminders_send()
        + services.action_item_overdue_reminders_send()
    )


@shared_task(name="council.send_meeting_email", acks_late=True)
def send_meeting_email(*, meeting_id: int, kind: str, language: str = "sv") -> int:
    return services.meeting_email_send(meeting_id=meeting_id, kind=kind, language=language)
