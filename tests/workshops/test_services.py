import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from council import services as council_services
from council.models import AgendaItem
from tests.workshops.conftest import make_workshop, register, sector
from workshops import selectors, services
from workshops.models import CarriedMatter, Contribution, Registration

pytestmark = pytest.mark.django_db


def test_registration_create_gives_place_and_sends_confirmation_with_cancel_link(
    workshop, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(workshop, email="Anna.Berg@Example.org")
    assert registration.status == Registration.Status.REGISTERED
    assert registration.email_normalised == "anna.berg@example.org"
    assert registration.consent_version == "2025-1"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["Anna.Berg@Example.org"]
    assert "/workshops/cancel/" in mail.outbox[0].body


def test_registration_create_same_email_twice_is_refused(workshop):
    register(workshop, email="a@example.org")
    with pytest.raises(ValidationError) as error:
        register(workshop, email="A@example.org")
    assert "email" in error.value.message_dict
    assert Registration.objects.filter(workshop=workshop).count() == 1


def test_registration_create_when_full_requires_waiting_list_choice(db):
    workshop = make_workshop(capacity=1)
    register(workshop)
    with pytest.raises(ValidationError) as error:
        register(workshop)
    assert error.value.code == "full"
    waiting = register(workshop, join_waiting_list=True)
    assert waiting.status == Registration.Status.WAITING
    assert Registration.objects.filter(workshop=workshop).count() == 2


def test_registration_create_after_closing_is_refused(db):
    workshop = make_workshop(registration_closes_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(ValidationError) as error:
        register(workshop)
    assert error.value.code == "closed"
    assert not Registration.objects.exists()


def test_registration_create_before_opening_and_for_draft_is_refused(db):
    early = make_workshop(registration_opens_at=timezone.now() + timedelta(days=1))
    draft = make_workshop(state="draft")
    for workshop in (early, draft):
        with pytest.raises(ValidationError):
            register(workshop)
    assert not Registration.objects.exists()


def test_registration_create_overlong_name_is_refused(workshop):
    with pytest.raises(ValidationError) as error:
        register(workshop, name="x" * 201)
    assert "name" in error.value.message_dict
    assert not Registration.objects.exists()


def test_registration_cancel_promotes_first_waiting_and_notifies(
    django_capture_on_commit_callbacks,
):
    workshop = make_workshop(capacity=1)
    first = register(workshop)
    waiting_one = register(workshop, join_waiting_list=True)
    register(workshop, join_waiting_list=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=first)
    waiting_one.refresh_from_db()
    assert waiting_one.status == Registration.Status.REGISTERED
    assert waiting_one.promoted_at is not None
    assert [message.to for message in mail.outbox] == [[waiting_one.email]]
    assert "/workshops/cancel/" in mail.outbox[0].body
    assert selectors.places_left(workshop) == 0


def test_registration_cancel_by_token_from_email(workshop, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(workshop)
    token = mail.outbox[0].body.split("/workshops/cancel/")[1].split("/")[0]
    assert services.registration_for_token(token) == registration
    assert services.registration_for_token("not-a-token") is None
    services.registration_cancel(registration=registration)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_registration_after_cancel_same_email_is_allowed(workshop):
    first = register(workshop, email="b@example.org")
    services.registration_cancel(registration=first)
    again = register(workshop, email="b@example.org")
    assert again.status == Registration.Status.REGISTERED


def test_workshop_update_more_places_promotes_waiting(db):
    workshop = make_workshop(capacity=1)
    register(workshop)
    waiting = register(workshop, join_waiting_list=True)
    services.workshop_update(workshop=workshop, capacity=2)
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.REGISTERED


def test_registration_check_in_and_walk_in_count_as_attended(workshop):
    registration = register(workshop, gender="man")
    services.registration_check_in(registration=registration)
    services.registration_walk_in(
        workshop=workshop,
        name="Ali Persson",
        organisation_name="Eget",
        gender="woman",
        sector=sector("public"),
    )
    stats = selectors.workshop_statistics(workshop, exact=True)
    assert stats.attended == 2
    assert stats.registered == 2
    assert stats.attended_sector.count("public") == 1


def test_registration_check_in_of_cancelled_is_refused(workshop):
    registration = register(workshop)
    services.registration_cancel(registration=registration)
    with pytest.raises(ValidationError):
        services.registration_check_in(registration=registration)


def test_statistics_public_hide_counts_below_five(workshop):
    for _ in range(6):
        register(workshop, gender="woman")
    for _ in range(2):
        register(workshop, gender="man", sector_code="public")
    public = selectors.workshop_statistics(workshop, exact=False)
    exact = selectors.workshop_statistics(workshop, exact=True)
    men = next(row for row in public.registered_gender.rows if row.code == "man")
    assert men.display == "färre än 5"
    assert public.as_dict()["registered"]["gender"]["counts"]["man"] is None
    assert "shares" not in public.as_dict()["registered"]["gender"]
    assert exact.as_dict()["registered"]["gender"]["counts"]["man"] == 2
    assert exact.registered_gender.balance.verdict == "unbalanced"


def test_statistics_query_count_is_fixed(django_assert_max_num_queries):
    workshop = make_workshop(capacity=100)
    for _ in range(3):
        register(workshop)
    with django_assert_max_num_queries(3):
        selectors.workshop_statistics(workshop, exact=True)
    for _ in range(20):
        register(workshop, gender="man")
    with django_assert_max_num_queries(3):
        selectors.workshop_statistics(workshop, exact=True)


def test_groups_make_mixes_sectors(workshop):
    for index in range(8):
        register(workshop, sector_code="public" if index % 2 else "civil_society")
    groups = services.groups_make(workshop=workshop, size=4)
    assert len(groups) == 2
    for group in groups:
        sectors = set(group.members.values_list("sector__code", flat=True))
        assert sectors == {"public", "civil_society"}


def test_contribution_add_anonymous_by_default_and_closed_input_refused(workshop):
    item = services.contribution_add(
        workshop=workshop,
        kind="obstacle",
        text="Olika målbilder",
        sector=sector("public"),
        author_name="Namn som inte sparas",
    )
    assert item.is_anonymous and item.author_name == ""
    services.workshop_update(workshop=workshop, contributions_open=False)
    with pytest.raises(ValidationError):
        services.contribution_add(workshop=workshop, kind="need", text="Mer tid")
    staff_item = services.contribution_add(
        workshop=workshop, kind="need", text="Mer tid", source=Contribution.Source.STAFF
    )
    assert staff_item.pk


def test_contribution_add_empty_or_overlong_text_is_refused(workshop):
    for text in ("   ", "x" * 1001):
        with pytest.raises(ValidationError):
            services.contribution_add(workshop=workshop, kind="idea", text=text)
    assert not Contribution.objects.exists()


def _council_meeting(days_ahead=30):
    council = council_services.council_create(name="Samverkansrådet", slug="radet")
    starts = timezone.now() + timedelta(days=days_ahead)
    return council, council_services.meeting_schedule(
        council=council,
        title="Rådsmöte",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Malmö",
        notify=False,
    )


def test_contribution_carry_to_meeting_follows_agenda_item_to_resolution(workshop, secretariat):
    _council, meeting = _council_meeting()
    first = services.contribution_add(workshop=workshop, kind="obstacle", text="Medfinansiering")
    second = services.contribution_add(workshop=workshop, kind="need", text="Processtöd för IOP")
    matter = services.contribution_carry_to_meeting(
        workshop=workshop,
        contributions=[first, second],
        meeting=meeting,
        title="Strukturen för medfinansiering",
        carried_by=secretariat,
    )
    assert matter.agenda_item.meeting == meeting
    assert matter.agenda_item.state == AgendaItem.State.ACCEPTED
    assert "Medfinansiering" in matter.agenda_item.summary
    assert matter.status == CarriedMatter.Status.ON_AGENDA
    assert set(matter.contributions.all()) == {first, second}
    council_services.decision_record(agenda_item=matter.agenda_item, text="Utred frågan.")
    matter = selectors.carried_matters_for([workshop.pk]).get()
    assert matter.status == CarriedMatter.Status.DECIDED
    services.carried_matter_resolve(matter=matter, resolution="Riktlinje antagen.")
    assert matter.status == CarriedMatter.Status.RESOLVED


def test_carried_matter_raise_without_meeting_is_raised(workshop):
    item = services.contribution_add(workshop=workshop, kind="idea", text="Träffas oftare")
    matter = services.carried_matter_raise(workshop=workshop, contributions=[item], title="Träffar")
    assert matter.status == CarriedMatter.Status.RAISED


def test_registrations_erase_expired_keeps_statistics(db):
    # Registration is closed for past workshops: register while open, then move the date.
    recent = make_workshop()
    kept = register(recent, email="kvar@example.org")
    type(recent).objects.filter(pk=recent.pk).update(
        starts_at=timezone.now() - timedelta(days=30),
        ends_at=timezone.now() - timedelta(days=30) + timedelta(hours=6),
    )
    open_one = make_workshop()
    for gender in ("woman", "woman", "man", "man", "man", "non_binary"):
        register(open_one, gender=gender, accessibility_needs="Hörslinga")
    services.registration_check_in(registration=open_one.registrations.first())
    services.contribution_add(
        workshop=open_one, kind="idea", text="Idé", is_anonymous=False, author_name="Karin Lund"
    )
    before = selectors.workshop_statistics(open_one, exact=True).as_dict()
    type(open_one).objects.filter(pk=open_one.pk).update(
        starts_at=timezone.now() - timedelta(days=400),
        ends_at=timezone.now() - timedelta(days=400) + timedelta(hours=6),
    )
    erased = services.registrations_erase_expired()
    assert erased == 6
    assert not Registration.objects.filter(workshop=open_one).exclude(name="").exists()
    assert not Registration.objects.filter(workshop=open_one).exclude(email="").exists()
    assert (
        not Registration.objects.filter(workshop=open_one).exclude(accessibility_needs="").exists()
    )
    assert not Contribution.objects.exclude(author_name="").exists()
    open_one.refresh_from_db()
    assert open_one.personal_data_erased_at is not None
    assert selectors.workshop_statistics(open_one, exact=True).as_dict() == before
    assert services.registrations_erase_expired() == 0
    kept.refresh_from_db()
    assert kept.email == "kvar@example.org"  # a workshop a month ago keeps its data


def test_retention_setting_changes_cutoff(settings):
    settings.WORKSHOP_RETENTION_MONTHS = 6
    now = timezone.now()
    cutoff = services.retention_cutoff(now)
    assert 180 <= (now - cutoff).days <= 185


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_registration_create_concurrent_last_place_is_not_overbooked():
    workshop = make_workshop(capacity=1)
    results = []

    def attempt(number):
        try:
            register(workshop, email=f"samtidig{number}@example.org")
            results.append("ok")
        except ValidationError as error:
            results.append(error.code)
        except Exception as error:  # any other failure must show in the assertion
            results.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("ok") == 1, results
    assert Registration.objects.filter(workshop=workshop, status="registered").count() == 1
