"""The secretariat's workshop pages (the manage page's parts and the check-in): a fixed, small
number of SQL statements however many registrations, contributions and matters the workshop
has (issue 17: at most 12 per page, also with ten times the rows); and the follow-up part's
carry form (issue 16): each meeting with its date, each checkbox with its label beside it.
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from council import services as council_services
from tests.workshops.conftest import make_workshop, register, sector
from workshops import services
from workshops.models import Contribution, ProgrammeItem

MAX_STATEMENTS = 12
PAGES = [
    ("workshops:manage", ()),
    ("workshops:manage_section", ("programme",)),
    ("workshops:manage_section", ("registrations",)),
    ("workshops:manage_section", ("groups",)),
    ("workshops:manage_section", ("follow-up",)),
    ("workshops:check_in", ()),
]


@pytest.fixture
def meetings(db):
    council = council_services.council_create(name="Samverkansrådet", slug="radet")
    result = []
    for days in (20, 50):
        starts = timezone.localtime() + timedelta(days=days)
        result.append(
            council_services.meeting_schedule(
                council=council,
                title="Rådsmöte",  # the same title: only the date tells them apart
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                place="Malmö",
                notify=False,
            )
        )
    return result


def _grow(workshop, meetings, times: int) -> None:
    """`times` rounds of what a busy workshop gathers."""
    for number in range(times):
        for _person in range(8):
            registration = register(
                workshop, sector_code="public" if number % 2 else "civil_society"
            )
            if number % 3 == 0:
                services.registration_check_in(registration=registration)
        services.programme_item_add(
            workshop=workshop,
            starts_at=workshop.starts_at + timedelta(minutes=10 * number),
            kind=ProgrammeItem.Kind.TALK,
            title=f"Inledning {number}",
            contributor_name=f"Talare {number}",
            contributor_gender="woman",
        )
        contributions = [
            services.contribution_add(
                workshop=workshop,
                kind=kind,
                text=f"Bidrag {kind} {number}",
                sector=sector("civil_society"),
                source=Contribution.Source.STAFF,
            )
            for kind in ("obstacle", "need", "idea")
        ]
        services.carried_matter_raise(
            workshop=workshop, contributions=contributions[:1], title=f"Fråga {number}"
        )
        services.contribution_carry_to_meeting(
            workshop=workshop,
            contributions=contributions[1:2],
            meeting=meetings[number % 2],
            title=f"Ärende {number}",
        )


@pytest.fixture
def busy_workshop(meetings):
    workshop = make_workshop(capacity=100, days_ahead=1)
    _grow(workshop, meetings, 1)
    services.groups_make(workshop=workshop, size=4)
    return workshop


def _statements(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_workshop_pages_use_few_statements_also_with_ten_times_the_rows(
    client, secretariat, busy_workshop, meetings, name, args, django_assert_max_num_queries
):
    client.force_login(secretariat)
    url = reverse(name, args=[busy_workshop.pk, *args])
    client.get(url)
    with django_assert_max_num_queries(MAX_STATEMENTS):
        response = client.get(url)
    assert response.status_code == 200
    small = _statements(client, url)
    _grow(busy_workshop, meetings, 9)
    with django_assert_max_num_queries(min(small, MAX_STATEMENTS)):
        response = client.get(url)
    page = response.content.decode()
    if args == ("registrations",):
        assert page.count("Deltagare ") >= 80
    elif args == ("follow-up",):
        assert page.count("Ärende ") >= 10
        assert page.count("Bidrag idea ") == 10  # not carried: offered in the carry form


def test_carry_form_names_each_meeting_with_its_date_and_puts_labels_beside_boxes(
    client, secretariat, meetings
):
    workshop = make_workshop(days_ahead=1)
    contribution = services.contribution_add(
        workshop=workshop,
        kind="idea",
        text="Gemensam kalender",
        sector=sector("public"),
        source=Contribution.Source.STAFF,
    )
    client.force_login(secretariat)
    page = client.get(
        reverse("workshops:manage_section", args=[workshop.pk, "follow-up"])
    ).content.decode()
    form = page[page.index('action="' + reverse("workshops:carry", args=[workshop.pk])) :]
    for meeting in meetings:
        day = timezone.localtime(meeting.starts_at)
        from django.utils.formats import date_format

        assert f">Rådsmöte, {date_format(day, 'j F Y')}</option>" in form
    # The box comes first and its label right after it, in a row of their own.
    assert re.search(
        r'<div class="check-row"><input type="checkbox" name="contributions" '
        rf'value="{contribution.pk}"[^>]*> <label for="[^"]+">Idé: Gemensam kalender</label></div>',
        form,
    )


def test_prepared_rows_keep_addresses_and_check_in_times(client, secretariat, busy_workshop):
    """The rows are prepared once in Python (selectors.registration_rows): the same forms'
    addresses and the local check-in time as when the template reversed and formatted them."""
    registration = busy_workshop.registrations.filter(checked_in_at__isnull=False).first()
    client.force_login(secretariat)
    check_in = client.get(reverse("workshops:check_in", args=[busy_workshop.pk])).content.decode()
    toggle = reverse("workshops:check_in_toggle", args=[busy_workshop.pk, registration.pk])
    assert f'action="{toggle}" data-hx-post="{toggle}"' in check_in
    time = timezone.localtime(registration.checked_in_at).strftime("%H:%M")
    assert f'<span class="state state--done">Incheckad {time}</span>' in check_in
    table = client.get(
        reverse("workshops:manage_section", args=[busy_workshop.pk, "registrations"])
    ).content.decode()
    cancel = reverse(
        "workshops:registration_cancel_staff", args=[busy_workshop.pk, registration.pk]
    )
    assert f'<form method="post" action="{cancel}" class="inline-form">' in table
    assert f"<td>{time}</td>" in table
