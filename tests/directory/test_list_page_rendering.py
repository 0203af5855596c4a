"""The directory list page renders the same HTML as before issue 17's template work: the
search box through `{% form_field %}` and portal/form_rendering.py (was
templates/includes/field.html with Django's widget templates), the parts that follow from
the language and two permissions kept per process (`{% layout_part %}`), and the filter
options from kept escaped parts (`facet_options`). The template as it was is in
tests/directory/templates_before/."""

from pathlib import Path

import pytest
from django.forms.renderers import get_default_renderer
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from directory import selectors, services
from directory.forms import DirectorySearchForm, OfferSearchForm
from directory.models import Municipality, Offer, Organisation
from directory.templatetags.directory_tags import facet_options, offer_rows
from portal.templatetags import layout
from tests.directory.conftest import make_org
from tests.directory.test_page_queries import _without_csrf

pytestmark = pytest.mark.django_db

_QUERIES = [
    {},
    {"q": "förening"},
    {"q": "Björk", "municipality": "1280"},
    {"q": "förening", "sector": "civil_society", "area": "sport"},
    {"q": "förening", "page": "2"},
    {"municipality": "1281"},
    {"q": "a" * 201},  # too long: the form's error
    {"q": "förening", "sector": "no_such_sector"},  # unknown code: the page says so
    {"q": "inget sådant namn"},  # nothing found
]


@pytest.fixture
def listed(db):
    make_org(
        'Björkens <förening> & "vänner"',
        municipalities=["1280", "1281", "1282", "1283", "1284", "1285", "1286"],
        areas=["sport"],
        target_groups=["children"],
        is_umbrella=True,
    )
    make_org("Hemlig förening", state=Organisation.State.HIDDEN, municipalities=["1280"])
    for number in range(22):
        make_org(
            f"Förening {number:02d}",
            municipalities=["1280"] if number % 2 else ["1281", "1290"],
            areas=["sport"] if number % 3 else [],
            legal_form=None if number % 4 else "non_profit_association",
        )


def _pages(client) -> list[str]:
    pages = []
    for params in _QUERIES:
        response = client.get(reverse("directory:list"), params)
        assert response.status_code == 200
        pages.append(_without_csrf(response.content.decode()))
    return pages


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("who", ["anonymous", "secretariat"])
def test_list_page_is_the_same_as_with_the_template_as_it_was(
    client, listed, secretariat, who, language, settings, monkeypatch
):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    if who == "secretariat":
        client.force_login(secretariat)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    _pages(client)  # the kept parts filled
    now = _pages(client)
    assert "Björkens &lt;förening&gt; &amp; &quot;vänner&quot;" in now[2]
    assert 'name="q" value="förening"' in now[1]
    assert ("Suggestions waiting for moderation" in now[0]) == (
        who == "secretariat" and language == "en"
    )
    assert 'class="field-error"' in now[6]
    assert 'class="message message--warning"' in now[7]

    before = Path(__file__).parent / "templates_before"
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [before, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    monkeypatch.setattr(DirectorySearchForm, "default_renderer", get_default_renderer())
    monkeypatch.setattr(layout, "enabled", False)
    assert _pages(client) == now


_OFFER_QUERIES = [
    {},
    {"q": "läxhjälp"},
    {"q": "läxhjälp", "municipality": "1280", "cost": "free"},
    {"q": "läxhjälp", "no_referral": "on", "page": "2"},
    {"q": "a" * 201},
    {"q": "läxhjälp", "language": "no_such_language"},
    {"cost": "nothing"},  # not a choice: the form's error
]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_offer_list_is_the_same_as_with_the_template_as_it_was(
    client, listed, language, settings, monkeypatch
):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    places = list(Municipality.objects.order_by("code")[:6])
    long_text = "Läxhjälp för barn & unga <i>varje</i> vecka, " * 8  # more than 30 words
    for number, org in enumerate(Organisation.objects.order_by("pk")[:22]):
        services.offer_create(
            organisation=org,
            title=f'Läxhjälp <{number}> & "mer"',
            description=["Läxhjälp för barn och unga.", long_text, ""][number % 3],
            is_free=bool(number % 2),
            referral_required=bool(number % 5 == 0),
            municipalities=places[: [0, 2, 3, 4, 6][number % 5]],
        )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    def pages():
        found = []
        for params in _OFFER_QUERIES:
            response = client.get(reverse("directory:offers"), params)
            assert response.status_code == 200
            found.append(_without_csrf(response.content.decode()))
        return found

    pages()
    now = pages()
    assert 'name="q" value="läxhjälp"' in now[1] and "Läxhjälp &lt;" in now[1]
    assert "&lt;i&gt;varje&lt;/i&gt;" in now[1] and " …</p>" in now[1]
    assert ("and 3 more" if language == "en" else " 3 ") in now[1]
    assert now[4].count('class="field-error"') == 1 and 'class="form-errors"' not in now[4]
    before = Path(__file__).parent / "templates_before"
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [before, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    monkeypatch.setattr(OfferSearchForm, "default_renderer", get_default_renderer())
    # The rows as they were loaded: Offer instances with their organisation and a prefetch.
    monkeypatch.setattr(
        selectors,
        "offer_rows",
        lambda ids: list(selectors.offer_list_page(Offer.objects.filter(pk__in=ids))),
    )
    monkeypatch.setattr(layout, "enabled", False)
    assert pages() == now


@pytest.mark.postgres
@pytest.mark.parametrize("language", ["sv", "en"])
def test_offer_rows_read_instances_as_plain_rows(listed, language):
    """`offer_rows` writes an Offer instance (the search on SQLite) as it writes the plain
    row the PostgreSQL search loads (selectors.offer_rows)."""
    places = list(Municipality.objects.order_by("code")[:5])
    organisations = list(Organisation.objects.order_by("pk")[:4])
    for number, org in enumerate(organisations):
        services.offer_create(
            organisation=org,
            title=f"Erbjudande <{number}>",
            description=["", "Kort & <gott>.", "ord " * 40][number % 3],
            is_free=bool(number % 2),
            referral_required=bool(number % 3),
            municipalities=places[: [0, 1, 3, 5][number]],
        )
    ids = list(Offer.objects.order_by("pk").values_list("pk", flat=True))
    instances = list(selectors.offer_list_page(Offer.objects.filter(pk__in=ids).order_by("pk")))
    rows = sorted(selectors.offer_rows(ids), key=lambda row: row.id)
    with translation.override(language):
        written = offer_rows(rows)
        assert offer_rows(instances) == written
    assert written.count('<li class="card">') == 4 and "Erbjudande &lt;0&gt;" in written


def _facet_options_before(facet: dict) -> str:
    """facet_options as it was before the escaped parts were kept (issue 17)."""
    from html import escape

    selected = facet["selected"]
    return "".join(
        '<option value="{}"{}>{} ({})</option>'.format(
            escape(str(value["code"])),
            " selected" if value["code"] == selected else "",
            escape(str(value["label"])),
            int(value["count"]),
        )
        for value in facet["values"]
    )


@pytest.mark.parametrize("selected", ["", "1280", "a&b", "<x>"])
def test_facet_options_are_the_same_as_before(selected):
    facet = {
        "selected": selected,
        "values": [
            {"code": "1280", "label": "Malmö", "count": 12},
            {"code": "a&b", "label": 'Förening "A" & <B>', "count": 0},
            {"code": "<x>", "label": "'x'", "count": 3},
            {"code": "free", "label": gettext_lazy("Free of charge"), "count": 1},
            {"code": "1280", "label": "Malmö", "count": 7},  # kept parts used again
        ],
    }
    for language in ("sv", "en", "sv"):
        with translation.override(language):
            assert facet_options(facet) == _facet_options_before(facet)


def test_a_lazy_label_is_kept_per_language():
    """A translated label (the offer search's cost filter) is kept under its text in the
    language of the page, not under the lazy object, which reads as another language later."""
    label = gettext_lazy("Free of charge")
    facet = {"selected": "", "values": [{"code": "free", "label": label, "count": 2}]}
    with translation.override("en"):
        assert facet_options(facet) == '<option value="free">Free of charge (2)</option>'
    with translation.override("sv"):
        swedish = str(label)
        assert swedish != "Free of charge"
        assert facet_options(facet) == f'<option value="free">{swedish} (2)</option>'
