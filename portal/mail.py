"""One way to send the portal's email: one message per recipient, in their language.

Every message is rendered from three templates, ``<name>_subject.txt``, ``<name>.txt`` and
(optional) ``<name>.html``, under a translation override for the recipient: a user's chosen
language (``User.language``), else the language given by the caller (for people without an
account: the language they used when they gave us their address), else the portal default.
Each recipient gets a message of their own, so no message lists anyone else's address.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str
    user: object | None = None


def recipient_language(user=None, fallback: str | None = None) -> str:
    """The language a message to this person is written in."""
    codes = {code for code, _name in settings.LANGUAGES}
    for candidate in (getattr(user, "language", ""), fallback):
        if candidate and candidate.split("-")[0] in codes:
            return candidate.split("-")[0]
    return settings.LANGUAGE_CODE.split("-")[0]


def _recipients(to, language: str | None) -> list[Recipient]:
    if isinstance(to, str) or not isinstance(to, Iterable):
        to = [to]
    found: dict[str, Recipient] = {}
    for item in to:
        if item is None:
            continue
        if isinstance(item, str):
            email, user = item, None
        else:
            email, user = getattr(item, "email", ""), item
            if getattr(user, "erased_at", None) is not None or not getattr(user, "is_active", True):
                continue
        if email and email.lower() not in found:
            found[email.lower()] = Recipient(email, recipient_language(user, language), user)
    return list(found.values())


def render_message(template: str, context: dict, recipient: Recipient) -> EmailMultiAlternatives:
    """Build (not send) the message ``template`` for one recipient."""
    context = {
        "portal_name": settings.PORTAL_NAME,
        "base_url": settings.PORTAL_BASE_URL,
        "secretariat_email": settings.PORTAL_SECRETARIAT_EMAIL,
        "recipient": recipient.user,
        "recipient_email": recipient.email,
        **context,
    }
    with translation.override(recipient.language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
        try:
            html = render_to_string(f"{template}.html", context)
        except TemplateDoesNotExist:
            html = None
    message = EmailMultiAlternatives(
        subject=f"[{settings.PORTAL_NAME}] {subject}",
        body=body,
        to=[recipient.email],
        reply_to=[settings.PORTAL_SECRETARIAT_EMAIL],
        headers={"Content-Language": recipient.language, "Auto-Submitted": "auto-generated"},
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message


def without_opted_out(recipients: list[Recipient], kind: str) -> list[Recipient]:
    """Drop the people who turned notifications of `kind` off (accounts.notifications).

    An address given without its user counts as that user's when an account has it."""
    from django.contrib.auth import get_user_model

    from accounts.notifications import opted_out_user_ids

    users = {r.email.lower(): r.user for r in recipients if r.user is not None}
    loose = [r.email for r in recipients if r.user is None]
    if loose:
        model = get_user_model()
        for user in model.objects.filter(email__in=loose):
            users.setdefault(user.email.lower(), user)
    off = opted_out_user_ids(kind, {user.pk for user in users.values()})
    return [r for r in recipients if getattr(users.get(r.email.lower()), "pk", None) not in off]


def send_templated_mail(
    template: str, to, context: dict | None = None, *, language=None, kind: str | None = None
) -> int:
    """Send ``template`` to each recipient (users or addresses); returns how many were sent.

    ``to`` is a user, an address or an iterable of them; duplicates, erased and inactive users
    are skipped. ``language`` is the fallback for recipients without a chosen language.
    ``kind`` names a registered notification kind: people who turned it off get nothing.
    """
    recipients = _recipients(to, language)
    if kind is not None:
        recipients = without_opted_out(recipients, kind)
    sent = 0
    for recipient in recipients:
        sent += render_message(template, context or {}, recipient).send()
    return sent
