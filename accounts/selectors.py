from django.db.models import QuerySet

from accounts.models import ErasureRequest, Invitation


def invitation_list() -> QuerySet[Invitation]:
    return Invitation.objects.select_related("invited_by", "user").order_by("-created_at")


def erasure_requests_open() -> QuerySet[ErasureRequest]:
    return (
        ErasureRequest.objects.filter(handled_at__isnull=True)
        .select_related("user__person")
        .order_by("created_at")
    )


def erasure_request_open_for(user) -> ErasureRequest | None:
    return ErasureRequest.objects.filter(user=user, handled_at__isnull=True).first()
