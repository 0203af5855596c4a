"""Browser tests of the public directory: misspelt search, filters, detail, axe-core."""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connection

from directory import demo, services
from tests.e2e.conftest import expect_signed_in

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def directory_demo(transactional_db):
    services.taxonomy_sync()
    demo.load()


def _serious(results) -> list[str]:
    return [
        f"{violation['id']}: {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_search_with_misspelt_name_finds_organisation(page, live_server, directory_demo):
    page.goto(f"{live_server.url}/directory/")
    # A typo and no å: "Emaus Bjorka" for "Emmaus Björkå" (the SQLite run folds å/ä/ö only).
    page.get_by_label("Sök", exact=True).fill("Emaus Bjorka")
    page.get_by_role("button", name="Sök").click()
    if connection.vendor == "postgresql":
        page.get_by_role("link", name="Emmaus Björkå").click()
    else:
        page.get_by_label("Sök", exact=True).fill("bjorka")
        page.get_by_role("button", name="Sök").click()
        page.get_by_role("link", name="Emmaus Björkå").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Emmaus Björkå"
    assert "inaktuella" in page.content()  # the demo leaves this entry unconfirmed


def test_filters_are_reflected_in_url(page, live_server, directory_demo):
    page.goto(f"{live_server.url}/directory/")
    # On a wide screen the filters start open beside the results.
    page.get_by_label("Sektor").select_option("public")
    page.get_by_label("Kommun").select_option("1281")
    page.get_by_role("button", name="Sök").click()
    assert "sector=public" in page.url
    assert "municipality=1281" in page.url
    page.locator(".result-list h3").first.wait_for()
    names = page.locator(".result-list h3").all_inner_texts()
    assert names == ["Kommunförbundet Skåne", "Lunds kommun", "Region Skåne"]


def test_list_and_detail_have_no_serious_axe_violations(page, live_server, directory_demo):
    page.goto(f"{live_server.url}/directory/?q=malm")
    assert _serious(Axe().run(page)) == []
    page.goto(f"{live_server.url}/directory/natverket-ideburen-sektor-skane/")
    assert page.get_by_text("Oskar Lindahl").is_visible()
    assert _serious(Axe().run(page)) == []
    page.goto(f"{live_server.url}/directory/suggest/")
    assert _serious(Axe().run(page)) == []


def test_phone_visitor_finds_an_offer_by_a_word_with_the_keyboard(
    page, live_server, directory_demo
):
    """On a phone: search an offer by a word of its description, filter by municipality
    with the keyboard only, open the offer page; axe finds nothing serious on either."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/directory/offers/")
    search = page.get_by_role("searchbox", name="Sök erbjudanden")
    search.focus()
    page.keyboard.type("boccia")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Prova-på-idrott").wait_for()
    # The filters are folded under one control; open it and choose with keys alone.
    page.get_by_text("Filter", exact=True).focus()
    page.keyboard.press("Enter")
    municipality = page.get_by_label("Kommun", exact=True)
    municipality.focus()
    page.keyboard.press("ArrowDown")  # after "All": the only municipality with a match
    assert municipality.input_value() == "1280"
    page.get_by_role("button", name="Sök").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**municipality=1280**")
    assert page.locator("#result-count").inner_text() == "1 erbjudande"
    assert _serious(Axe().run(page)) == []
    link = page.get_by_role("link", name="Prova-på-idrott")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/directory/offers/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Prova-på-idrott"
    assert page.get_by_role("link", name="Föreningen Idrott för Handikappade").is_visible()
    assert _serious(Axe().run(page)) == []


def test_phone_visitor_sees_results_first_and_filters_by_municipality_with_keys(
    page, live_server, directory_demo
):
    """On a phone the directory's filters fold under one control, so the first screen shows
    results; the municipality filter is reached and chosen with the keyboard alone."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/directory/")
    first = page.locator(".result-list h3").first
    box = first.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844, box
    assert not page.get_by_label("Kommun", exact=True).is_visible()
    summary = page.get_by_text("Filter", exact=True)
    summary.focus()
    page.keyboard.press("Enter")
    municipality = page.get_by_label("Kommun", exact=True)
    municipality.focus()
    page.keyboard.press("ArrowDown")
    chosen = municipality.input_value()
    assert chosen
    page.get_by_role("button", name="Sök").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**municipality={chosen}**")
    assert page.locator(".result-list h3").count() >= 1
    assert _serious(Axe().run(page)) == []


def test_municipalities_are_a_type_to_filter_list_for_the_keyboard(
    page, live_server, directory_demo
):
    """The organisation form's 290 municipalities: a filter box (JavaScript) over a list of
    checkboxes, used with the keyboard alone on a phone; axe finds nothing serious."""
    from directory.models import Organisation
    from tests.factories import PASSWORD, make_user

    make_user("secretariat", email="sekretariat@example.org")
    organisation = Organisation.objects.get(slug="emmaus-bjorka")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-postadress").fill("sekretariat@example.org")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect_signed_in(page)
    page.goto(f"{live_server.url}/directory/{organisation.slug}/edit/")
    search = page.get_by_role("searchbox", name="Skriv för att filtrera: Kommuner där")
    search.focus()
    page.keyboard.type("lund")
    items = page.locator("[data-filter-item]:visible")
    visible = items.all_inner_texts()
    assert "Lund" in [text.strip() for text in visible]
    assert len(visible) < 10  # Lund and what is already chosen, not 290
    page.keyboard.press("Enter")  # ticks the one match, does not submit
    assert page.get_by_role("checkbox", name="Lund", exact=True).is_checked()
    assert "Lund" in page.locator("[data-filter-status]").first.inner_text()
    assert _serious(Axe().run(page)) == []
    page.get_by_role("button", name="Spara").focus()
    page.keyboard.press("Enter")
    page.locator(".message--success").wait_for()
    codes = set(organisation.municipalities.values_list("code", flat=True))
    assert "1281" in codes


def test_filters_start_open_beside_the_results_and_folded_on_a_phone(page, live_server):
    services.taxonomy_sync()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/directory/")
    filters = page.locator("details.filters")
    assert filters.evaluate("d => d.open") is True
    assert page.get_by_label("Sektor").is_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/directory/")
    assert filters.evaluate("d => d.open") is False
    # The two open-data links say where each goes (one name, one destination).
    assert page.get_by_role("link", name="Om öppna data (API-beskrivning)").count() == 1
