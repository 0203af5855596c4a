"""portal.mail: one message per recipient, in the recipient's language, text and HTML."""

import pytest
from django.core import mail
from django.urls import reverse

from portal.mail import recipient_language, send_templated_mail

TEMPLATES = {
    "t/hello_subject.txt": "{% load i18n %}{% translate 'Meeting' %} {{ what }}\n",
    "t/hello.txt": "{% load i18n %}{% translate 'Cancel' %}: {{ what }} {{ recipient_email }}",
    "t/hello.html": "<p>{{ what }}</p>",
    "t/plain_subject.txt": "Plain",
    "t/plain.txt": "Only text",
}


@pytest.fixture
def locmem_templates(settings):
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [settings.BASE_DIR / "templates"],
            "OPTIONS": {
                "loaders": [
                    ("django.template.loaders.locmem.Loader", TEMPLATES),
                    "django.template.loaders.filesystem.Loader",
                    "django.template.loaders.app_directories.Loader",
                ],
            },
        }
    ]


def test_each_recipient_gets_their_own_message_in_their_language(
    locmem_templates, member, secretariat
):
    member.language = "en"
    member.save()
    sent = send_templated_mail(
        "t/hello", [member, secretariat, "guest@example.org", member.email], {"what": "X"}
    )
    assert sent == 3
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {member.email, secretariat.email, "guest@example.org"}
    assert all(
        len(message.to) == 1 and not message.cc and not message.bcc for message in mail.outbox
    )
    assert "Meeting X" in by_address[member.email].subject
    assert "Möte X" in by_address[secretariat.email].subject
    assert by_address[member.email].body.startswith("Cancel: X")
    assert by_address["guest@example.org"].extra_headers["Content-Language"] == "sv"
    html, mimetype = by_address[member.email].alternatives[0]
    assert mimetype == "text/html" and "<p>X</p>" in html


def test_a_fallback_language_serves_people_without_an_account(locmem_templates):
    send_templated_mail("t/plain", "guest@example.org", language="en-gb")
    (message,) = mail.outbox
    assert message.extra_headers["Content-Language"] == "en"
    html, _type = message.alternatives[0]  # the text in the portal's layout
    assert "<p>Only text</p>" in html and 'lang="en"' in html
    assert recipient_language(None, "fi") == "sv"


def test_erased_and_inactive_people_get_nothing(locmem_templates, member):
    member.is_active = False
    member.save()
    assert send_templated_mail("t/plain", [member]) == 0
    assert mail.outbox == []


def test_the_language_switch_remembers_a_signed_in_persons_choice(client, member):
    client.force_login(member)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.language == "en"
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    member.refresh_from_db()
    assert member.language == "en"


def test_an_anonymous_language_switch_still_works(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"


def test_a_text_message_gets_the_portal_layout_a_button_and_a_footer(locmem_templates, settings):
    settings.PORTAL_BASE_URL = "https://rad.example.org"
    send_templated_mail(
        "t/plain",
        "guest@example.org",
        {"action_url": "/council/", "action_label": "Open", "reason": "You are a member."},
    )
    (message,) = mail.outbox
    html, _type = message.alternatives[0]
    assert 'href="https://rad.example.org/council/"' in html
    assert "Samverkansrådet" in html and "<p>Only text</p>" in html
    assert "You are a member." in html
    assert message.body.startswith("Only text")
    assert "Open: https://rad.example.org/council/" in message.body
    assert message.reply_to == [settings.PORTAL_SECRETARIAT_EMAIL]


def _reset(client, email, host="localhost:8123"):
    return client.post(reverse("account_reset_password"), {"email": email}, HTTP_HOST=host)


def test_allauth_email_is_branded_in_the_recipients_language_with_links_to_the_host_used(
    client, member
):
    member.language = "en"
    member.save()
    response = _reset(client, member.email)
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject.startswith("[Samverkansrådet] ")
    assert "localhost" not in message.subject and "testserver" not in message.subject
    assert message.body.startswith("Hello,")
    assert "Kind regards" in message.body
    assert "http://localhost:8123/accounts/password/reset/key/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "http://localhost:8123/accounts/password/reset/key/" in html
    assert message.extra_headers["Content-Language"] == "en"


def test_a_reset_for_an_unknown_address_does_not_offer_the_closed_sign_up(client, db):
    _reset(client, "stranger@example.org")
    (message,) = mail.outbox
    assert "/accounts/signup/" not in message.body
    assert "sekretariat@example.org" in message.body
    assert "inbjudan" in message.body  # Swedish, the default language
