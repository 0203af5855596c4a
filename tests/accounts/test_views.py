import io
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from accounts.models import Invitation, User
from tests.accounts.helpers import sign_in
from tests.factories import PASSWORD


@pytest.mark.django_db
@pytest.mark.parametrize("email", [email for email, _name, _role in DEMO_ACCOUNTS])
def test_login_demo_account_succeeds(client, email):
    call_command("load_demo", stdout=io.StringIO())
    response = client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/").context["user"].email == email


@pytest.mark.django_db
def test_login_wrong_password_shows_error_and_stays_anonymous(client, member):
    response = client.post(
        reverse("account_login"), {"login": member.email, "password": "not-the-password"}
    )
    assert response.status_code == 200
    assert "lösenordet är felaktigt" in response.content.decode()
    assert not response.context["user"].is_authenticated


@pytest.mark.django_db
def test_login_unverified_email_is_held_back(client):
    from tests.factories import make_user

    user = make_user("council_member")
    EmailAddress.objects.filter(user=user).update(verified=False)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_signup_is_closed(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "password1": "x-long-password-1",
            "password2": "x-long-password-1",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="new@example.org").exists()
    assert "signup_closed" in response.templates[0].name


@pytest.mark.django_db
def test_invitation_create_sends_link_that_sets_password(
    client, secretariat, django_capture_on_commit_callbacks
):
    # Inviting is a sensitive action: it needs a session authenticated in the last 15 minutes.
    sign_in(client, secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:invitation_list"),
            {"full_name": "Vera Nyström", "email": "Vera@Example.org", "role": "council_member"},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["vera@example.org"]
    link = re.search(r"http://testserver(/accounts/invitations/accept/[^/\s]+/)", message.body)
    assert link, message.body

    client.logout()
    page = client.get(link.group(1))
    assert page.status_code == 200
    assert "vera@example.org" in page.content.decode()
    response = client.post(
        link.group(1), {"password1": "sommar-i-skane-2026", "password2": "sommar-i-skane-2026"}
    )
    assert response.status_code == 302
    user = User.objects.get(email="vera@example.org")
    assert user.full_name == "Vera Nyström"
    assert list(user.groups.values_list("name", flat=True)) == ["council_member"]
    assert EmailAddress.objects.get(user=user).verified is True
    assert user.check_password("sommar-i-skane-2026")
    # The link works once.
    assert client.get(link.group(1)).status_code == 410


@pytest.mark.django_db
def test_invitation_accept_mismatched_passwords_shows_field_error(client, secretariat):
    from accounts.services import invitation_create

    _invitation, token = invitation_create(
        email="a@example.org",
        full_name="A",
        role="council_member",
        invited_by=secretariat,
        base_url="http://testserver/",
    )
    url = reverse("accounts:invitation_accept", args=[token])
    response = client.post(url, {"password1": "sommar-i-skane-2026", "password2": "annat-2026-x"})
    assert response.status_code == 200
    assert response.context["form"].errors["password2"] == ["De två lösenorden skiljer sig åt."]
    assert not User.objects.filter(email="a@example.org").exists()


@pytest.mark.django_db
def test_invitation_unknown_token_is_404(client):
    response = client.get(reverse("accounts:invitation_accept", args=["nonsense"]))
    assert response.status_code == 404
    assert "inte användas" in response.content.decode()


@pytest.mark.django_db
def test_invitation_to_existing_account_is_refused_next_to_field(client, secretariat, member):
    sign_in(client, secretariat)
    response = client.post(
        reverse("accounts:invitation_list"),
        {"full_name": "X", "email": member.email, "role": "council_member"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "Det finns redan ett konto med den här adressen."
    ]
    assert Invitation.objects.count() == 0


@pytest.mark.django_db
def test_invitation_list_forbidden_for_member(client, member):
    client.force_login(member)
    assert client.get(reverse("accounts:invitation_list")).status_code == 403
    response = client.post(
        reverse("accounts:invitation_list"),
        {"full_name": "X", "email": "x@example.org", "role": "secretariat"},
    )
    assert response.status_code == 403
    assert Invitation.objects.count() == 0


@pytest.mark.django_db
def test_invitation_revoke_makes_link_unusable(client, secretariat):
    from accounts.services import invitation_create

    invitation, token = invitation_create(
        email="b@example.org",
        full_name="B",
        role="process_leader",
        invited_by=secretariat,
        base_url="http://testserver/",
    )
    client.force_login(secretariat)
    revoke = reverse("accounts:invitation_revoke", args=[invitation.pk])
    assert client.post(revoke).status_code == 200  # the question first
    assert client.get(reverse("accounts:invitation_accept", args=[token])).status_code == 200
    client.force_login(secretariat)
    response = client.post(revoke, {"confirmed": "yes"})
    assert response.status_code == 302
    client.logout()
    assert client.get(reverse("accounts:invitation_accept", args=[token])).status_code == 410


@pytest.mark.django_db
def test_staff_without_mfa_is_sent_to_totp_setup_when_required(client, settings, secretariat):
    settings.PORTAL_REQUIRE_MFA_FOR_STAFF = True
    client.force_login(secretariat)
    response = client.get(reverse("secretariat"))
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("mfa_activate_totp")
    # The set-up page itself stays reachable (allauth asks for the password again first).
    assert client.get(reverse("mfa_activate_totp"), follow=True).status_code == 200


@pytest.mark.django_db
def test_staff_with_totp_reaches_staff_pages_when_mfa_required(client, settings, secretariat):
    from allauth.mfa.models import Authenticator

    settings.PORTAL_REQUIRE_MFA_FOR_STAFF = True
    Authenticator.objects.create(
        user=secretariat, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    # Since issue 9 the session must have used the second factor, not only have it set up.
    sign_in(client, secretariat, second_factor=True)
    assert client.get(reverse("secretariat")).status_code == 200


@pytest.mark.django_db
def test_member_is_not_forced_to_mfa(client, settings, member):
    settings.PORTAL_REQUIRE_MFA_FOR_STAFF = True
    client.force_login(member)
    assert client.get("/").status_code == 200
