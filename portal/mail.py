"""One way to send the portal's email: one message per recipient, in their language, as
plain text with an HTML part.

Every message is rendered from ``<name>_subject.txt`` and ``<name>.txt`` (and, if a message
needs its own markup, ``<name>.html``) under a translation override for the recipient: a
user's chosen language (``User.language``), else the language given by the caller (for people
without an account: the language they used when they gave us their address), else the portal
default. Without its own ``.html`` the HTML part is the text in the portal's one email layout
(``templates/email/base.html``): the portal's name, the text, a button for ``action_url``
(labelled ``action_label``), why the person got the message (``reason``) and how to stop it
(``stop_url``) where that applies. The plain-text part ends with the same reason and link.
Each recipient gets a message of their own, so no message lists anyone else's address.

Links: ``site_url(path)`` is the request's own origin while a request is being served (so a
portal reached on another host or port links there) and ``PORTAL_BASE_URL`` in background jobs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from portal.middleware import current_origin


def site_url(path: str = "") -> str:
    """An absolute link to ``path`` on the portal, for emails and calendars."""
    if path.startswith(("http://", "https://")):
        return path
    origin = current_origin.get() or settings.PORTAL_BASE_URL
    return f"{origin.rstrip('/')}{path}"


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


def _common_context(context: dict, recipient_email: str, user=None) -> dict:
    context = {
        "portal_name": settings.PORTAL_NAME,
        "base_url": site_url(),
        "secretariat_email": settings.PORTAL_SECRETARIAT_EMAIL,
        "recipient": user,
        "recipient_email": recipient_email,
        **context,
    }
    for key in ("action_url", "stop_url"):
        if context.get(key):
            context[key] = site_url(str(context[key]))
    return context


def html_from_text(text: str, context: dict) -> str:
    """The HTML part for a message written as text: the text in the portal's layout."""
    return render_to_string("email/base.html", {**context, "body_text": text})


def _footer(context: dict) -> str:
    return render_to_string("email/footer.txt", context).strip()


def build(
    *, subject: str, text: str, html: str | None, context: dict, to: str, language: str
) -> EmailMultiAlternatives:
    """Assemble one message (both parts, headers) from rendered pieces."""
    footer = _footer(context)
    body = f"{text.rstrip()}\n\n-- \n{footer}\n" if footer else text
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        to=[to],
        reply_to=[settings.PORTAL_SECRETARIAT_EMAIL],
        headers={"Content-Language": language, "Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html or html_from_text(text, context), "text/html")
    return message


def render_message(template: str, context: dict, recipient: Recipient) -> EmailMultiAlternatives:
    """Build (not send) the message ``template`` for one recipient."""
    with translation.override(recipient.language):
        context = _common_context(context, recipient.email, recipient.user)
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        try:
            html = render_to_string(f"{template}.html", context)
        except TemplateDoesNotExist:
            html = None
        return build(
            subject=f"[{settings.PORTAL_NAME}] {subject}",
            text=text,
            html=html,
            context=context,
            to=recipient.email,
            language=recipient.language,
        )


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
