from django.db.models import QuerySet

from accounts.models import Invitation


def invitation_list() -> QuerySet[Invitation]:
    return Invitation.objects.select_related("invited_by", "user").order_by("-created_at")
