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
from django.utils import timezone, translation

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
    client,
    secretariat,
    busy_workshop,
    meetings,
    name,
    args,
    django_assert_max_num_queries,
    settings,
):
    # Counted as rendered afresh (the empty forms not from their shared copies).
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 0
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


# The rows as the templates wrote them before workshops_tags wrote them out (an include per
# check-in row, a loop of template tags per table row): the reference the tags must match.
OLD_CHECK_IN_ROW = """{% load i18n %}<li class="card" id="reg-{{ row.pk }}">
  <form method="post" action="{{ row.toggle_url }}" data-hx-post="{{ row.toggle_url }}" data-hx-target="#reg-{{ row.pk }}" data-hx-swap="outerHTML" class="search-row">
    {% csrf_token %}
    <input type="hidden" name="q" value="{{ q }}">
    <span><strong>{{ row.name }}</strong>{% if row.display_organisation %}, {{ row.display_organisation }}{% endif %}{% if row.status == "waiting" %} <span class="help">({% translate "waiting list" %})</span>{% endif %}
      {% if row.checked_in_at %}<br><span class="state state--done">{{ row.checked_in_text }}</span>{% endif %}</span>
    {% if row.checked_in_at %}
      <button type="submit" name="undo" value="1" class="button" id="check-in-{{ row.pk }}">{% translate "Undo" %}<span class="visually-hidden"> {{ row.name }}</span></button>
    {% else %}
      <button type="submit" class="button button--primary" id="check-in-{{ row.pk }}">{% translate "Check in" %}<span class="visually-hidden"> {{ row.name }}</span></button>
    {% endif %}
  </form>
</li>
"""  # noqa: E501
OLD_CHECK_IN_ROWS = (
    '{% load i18n %}{% for row in rows %}{% include old_row %}{% empty %}<li class="empty">'
    '{% translate "Nobody matches the search." %}</li>{% endfor %}{% if request.htmx %}'
    '<p id="check-in-announce" data-hx-swap-oob="innerHTML">{% blocktranslate count '
    "counter=rows|length %}{{ counter }} person found.{% plural %}{{ counter }} people found."
    "{% endblocktranslate %}</p>{% endif %}\n"
)
OLD_TABLE_ROWS = """{% load i18n %}
      {% for row in rows %}
        <tr>
          <th scope="row">{{ row.name|default:"–" }}{% if row.email %}<br><span class="help">{{ row.email }}</span>{% endif %}</th>
          <td>{{ row.display_organisation }}</td>
          <td>{{ row.sector_label }}</td>
          <td>{{ row.accessibility_needs }}{% if row.dietary_needs %} {{ row.dietary_needs }}{% endif %}</td>
          <td>{{ row.checked_in_time|default:"–" }}</td>
          <td>{% if row.status != "cancelled" and not workshop_is_past %}<form method="post" action="{{ row.cancel_url }}" class="inline-form">{% csrf_token %}<button type="submit" class="link-button">{% translate "Cancel" context "registration" %}<span class="visually-hidden"> {{ row.name }}</span></button></form>{% endif %}</td>
        </tr>
      {% endfor %}
"""  # noqa: E501
NEW_TABLE_ROWS = "{% load workshops_tags %}\n      {% registration_table_rows rows %}\n"


def _without_csrf(html: str) -> str:
    """The CSRF token's mask (and the page's script nonce) is new on every render."""
    html = re.sub(r'nonce="[^"]+"', "NONCE", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "CSRF", html)


def test_written_out_rows_are_the_same_markup_as_the_row_templates(rf, secretariat, settings):
    """workshops_tags writes the check-in list's rows and the registration tables' rows in
    one pass; the markup is the same as the templates gave, in Swedish and English, for every
    kind of row (waiting, checked in, cancelled, no organisation, an erased name, text that
    must be escaped), on a coming workshop (cancel forms) and a past one, with a search."""
    from django.template import engines
    from django.template.loader import render_to_string

    from tests.workshops.conftest import make_org
    from workshops import selectors
    from workshops.models import Registration

    workshop = make_workshop(capacity=3, days_ahead=1)
    plain = register(workshop, name="Omar Said", organisation_name='A & "B" <c>')
    register(
        workshop,
        name="Lina <Ek> & 'co'",
        organisation=make_org("Malmö stad", sector_code="public"),
        sector_code="public",
        dietary_needs="Vegan & glutenfri",
        accessibility_needs="Hörslinga <t>",
    )
    checked = register(workshop, name="Åsa Öberg", email="asa@example.org", sector_code="")
    services.registration_check_in(registration=checked)
    waiting = register(workshop, name="Väntande Person", join_waiting_list=True)
    cancelled = register(workshop, name="Avbokad", join_waiting_list=True)
    services.registration_cancel(registration=cancelled)
    Registration.objects.filter(pk=plain.pk).update(name="", email="")
    assert Registration.objects.get(pk=waiting.pk).status == "waiting"
    django_engine = engines["django"]
    old_row = django_engine.from_string(OLD_CHECK_IN_ROW)
    request = rf.get("/")
    request.user = secretariat
    for language in ("sv", "en"):
        with translation.override(language):
            for past in (False, True):
                rows = selectors.registration_rows(workshop, selectors.registration_list(workshop))
                context = {"rows": rows, "workshop_is_past": past}
                old = django_engine.from_string(OLD_TABLE_ROWS).render(context, request)
                new = django_engine.from_string(NEW_TABLE_ROWS).render(context, request)
                assert "Avbokad" in new and "&lt;Ek&gt; &amp; &#x27;co&#x27;" in new
                assert ("inline-form" in new) is not past
                assert _without_csrf(new) == _without_csrf(old)
            # The search is written into every row's form (escaped); one that finds nobody.
            for q, found in (("", 4), ("<Ek> & 'co", 1), ('"x"', 0)):
                rows = selectors.registration_rows(workshop, selectors.check_in_list(workshop, q=q))
                assert len(rows) == found
                context = {"rows": rows, "q": q, "workshop": workshop, "old_row": old_row}
                old = django_engine.from_string(OLD_CHECK_IN_ROWS).render(context, request)
                new = render_to_string("workshops/includes/check_in_rows.html", context, request)
                assert 'name="undo"' in new or q
                assert "(väntelista)" in new or language == "en" or q
                assert 'value="&lt;Ek&gt; &amp; &#x27;co"' in new or q != "<Ek> & 'co"
                assert _without_csrf(new) == _without_csrf(old)
            # An htmx answer swaps one row in: the same markup as the list's row.
            row = selectors.registration_rows(
                workshop, [selectors.registration_list(workshop).get(pk=checked.pk)]
            )[0]
            context = {"row": row, "workshop": workshop, "statistics": None}
            swap = render_to_string("workshops/includes/check_in_row_swap.html", context, request)
            single = old_row.render({"row": row}, request)
            assert _without_csrf(swap).startswith(_without_csrf(single) + "\n<div")


def test_programme_balance_from_the_loaded_programme_is_the_counted_one(db):
    """A page that has the programme loaded counts its balance from those items (one statement
    fewer); the figures are those of the database's count: each person once, by their key,
    items without a name counted by gender, items with neither left out."""
    from workshops import selectors
    from workshops.models import ProgrammeItem

    workshop = make_workshop(days_ahead=1)
    for name, gender in (
        ("Anna Berg", "woman"),
        ("Anna Berg", "woman"),  # leads two items: counted once
        ("Omar Said", "man"),
        ("", "woman"),  # no name, gender given
        ("", "unknown"),  # neither: left out
        ("Kim Lind", "unknown"),
        ("Sam Ek", "non_binary"),
    ):
        services.programme_item_add(
            workshop=workshop,
            starts_at=workshop.starts_at,
            kind=ProgrammeItem.Kind.TALK,
            title="Punkt",
            contributor_name=name,
            contributor_gender=gender,
        )
    counted = selectors.workshop_statistics(workshop, exact=True).programme_gender
    loaded = selectors.workshop_for_page(workshop.pk, related=("programme",))
    with CaptureQueriesContext(connection) as queries:
        from_items = selectors.workshop_statistics(loaded, exact=True).programme_gender
    assert not any("workshops_programmeitem" in q["sql"] for q in queries.captured_queries)
    assert {row.code: row.count for row in from_items.rows} == {
        row.code: row.count for row in counted.rows
    }
    assert counted.count("woman") == 2 and counted.count("man") == 1
    assert counted.count("unknown") == 1 and counted.count("non_binary") == 1
    assert from_items.balance == counted.balance


def test_blank_forms_shared_between_requests_are_the_forms_each_workshop_gets(
    client, secretariat, busy_workshop, meetings, settings
):
    """The empty forms of the check-in and the manage parts are kept as shared fragments
    (workshops_tags.blank_form): a page from the stored copies is the page rendered afresh,
    for each workshop (the contribution form offers that workshop's groups)."""
    other = make_workshop(days_ahead=2)
    client.force_login(secretariat)
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 60
    for workshop in (busy_workshop, other):
        for name, args in PAGES:
            url = reverse(name, args=[workshop.pk, *args])
            for language in ("sv", "en"):
                client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
                settings.PORTAL_FRAGMENT_CACHE_SECONDS = 0
                fresh = client.get(url).content.decode()
                settings.PORTAL_FRAGMENT_CACHE_SECONDS = 60
                client.get(url)  # stores the copies
                shared = client.get(url).content.decode()
                assert _without_csrf(shared) == _without_csrf(fresh), url
    groups = reverse("workshops:manage_section", args=[busy_workshop.pk, "groups"])
    assert 'name="group"' in client.get(groups).content.decode()
    empty = reverse("workshops:manage_section", args=[other.pk, "groups"])
    assert 'name="group"' not in client.get(empty).content.decode()


def test_a_posted_form_with_errors_is_shown_to_its_sender_only(client, secretariat, settings):
    """A bound form (someone's values and errors) is rendered, never shared."""
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 60
    workshop = make_workshop(days_ahead=1)
    client.force_login(secretariat)
    url = reverse("workshops:check_in", args=[workshop.pk])
    client.get(url)
    refused = client.post(
        reverse("workshops:walk_in", args=[workshop.pk]),
        {"name": "", "organisation_name": "Hemliga föreningen"},
    )
    assert refused.status_code == 400
    page = refused.content.decode()
    assert 'value="Hemliga föreningen"' in page and "field-error" in page
    again = client.get(url).content.decode()
    assert "Hemliga föreningen" not in again and "field-error" not in again


def test_contribution_form_offers_the_loaded_groups_as_the_database_does(busy_workshop):
    from workshops.forms import ContributionForm

    groups = list(busy_workshop.groups.all())
    assert groups
    for language in ("sv", "en"):
        with translation.override(language):
            loaded = ContributionForm(workshop=busy_workshop, staff=True, groups=groups)
            queried = ContributionForm(workshop=busy_workshop, staff=True)
            assert str(loaded["group"]) == str(queried["group"])
    assert "group" not in ContributionForm(workshop=make_workshop(), staff=True, groups=[]).fields


def test_public_workshop_page_from_shared_fragments_is_the_page_rendered_afresh(
    client, busy_workshop, settings
):
    """The public workshop page keeps its programme, figures and empty registration form as
    shared fragments: the same page as rendered afresh, in both languages, and a write (a
    new registration) is on the next page at once."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    url = reverse("workshops:detail", args=[busy_workshop.pk])
    for language in ("sv", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        settings.PORTAL_FRAGMENT_CACHE_SECONDS = 0
        fresh = client.get(url).content.decode()
        settings.PORTAL_FRAGMENT_CACHE_SECONDS = 60
        client.get(url)
        shared = client.get(url).content.decode()
        assert 'name="consent"' in shared and "Inledning 0" in shared
        assert _without_csrf(shared) == _without_csrf(fresh)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    before = client.get(url).content.decode()
    register(busy_workshop, sector_code="public")
    after = client.get(url).content.decode()
    places = (
        busy_workshop.capacity - busy_workshop.registrations.filter(status="registered").count()
    )
    assert f"{places + 1} platser kvar." in before and f"{places} platser kvar." in after
    statistics = after[after.index('id="stats-heading"') :]
    assert statistics != before[before.index('id="stats-heading"') :]


def test_a_refused_registration_keeps_its_values_for_the_sender_only(client, settings, db):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 60
    workshop = make_workshop(days_ahead=3)
    url = reverse("workshops:detail", args=[workshop.pk])
    client.get(url)
    refused = client.post(url, {"name": "Hemlig Person", "email": "hemlig@example.org"})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert 'value="Hemlig Person"' in page and "field-error" in page
    again = client.get(url).content.decode()
    assert "Hemlig Person" not in again and "field-error" not in again


# --- The manage parts and the check-in as shared fragments (issue 17, second round) --------


def _staff_without_change():
    """Staff who may see the registrations and check people in, nothing more."""
    from django.contrib.auth.models import Permission

    from tests.factories import make_user

    user = make_user()
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="workshops",
            codename__in=["view_registration", "change_registration"],
        )
    )
    return user


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_a_page_from_its_shared_fragment_reads_only_the_session_and_the_user(
    client,
    secretariat,
    busy_workshop,
    meetings,
    name,
    args,
    django_assert_max_num_queries,
    settings,
):
    """The parts below the permission check (and the workshop itself) are kept under the
    content version: the next request reads the session, the user and the permissions, also
    with ten times the rows."""
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 60
    _grow(busy_workshop, meetings, 9)
    client.force_login(secretariat)
    url = reverse(name, args=[busy_workshop.pk, *args])
    fresh = client.get(url)
    with django_assert_max_num_queries(3):
        shared = client.get(url)
    assert shared.status_code == fresh.status_code == 200
    assert _without_csrf(shared.content.decode()) == _without_csrf(fresh.content.decode())


def test_shared_parts_follow_each_viewers_permissions_and_own_csrf_token(
    busy_workshop, secretariat, settings
):
    """What the secretariat's copy offers (editing, the programme and carry forms, the
    report) is not what staff without those rights get, whoever comes first; and each gets a
    CSRF token of their own session in a shared copy, which the forms' addresses accept."""
    from django.test import Client

    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 60
    pk = busy_workshop.pk
    full, limited = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    full.force_login(secretariat)
    limited.force_login(_staff_without_change())
    offers = {
        reverse("workshops:manage", args=[pk]): [
            f'href="{reverse("workshops:edit", args=[pk])}"',
            f'action="{reverse("reports:request")}"',
        ],
        reverse("workshops:manage_section", args=[pk, "programme"]): [
            f'action="{reverse("workshops:programme_add", args=[pk])}"',
        ],
        reverse("workshops:manage_section", args=[pk, "follow-up"]): [
            f'action="{reverse("workshops:carry", args=[pk])}"',
        ],
    }
    for order in ((full, limited), (limited, full)):
        busy_workshop.refresh_from_db()
        services.programme_item_add(  # a write: both copies are made afresh
            workshop=busy_workshop,
            starts_at=busy_workshop.starts_at,
            kind=ProgrammeItem.Kind.TALK,
            title="Ny punkt",
        )
        for client in (*order, *order):
            for url, markers in offers.items():
                page = client.get(url).content.decode()
                for marker in markers:
                    assert (marker in page) is (client is full), (url, marker)
    # The check-in page from the shared copy: the token in its forms is this session's.
    registration = register(busy_workshop)
    check_in = reverse("workshops:check_in", args=[pk])
    full.get(check_in)
    page = limited.get(check_in).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', page).group(1)
    toggle = reverse("workshops:check_in_toggle", args=[pk, registration.pk])
    assert limited.post(toggle, {"csrfmiddlewaretoken": token}).status_code == 302
    registration.refresh_from_db()
    assert registration.checked_in_at is not None


def test_shared_parts_follow_the_clock_and_every_write(client, secretariat, settings, monkeypatch):
    """A meeting that is over is no longer offered for carrying, and a workshop that is over
    no longer offers cancelling, although nothing was written in between; a check-in is on
    the next check-in page at once. Each time the same page as rendered afresh."""
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 60
    council = council_services.council_create(name="Samverkansrådet", slug="radet")
    now = timezone.now()
    soon, later = (
        council_services.meeting_schedule(
            council=council,
            title="Rådsmöte",
            starts_at=now + timedelta(minutes=minutes),
            ends_at=now + timedelta(minutes=minutes + 10),
            place="Malmö",
            notify=False,
        )
        for minutes in (10, 60 * 24 * 20)
    )
    workshop = make_workshop(
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(minutes=30)
    )
    registration = register(workshop, now=now - timedelta(hours=2))
    services.contribution_add(
        workshop=workshop,
        kind="idea",
        text="Gemensam kalender",
        sector=sector("public"),
        source=Contribution.Source.STAFF,
    )
    client.force_login(secretariat)
    follow_up = reverse("workshops:manage_section", args=[workshop.pk, "follow-up"])
    registrations = reverse("workshops:manage_section", args=[workshop.pk, "registrations"])
    check_in = reverse("workshops:check_in", args=[workshop.pk])
    cancel = reverse("workshops:registration_cancel_staff", args=[workshop.pk, registration.pk])

    def pages():
        shared = [client.get(url).content.decode() for url in (follow_up, registrations)]
        settings.PORTAL_FRAGMENT_CACHE_SECONDS = 0
        fresh = [client.get(url).content.decode() for url in (follow_up, registrations)]
        settings.PORTAL_FRAGMENT_CACHE_SECONDS = 60
        assert [_without_csrf(page) for page in shared] == [_without_csrf(p) for p in fresh]
        return shared

    offered, table = pages()
    assert f'<option value="{soon.pk}">' in offered and f'<option value="{later.pk}">' in offered
    assert f'action="{cancel}"' in table
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(minutes=40))
    offered, table = pages()
    assert f'<option value="{soon.pk}">' not in offered
    assert f'<option value="{later.pk}">' in offered
    assert f'action="{cancel}"' not in table

    assert "Incheckad" not in client.get(check_in).content.decode()
    services.registration_check_in(registration=registration)
    assert "Incheckad" in client.get(check_in).content.decode()


def test_the_door_polls_and_searches_from_shared_copies(
    client, secretariat, busy_workshop, settings, django_assert_max_num_queries
):
    """The counts every device at the door polls every 5 seconds and the rows of a search as
    it is typed: from the shared copy only the session and the user are read; a check-in is
    in the next answer."""
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 60
    client.force_login(secretariat)
    counts = reverse("workshops:check_in_counts", args=[busy_workshop.pk])
    search = reverse("workshops:check_in", args=[busy_workshop.pk]) + "?q=Deltagare"
    htmx = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "check-in-rows"}
    first_counts, first_rows = client.get(counts), client.get(search, **htmx)
    with django_assert_max_num_queries(3):
        assert client.get(counts).content == first_counts.content
    with django_assert_max_num_queries(3):
        rows = client.get(search, **htmx).content.decode()
    assert _without_csrf(rows) == _without_csrf(first_rows.content.decode())
    assert 'id="check-in-announce" data-hx-swap-oob="innerHTML"' in rows
    registered = busy_workshop.registrations.filter(status="registered").count()
    present = busy_workshop.registrations.filter(checked_in_at__isnull=False).count()
    assert f"{present} av {registered} incheckade" in first_counts.content.decode()
    newcomer = register(busy_workshop, name="Deltagare Ny")
    services.registration_check_in(registration=newcomer)
    assert f"{present + 1} av {registered + 1} incheckade" in client.get(counts).content.decode()
    assert f'id="reg-{newcomer.pk}"' in client.get(search, **htmx).content.decode()
