"""A round answered by the parties, in real browsers: the leader opens it (with the Code of
Good Practice questionnaire) and invites one respondent per side; two separate browser
contexts (one a phone) answer through their links; the leader and the public page show the
pooled result, the gap and the counts, and the side with one respondent is not shown
publicly."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from agreements import services
from agreements.enums import DECISION_STEP_ORDER, PRINCIPLE_ORDER
from agreements.models import AssessmentRound
from tests.agreements.conftest import make_agreement
from tests.e2e.conftest import serious_violations
from tests.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _log_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()


def _invite(page, name, email, role, party=None):
    form = page.locator("form", has=page.get_by_role("heading", name="Bjud in en svarande"))
    form.get_by_label("Namn").fill(name)
    form.get_by_label(re.compile("^E-?post-?adress")).fill(email)
    form.get_by_label("Svarar som").select_option(label=role)
    if party:
        form.get_by_label("Idéburen part").select_option(label=party)
    form.get_by_role("button", name="Skicka inbjudan").click()
    expect(page.get_by_text(f"{name} har fått en personlig länk till omgången.")).to_be_visible()


def _answer(page, link, scores, comment=None, level=None):
    page.goto(link)
    for fieldset, score in zip(
        page.locator("fieldset.principle-rating").all(), scores, strict=True
    ):
        fieldset.get_by_label(str(score), exact=True).check()
    if level:
        steps = page.locator("fieldset.step-rating").all()
        assert len(steps) == 6
        for fieldset in steps:
            fieldset.get_by_role("radio", name=re.compile(f"^{level}")).check()
    if comment:
        page.get_by_label(re.compile("^Kommentar om Dialog")).fill(comment)
    page.get_by_role("button", name="Skicka mina svar").click()
    expect(page.get_by_role("heading", name="Tack! Dina svar är sparade")).to_be_visible()


def _no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


_FITS = """(selector) => {
  const width = document.documentElement.clientWidth;
  const found = document.querySelectorAll(selector);
  const faults = found.length ? [] : [`nothing matches ${selector}`];
  for (const element of found) {
    const box = element.getBoundingClientRect();
    if (box.left < -0.5 || box.right > width + 0.5) {
      const span = `${Math.round(box.left)}..${Math.round(box.right)}`;
      faults.push(`${selector} spans ${span} of ${width}`);
    }
    for (let node = element; node && node !== document.body; node = node.parentElement) {
      const scrolls = getComputedStyle(node).overflowX !== "visible";
      if (scrolls && node.scrollWidth > node.clientWidth + 1) {
        faults.push(`${selector} scrolls sideways inside ${node.tagName}.${node.className}`);
      }
    }
  }
  return faults;
}"""


def _fits(page, selector) -> list[str]:
    """What keeps the element from fitting the viewport's width without sideways scrolling,
    whether the page itself or a scroll box around it would scroll ([] when it fits)."""
    return page.evaluate(_FITS, selector)


def test_parties_answer_a_round_through_their_links(page, browser, live_server):
    services.content_sync()
    leader = make_user("process_leader", full_name="Ingrid Sjöholm")
    agreement = make_agreement(leaders=[leader], title="Överenskommelse i Höör")
    party = agreement.civil_parties.get()
    mail.outbox.clear()
    _log_in(page, live_server, leader.email)

    page.goto(f"{live_server.url}/agreements/{agreement.pk}/manage/")
    page.get_by_role("link", name="Skattningsomgångar").click()
    page.get_by_role("link", name="Öppna en omgång").click()
    page.get_by_label("Stänger").fill((timezone.localdate() + timedelta(days=7)).isoformat())
    page.get_by_label("Fråga också om nivåerna av delaktighet (EU-koden)").check()
    page.get_by_role("button", name="Öppna omgången").click()
    expect(
        page.get_by_text("Omgången är öppen. Bjud in de svarande på varje sida.")
    ).to_be_visible()
    assert serious_violations(page) == []

    _invite(page, "Vera Holmgren", "vera@example.org", "Politiker")
    _invite(page, "Tarik Nilsson", "tarik@example.org", "Idéburen part", party=party.name)
    links = {}
    for message in mail.outbox:
        links[message.to[0]] = re.search(r"http\S+/agreements/answer/\S+/", message.body).group(0)
    assert set(links) == {"vera@example.org", "tarik@example.org"}

    # Two more civil-society respondents answer (outside the browser): that side has three.
    round_ = AssessmentRound.objects.get(agreement=agreement)
    for number in range(2):
        respondent, _token = services.respondent_invite(
            round_=round_,
            name=f"Extra {number}",
            email=f"extra{number}@example.org",
            role="civil_society",
            organisation=party,
            notify=False,
        )
        services.respondent_answer(
            respondent=respondent,
            scores={code: (2, "") for code in PRINCIPLE_ORDER},
            participation={step: "information" for step in DECISION_STEP_ORDER},
        )

    # The politician answers on a computer, the association's person on a phone, each in a
    # browser context of their own (no session, no account).
    desk = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    phone = browser.new_context(locale="sv-SE", viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        desk_page = desk.new_page()
        _answer(desk_page, links["vera@example.org"], [5, 5, 4, 5, 4, 5], level="Partnerskap")
        phone_page = phone.new_page()
        phone_page.goto(links["tarik@example.org"])
        assert _no_sideways_scroll(phone_page)
        assert serious_violations(phone_page) == []
        _answer(
            phone_page,
            links["tarik@example.org"],
            [2, 2, 3, 2, 3, 2],
            "Vi hörs för sent.",
            level="Information",
        )
    finally:
        desk.close()
        phone.close()

    # The leader closes the round and sees both sides, with the note about the small side.
    page.reload()
    expect(page.get_by_text("Svar: idéburen sektor 3, offentlig sektor 1.")).to_be_visible()
    page.get_by_role("button", name="Stäng omgången").click()
    expect(page.get_by_text("Omgången är stängd; dess resultat visas nu.")).to_be_visible()
    dialog = page.get_by_role("row", name=re.compile("^Dialog"))
    expect(dialog).to_contain_text("2 ±0,0, n=3")
    expect(dialog).to_contain_text("5 ±0,0, n=1")
    expect(dialog.locator("td").nth(2)).to_have_text("3")  # the gap
    expect(page.get_by_text(re.compile("^Bara processledare ser detta")).first).to_be_visible()
    # The questionnaire: civil society's information (1) against the politician's
    # partnership (4), shown to the leader with the note about the small side.
    levels = page.locator("table.participation-table")
    decision = levels.get_by_role("row", name=re.compile("^Beslut"))
    expect(decision).to_contain_text("Information (1,0)")
    expect(decision).to_contain_text("Partnerskap (4,0)")
    expect(decision.locator("td").nth(2)).to_contain_text("3,0")
    page.goto(f"{live_server.url}/agreements/{agreement.pk}/manage/")
    expect(page.get_by_role("row", name=re.compile("^Dialog"))).to_contain_text("sidorna ser olika")

    # The public: civil society's pooled result and the counts; the municipality's single
    # answer is not shown.
    public = browser.new_context(locale="sv-SE", viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        visitor = public.new_page()
        visitor.goto(f"{live_server.url}/agreements/{agreement.pk}/")
        expect(visitor.get_by_text("Svar: idéburen sektor 3, offentlig sektor 1.")).to_be_visible()
        expect(
            visitor.get_by_text(
                "Visas inte offentligt, färre än 3 svarande: Offentlig sektor."
            ).first
        ).to_be_visible()
        participation = visitor.locator(
            "section",
            has=visitor.get_by_role("heading", name="Det civila samhällets delaktighet i besluten"),
        )
        expect(participation).to_contain_text(
            "Svar på den här enkäten: idéburen sektor 3, offentlig sektor 1."
        )
        expect(participation).to_contain_text("Ensidigt")
        expect(participation.get_by_role("row", name=re.compile("^Beslut"))).not_to_contain_text(
            "Partnerskap"
        )
        expect(visitor.get_by_text(re.compile("^Ensidig omgång"))).to_be_visible()
        row = visitor.locator("table.health").get_by_role("row", name=re.compile("^Dialog"))
        expect(row).to_contain_text("2 ")
        expect(row).not_to_contain_text("5")
        assert "Vera Holmgren" not in visitor.content()
        assert "Tarik Nilsson" not in visitor.content()
        # The phase timeline fits the phone without sideways scrolling.
        assert _no_sideways_scroll(visitor)
    finally:
        public.close()


def test_comparison_fits_a_laptop_and_a_phone(page, browser, live_server):
    from agreements import demo
    from directory import demo as directory_demo

    services.content_sync()
    make_user("process_leader", email="leader@example.org", full_name="Jonas Rydberg")
    make_user("secretariat", email="secretariat@example.org", full_name="Sami Haddad")
    directory_demo.load()
    demo.load()
    _log_in(page, live_server, "leader@example.org")
    page.goto(f"{live_server.url}/agreements/compare/")
    expect(page.get_by_role("columnheader", name="Malmö")).to_be_visible()
    assert _no_sideways_scroll(page)  # 1280 px wide: the seven agreements fit
    assert _fits(page, "table.compare") + _fits(page, "table.heatmap") == []
    assert serious_violations(page) == []
    cookies = page.context.cookies()
    phone = browser.new_context(locale="sv-SE", viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        phone.add_cookies(cookies)
        small = phone.new_page()
        small.goto(f"{live_server.url}/agreements/compare/")
        expect(
            small.get_by_role("heading", name="Principerna, överenskommelse för överenskommelse")
        ).to_be_visible()
        assert _no_sideways_scroll(small)
        assert _fits(small, "table.compare") + _fits(small, "table.heatmap") == []
        for place in ("Malmö", "Lund"):
            small.goto(f"{live_server.url}/agreements/")
            small.get_by_role("link", name=f"Lokal överenskommelse i {place}").first.click()
            expect(small.get_by_role("heading", name="Fas och tidslinje")).to_be_visible()
            assert _no_sideways_scroll(small)
            # The phase timeline table itself fits, not only the page around it.
            assert _fits(small, "table.timeline") == []
        # Lund's latest round asked the Code of Good Practice questionnaire: its table fits too.
        assert _fits(small, "table.participation-table") == []
        assert serious_violations(small) == []
    finally:
        phone.close()
