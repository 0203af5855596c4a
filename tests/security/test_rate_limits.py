"""Finding 4: every open door has a limit, per address and per account or target; past it
the answer is 429 in the visitor's language and nothing more is written or sent."""

import pytest
from django.core import mail
from django.urls import reverse

from directory.models import Suggestion
from reports.models import ReportJob
from reports.services import report_job_request
from tests.workshops.conftest import make_workshop
from workshops.consent import CURRENT_CONSENT_VERSION

pytestmark = pytest.mark.django_db

SWEDISH_429 = "För många försök"


@pytest.fixture
def limits(settings):
    """Small limits for the test (the defaults are the same mechanism with bigger numbers)."""

    def set_limit(action: str, rates: str) -> None:
        settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, action: rates}

    return set_limit


def _register(client, workshop, number, address="192.0.2.1"):
    return client.post(
        reverse("workshops:detail", args=[workshop.pk]),
        {
            "name": f"Deltagare {number}",
            "email": f"d{number}@example.org",
            "consent": "on",
            "consent_version": CURRENT_CONSENT_VERSION,
        },
        REMOTE_ADDR=address,
    )


def test_every_open_door_has_a_default_limit(settings):
    for action in (
        "workshop_register",
        "workshop_contribute",
        "workshop_walk_in",
        "workshop_contribution_staff",
        "directory_suggest",
        "directory_name_lookup",
        "report_request",
        "invitation_accept",
    ):
        assert settings.PORTAL_RATE_LIMITS[action], action
    for action in ("login", "login_failed", "reset_password"):
        assert settings.ACCOUNT_RATE_LIMITS[action], action


def test_workshop_registration_per_address(client, limits):
    limits("workshop_register", "3/h/ip")
    workshop = make_workshop(capacity=40)
    for number in range(3):
        assert _register(client, workshop, number).status_code == 302
    sent = len(mail.outbox)
    response = _register(client, workshop, 99)
    assert response.status_code == 429
    assert SWEDISH_429 in response.content.decode()
    assert workshop.registrations.count() == 3
    assert len(mail.outbox) == sent
    # Another visitor is not held back.
    assert _register(client, workshop, 100, address="192.0.2.2").status_code == 302


def test_workshop_registration_per_workshop(client, limits):
    limits("workshop_register", "100/h/ip,2/h/key")
    workshop, other = make_workshop(capacity=40), make_workshop(capacity=40)
    assert _register(client, workshop, 1, address="192.0.2.1").status_code == 302
    assert _register(client, workshop, 2, address="192.0.2.2").status_code == 302
    assert _register(client, workshop, 3, address="192.0.2.3").status_code == 429
    assert _register(client, other, 4, address="192.0.2.3").status_code == 302


def test_directory_suggestions_in_one_second(client, limits):
    limits("directory_suggest", "3/h/ip")
    statuses = [
        client.post(
            reverse("directory:suggest"), {"name": f"Förening {n}", "message": "Vi gör saker"}
        ).status_code
        for n in range(12)
    ]
    assert statuses == [302] * 3 + [429] * 9
    assert Suggestion.objects.count() == 3


def test_organisation_name_lookup(client, limits):
    limits("directory_name_lookup", "5/h/ip")
    url = reverse("directory:name_options") + "?q=Fö"
    statuses = [client.get(url).status_code for _n in range(6)]
    assert statuses == [200] * 5 + [429]


def test_public_contribution_form(client, limits):
    limits("workshop_contribute", "2/h/ip")
    workshop = make_workshop(contributions_open=True)
    url = reverse("workshops:contribute", args=[workshop.pk, workshop.input_key])
    data = {"kind": "idea", "text": "Mer samverkan", "is_anonymous": "on"}
    statuses = [client.post(url, data).status_code for _n in range(3)]
    assert statuses == [302, 302, 429]
    assert workshop.contributions.count() == 2


def test_walk_in_per_account(client, limits, secretariat):
    limits("workshop_walk_in", "2/h/user")
    workshop = make_workshop()
    client.force_login(secretariat)
    url = reverse("workshops:walk_in", args=[workshop.pk])
    statuses = [client.post(url, {"name": f"Gäst {n}"}).status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    assert workshop.registrations.count() == 2


def test_invitation_acceptance_per_token(client, limits, secretariat):
    from accounts.services import invitation_create

    limits("invitation_accept", "100/h/ip,3/h/key")
    _invitation, token = invitation_create(
        email="a@example.org",
        full_name="A",
        role="council_member",
        invited_by=secretariat,
        base_url="http://x/",
    )
    url = reverse("accounts:invitation_accept", args=[token])
    statuses = [
        client.post(
            url, {"password1": "x", "password2": "y"}, REMOTE_ADDR=f"192.0.2.{n}"
        ).status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


def test_round_answers_through_a_personal_link_are_limited(client, db, limits):
    limits("round_answer", "3/h/ip")
    url = reverse("agreements:respond", args=["not-a-real-token"])
    statuses = [client.post(url, {"x": "1"}).status_code for _n in range(4)]
    assert statuses == [404, 404, 404, 429]


def test_password_reset_requests_are_limited(client):
    statuses = [
        client.post(reverse("account_reset_password"), {"email": "x@example.org"}).status_code
        for _n in range(6)
    ]
    assert statuses[-1] == 429


def test_report_requests_per_account(client, limits, secretariat):
    limits("report_request", "2/h/user")
    client.force_login(secretariat)
    url = reverse("reports:request")
    statuses = [client.post(url, {"kind": "portal_overview"}).status_code for _n in range(3)]
    assert statuses == [302, 302, 429]


def test_duplicate_report_request_returns_the_queued_one(secretariat):
    first = report_job_request(kind="portal_overview", requested_by=secretariat)
    again = report_job_request(kind="portal_overview", requested_by=secretariat)
    assert again.pk == first.pk
    assert ReportJob.objects.count() == 1


def test_a_handful_of_queued_reports_per_person(settings, secretariat, leader):
    from django.core.exceptions import ValidationError

    settings.REPORT_QUEUED_PER_USER = 2
    report_job_request(kind="portal_overview", requested_by=secretariat)
    report_job_request(kind="portal_overview", requested_by=secretariat, subject_id="b")
    with pytest.raises(ValidationError) as error:
        report_job_request(kind="portal_overview", requested_by=secretariat, subject_id="c")
    assert error.value.code == "too_many_queued"
    assert ReportJob.objects.filter(requested_by=secretariat).count() == 2
    # Someone else's queue is their own.
    report_job_request(kind="portal_overview", requested_by=leader)


def test_full_queue_in_the_page_is_a_message_not_an_error(client, settings, secretariat):
    settings.REPORT_QUEUED_PER_USER = 1
    client.force_login(secretariat)
    report_job_request(kind="portal_overview", requested_by=secretariat, subject_id="x")
    response = client.post(reverse("reports:request"), {"kind": "portal_overview"}, follow=True)
    assert response.status_code == 200
    assert ReportJob.objects.filter(requested_by=secretariat).count() == 1
    assert "rapporter" in response.content.decode()
