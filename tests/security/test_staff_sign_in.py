"""Finding 1: staff sign-in has one way in, and it asks for the second factor every session.

The Django admin's own login form once accepted an administrator's password alone (no TOTP,
no attempt limit) and opened /admin/, /secretariat/ and the person export.
"""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from tests.accounts.helpers import password_login, sign_in, totp_code, totp_enable
from tests.factories import PASSWORD

STAFF_PAGES = ["/admin/", "/secretariat/", "/directory/people/"]


@pytest.fixture
def mfa_required(settings):
    settings.PORTAL_REQUIRE_MFA_FOR_STAFF = True


def _reaches(client, path) -> bool:
    return client.get(path).status_code == 200


@pytest.mark.django_db
def test_admin_login_form_with_password_alone_opens_nothing(client, mfa_required, administrator):
    totp_enable(administrator)
    client.post(
        "/admin/login/?next=/admin/",
        {"username": administrator.email, "password": PASSWORD, "next": "/admin/"},
    )
    for path in STAFF_PAGES:
        assert not _reaches(client, path), path


@pytest.mark.django_db
def test_admin_login_is_the_allauth_login(client, administrator):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/login/?next=%2Fadmin%2F"


@pytest.mark.django_db
def test_admin_login_refuses_the_right_password_after_five_wrong_ones(client, administrator):
    for _attempt in range(5):
        client.post("/admin/login/", {"username": administrator.email, "password": "wrong-1234"})
    client.post("/admin/login/", {"username": administrator.email, "password": PASSWORD})
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_allauth_login_refuses_the_sixth_attempt_with_429(client, administrator):
    for _attempt in range(5):
        response = password_login(client, administrator.email, "wrong-1234")
        assert response.status_code == 200
    response = password_login(client, administrator.email)
    assert response.status_code == 429
    assert "För många" in response.content.decode()
    assert not _reaches(client, "/secretariat/")


@pytest.mark.django_db
def test_password_session_of_staff_with_totp_is_sent_to_the_totp_step(
    client, mfa_required, administrator
):
    totp_enable(administrator)
    sign_in(client, administrator, second_factor=False)
    for path in STAFF_PAGES:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"] == f"{reverse('mfa_reauthenticate')}?" + urlencode(
            {"next": path}
        )


@pytest.mark.django_db
def test_staff_without_totp_is_sent_to_setup_from_every_staff_page(
    client, mfa_required, secretariat
):
    sign_in(client, secretariat)
    for path in ["/secretariat/", reverse("accounts:invitation_list"), reverse("account_email")]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"] == reverse("mfa_activate_totp"), path


@pytest.mark.django_db
def test_login_with_password_and_totp_reaches_staff_pages(client, mfa_required, administrator):
    totp_enable(administrator)
    response = password_login(client, administrator.email)
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("mfa_authenticate")
    assert not _reaches(client, "/secretariat/")
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 302
    for path in STAFF_PAGES:
        assert _reaches(client, path), path


@pytest.mark.django_db
def test_totp_step_for_a_password_session_opens_staff_pages(client, mfa_required, administrator):
    totp_enable(administrator)
    sign_in(client, administrator)
    response = client.post(
        f"{reverse('mfa_reauthenticate')}?next=/secretariat/", {"code": totp_code()}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/secretariat/"
    assert _reaches(client, "/secretariat/")


@pytest.mark.django_db
def test_pages_needed_to_sign_in_stay_reachable_without_second_factor(
    client, mfa_required, secretariat
):
    sign_in(client, secretariat)
    assert client.get(reverse("mfa_activate_totp"), follow=True).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302
    assert not client.get("/").context["user"].is_authenticated
