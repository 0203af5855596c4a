"""Kinds of email notification, registered by the apps that send them.

An app registers each kind it sends (a code and a label) from its AppConfig.ready(); the
Notifications page (/accounts/notifications/) lists them, and a person can turn each off.
`portal.mail.send_templated_mail(..., kind=code)` skips the users who turned that kind off.
Accounts never imports the apps that register here.
"""

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class NotificationKind:
    code: str
    label: str | Promise
    description: str | Promise = ""


_KINDS: dict[str, NotificationKind] = {}


def register(kind: NotificationKind) -> NotificationKind:
    if kind.code in _KINDS and _KINDS[kind.code] != kind:
        raise ValueError(f"Notification kind {kind.code!r} is registered twice.")
    _KINDS[kind.code] = kind
    return kind


def get(code: str) -> NotificationKind | None:
    return _KINDS.get(code)


def all_kinds() -> list[NotificationKind]:
    return list(_KINDS.values())


def opted_out_user_ids(code: str, user_ids) -> set[int]:
    """Of `user_ids`, those who turned notifications of kind `code` off."""
    from accounts.models import NotificationOptOut

    if get(code) is None:
        raise ValueError(f"Unknown notification kind {code!r}: register it first.")
    return set(
        NotificationOptOut.objects.filter(kind=code, user_id__in=list(user_ids)).values_list(
            "user_id", flat=True
        )
    )
