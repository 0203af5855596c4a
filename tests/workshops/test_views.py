from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.workshops.conftest import make_workshop, register
from workshops import services as workshop_services
from workshops.consent import CURRENT_CONSENT_VERSION
from workshops.models import Contribution, Registration

pytestmark = pytest.mark.django_db


def _form(**extra):
    return {
        "name": "Karin Lund",
        "email": "karin.lund@example.org",
        "organisation_name": "",
        "sector": "public",
        "gender": "woman",
        "accessibility_needs": "",
        "dietary_needs": "",
        "consent": "on",
        "consent_version": CURRENT_CONSENT_VERSION,
        **extra,
    }


def test_workshop_detail_registers_and_redirects_to_thanks(
    client, workshop, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("workshops:detail", args=[workshop.pk]), _form())
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("workshops:thanks", args=[workshop.pk])
    registration = Registration.objects.get()
    assert registration.sector.code == "public"
    assert registration.consent_version == CURRENT_CONSENT_VERSION
    assert len(mail.outbox) == 1
    page = client.get(response.headers["Location"])
    assert "Du är anmäld" in page.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "x" * 201}, "name", "som mest 200 tecken"),
        ({"email": "inte-en-adress"}, "email", "giltig e-postadress"),
        ({"accessibility_needs": "x" * 1001}, "accessibility_needs", "som mest 1000 tecken"),
        ({"consent": ""}, "consent", "Kryssa i rutan"),
        ({"name": ""}, "name", "måste fyllas i"),
    ],
)
def test_workshop_detail_bad_input_is_shown_next_to_field_and_saves_nothing(
    client, workshop, data, field, message
):
    response = client.post(reverse("workshops:detail", args=[workshop.pk]), _form(**data))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert message in response.content.decode()
    assert not Registration.objects.exists()


def test_workshop_detail_duplicate_email_gets_message(client, workshop):
    client.post(reverse("workshops:detail", args=[workshop.pk]), _form())
    response = client.post(
        reverse("workshops:detail", args=[workshop.pk]), _form(email="KARIN.lund@example.org")
    )
    assert response.status_code == 400
    assert "redan anmäld" in response.content.decode()
    assert Registration.objects.count() == 1


def test_workshop_detail_full_offers_waiting_list(client):
    workshop = make_workshop(capacity=1)
    register(workshop)
    url = reverse("workshops:detail", args=[workshop.pk])
    response = client.post(url, _form())
    assert response.status_code == 400
    body = response.content.decode()
    assert "väntelistan" in body
    assert Registration.objects.count() == 1
    response = client.post(url, _form(join_waiting_list="1"))
    assert response.status_code == 302
    assert Registration.objects.get(email="karin.lund@example.org").status == "waiting"


def test_workshop_detail_after_closing_is_refused(client):
    workshop = make_workshop(registration_closes_at=timezone.now() - timedelta(minutes=1))
    response = client.post(reverse("workshops:detail", args=[workshop.pk]), _form())
    assert response.status_code == 400
    assert "stängd" in response.content.decode()
    assert not Registration.objects.exists()


def test_workshop_detail_draft_is_not_found(client):
    workshop = make_workshop(state="draft")
    assert client.get(reverse("workshops:detail", args=[workshop.pk])).status_code == 404


def test_workshop_detail_honeypot_saves_nothing(client, workshop):
    response = client.post(
        reverse("workshops:detail", args=[workshop.pk]), _form(website_confirm="spam")
    )
    assert response.status_code == 302
    assert not Registration.objects.exists()


def test_cancel_link_cancels_and_bad_token_is_404(
    client, workshop, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("workshops:detail", args=[workshop.pk]), _form())
    link = mail.outbox[0].body.split("http://127.0.0.1:8000")[2].split()[0]
    assert client.get(link).status_code == 200
    client.post(link)
    assert Registration.objects.get().status == "cancelled"
    assert client.get("/workshops/cancel/nonsense/").status_code == 404


def test_contribution_public_with_key_saves_and_wrong_key_is_404(client, workshop):
    url = reverse("workshops:contribute", args=[workshop.pk, workshop.input_key])
    response = client.post(
        url,
        {
            "kind": "obstacle",
            "text": "Snåriga beslutsvägar",
            "sector": "civil_society",
            "is_anonymous": "on",
        },
    )
    assert response.status_code == 302
    item = Contribution.objects.get()
    assert item.sector.code == "civil_society" and item.is_anonymous
    bad = reverse("workshops:contribute", args=[workshop.pk, "wrong"])
    assert client.get(bad).status_code == 404


def test_contribution_public_overlong_text_is_refused(client, workshop):
    url = reverse("workshops:contribute", args=[workshop.pk, workshop.input_key])
    response = client.post(url, {"kind": "idea", "text": "x" * 1001, "is_anonymous": "on"})
    assert response.status_code == 400
    assert "som mest 1000 tecken" in response.content.decode()
    assert not Contribution.objects.exists()


def test_manage_pages_need_permission(client, member, secretariat, workshop):
    url = reverse("workshops:manage", args=[workshop.pk])
    client.force_login(member)
    assert client.get(url).status_code == 403
    client.force_login(secretariat)
    assert client.get(url).status_code == 200
    assert client.get(reverse("workshops:check_in", args=[workshop.pk])).status_code == 200
    assert client.get(reverse("workshops:room", args=[workshop.pk])).status_code == 200
    qr = client.get(reverse("workshops:room_qr", args=[workshop.pk]))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content


def test_check_in_toggle_with_htmx_returns_row_and_counts(client, secretariat, workshop):
    registration = register(workshop)
    client.force_login(secretariat)
    response = client.post(
        reverse("workshops:check_in_toggle", args=[workshop.pk, registration.pk]),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'data-hx-swap-oob="true"' in response.content.decode()
    registration.refresh_from_db()
    assert registration.checked_in_at is not None


def test_a_refused_check_in_is_said_beside_the_row_not_on_the_next_page(
    client, secretariat, workshop
):
    """A cancelled registration cannot be checked in: with htmx the reason is announced in
    the page's status region at once (it used to wait as a message for the next page)."""
    registration = register(workshop)
    workshop_services.registration_cancel(registration=registration)
    client.force_login(secretariat)
    url = reverse("workshops:check_in_toggle", args=[workshop.pk, registration.pk])
    swap = client.post(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="check-in-announce"' in swap
    assert "Den här anmälan är avbokad." in swap
    page = client.get(reverse("workshops:check_in", args=[workshop.pk])).content.decode()
    assert "Den här anmälan är avbokad." not in page
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_check_in_counts_list_only_the_genders_that_came(client, secretariat, workshop):
    client.force_login(secretariat)
    url = reverse("workshops:check_in_counts", args=[workshop.pk])
    assert "()" not in client.get(url).content.decode()
    registration = register(workshop, gender="woman")
    register(workshop, gender="man")
    workshop_services.registration_check_in(registration=registration)
    counts = client.get(url).content.decode()
    assert "(kvinnor 1)" in counts, counts


def test_check_in_keeps_keyboard_focus_on_the_row_control(client, secretariat, workshop):
    """htmx puts focus back on an element with the same id after a swap: the row's button
    keeps one id whether it reads "Check in" or "Undo" (issue 12: focus fell to the body)."""
    registration = register(workshop)
    client.force_login(secretariat)
    url = reverse("workshops:check_in_toggle", args=[workshop.pk, registration.pk])
    control = f'id="check-in-{registration.pk}"'
    page = client.get(reverse("workshops:check_in", args=[workshop.pk])).content.decode()
    assert page.count(control) == 1
    checked = client.post(url, HTTP_HX_REQUEST="true").content.decode()
    assert checked.count(control) == 1 and 'name="undo"' in checked
    undone = client.post(url, {"undo": "1"}, HTTP_HX_REQUEST="true").content.decode()
    assert undone.count(control) == 1 and 'name="undo"' not in undone


def test_check_in_search_lists_fixed_queries(
    client, secretariat, workshop, django_assert_max_num_queries, settings
):
    # The rendering is counted, not the shared fragment (the registrations below are writes:
    # each renders it afresh anyway).
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 0
    client.force_login(secretariat)
    url = reverse("workshops:check_in", args=[workshop.pk])
    for _ in range(3):
        register(workshop)
    client.get(url)
    with django_assert_max_num_queries(40) as first:
        client.get(url)
    for _ in range(7):
        register(workshop)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(url)


def test_public_detail_query_count_does_not_grow(
    client, settings, workshop, django_assert_max_num_queries
):
    # The rendering is measured, not the shared page cache in front of it (nor the shared
    # fragments: a write renders them afresh).
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 0
    url = reverse("workshops:detail", args=[workshop.pk])
    register(workshop)
    client.get(url)
    with django_assert_max_num_queries(30) as first:
        client.get(url)
    for _ in range(8):
        register(workshop, gender="man")
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(url)


def test_workshop_list_and_home_show_upcoming(client, workshop):
    assert workshop.title in client.get(reverse("workshops:list")).content.decode()
    assert workshop.title in client.get(reverse("home")).content.decode()


def test_ical_is_a_calendar(client, workshop):
    response = client.get(reverse("workshops:ical", args=[workshop.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content


def test_workshop_create_by_secretariat(client, secretariat):
    client.force_login(secretariat)
    response = client.post(
        reverse("workshops:create"),
        {
            "title": "Ny workshop",
            "theme_question": "Vad hindrar oss?",
            "focus": "obstacles",
            "starts_at": "2031-05-01T09:00",
            "ends_at": "2031-05-01T15:00",
            "venue": "Rådhuset",
            "capacity": "30",
            "state": "published",
            "contributions_open": "on",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("workshops:create"),
        {
            "title": "Fel",
            "theme_question": "?",
            "focus": "how",
            "starts_at": "2031-05-01T09:00",
            "ends_at": "2031-05-01T08:00",
            "venue": "X",
            "capacity": "30",
            "state": "draft",
        },
    )
    assert response.status_code == 200
    assert "sluta efter" in response.content.decode()


def test_workshop_detail_programme_balance_lists_only_present_genders(
    client, secretariat, workshop
):
    """Staff with exact figures see the genders present; the public page hides counts under 5
    (issue 11: three named speakers and "men 3" gave each one's gender away)."""
    from workshops import services

    for number in range(3):
        services.programme_item_add(
            workshop=workshop,
            starts_at=workshop.starts_at + timedelta(minutes=30 * number),
            kind="talk",
            title=f"Inlägg {number}",
            contributor_name=f"Talare {number}",
            contributor_gender="man",
        )
    html = " ".join(
        client.get(reverse("workshops:detail", args=[workshop.pk])).content.decode().split()
    )
    assert "(män 3)." not in html
    assert "(siffror under 5 visas inte)." in html
    client.force_login(secretariat)
    programme = reverse("workshops:manage_section", args=[workshop.pk, "programme"])
    html = client.get(programme).content.decode()
    assert "(män 3)." in " ".join(html.split())


def test_public_page_asks_the_directory_for_organisation_names(client, workshop):
    """The registration form's suggestions come as one types, not as the whole directory."""
    from tests.directory.conftest import make_org

    for number in range(25):
        make_org(f"Studieförbundet nummer {number}")
    html = client.get(reverse("workshops:detail", args=[workshop.pk])).content.decode()
    assert "Studieförbundet nummer" not in html
    assert '<datalist id="organisation-suggestions"></datalist>' in html
    assert f'data-hx-get="{reverse("directory:name_options")}"' in html
