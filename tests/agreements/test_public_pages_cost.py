"""The public list and page of agreements read the closed rounds as plain rows
(selectors.completed_rounds_prepared_for) instead of every respondent's answers as model
instances through prefetches (issue 17): the same page as before, in a fixed, small number
of statements however many rounds and respondents there are."""

import re
from datetime import date, timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from agreements import charts, selectors
from agreements.enums import GAP_THRESHOLD, PHASE_ORDER
from tests.agreements.conftest import make_agreement, record_round, scores
from tests.agreements.test_page_queries import _grow


def _normalised(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "CSRF", html)


@pytest.fixture
def agreements(leader):
    rated = make_agreement(leaders=[leader], title="Överenskommelse med svar")
    record_round(rated, date(2024, 3, 1), scores(2), scores(4, dialogue=1), by=leader)
    _grow(rated, leader, 3)  # an answered round, enough respondents to be public
    on_behalf = make_agreement(leaders=[leader], title="Överenskommelse med skattning")
    record_round(on_behalf, date(2023, 5, 1), scores(3), scores(5, quality=2), by=leader)
    record_round(on_behalf, date(2024, 5, 1), scores(4), scores(4), by=leader)
    empty = make_agreement(leaders=[leader], title="Överenskommelse utan omgång")
    return [rated, on_behalf, empty]


def _list_before() -> dict:
    """The list's context as the view built it through the prefetches."""
    principle_list = selectors.principles()
    rows = [
        {"agreement": a, "health": selectors.principle_health(a, principle_list)}
        for a in selectors.agreement_list_public()
    ]
    return {"rows": rows, "principles": principle_list}


def _page_before(pk) -> dict:
    agreement = selectors.agreement_for_page(pk)
    health = selectors.principle_health(agreement, selectors.principles())
    return {
        "agreement": agreement,
        "timeline": selectors.phase_timeline(agreement),
        "health": health,
        "sides_chart": charts.sides_chart(health),
        "trend_chart": charts.trend_chart(health),
        "gap_threshold": GAP_THRESHOLD,
        "phases": PHASE_ORDER,
        "can_edit": False,
        "progress": selectors.action_progress(agreement),
        "today": timezone.localdate(),
        "participation": selectors.latest_participation(agreement),
    }


@pytest.mark.parametrize("language", ["sv", "en"])
def test_public_list_and_pages_are_the_same_as_through_the_prefetches(
    client, agreements, language, settings
):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("agreements:list"))
    with translation.override(language):
        before = render_to_string("agreements/list.html", _list_before(), response.wsgi_request)
    page = response.content.decode()
    assert _normalised(page) == _normalised(before)
    assert page.count("<tr>") == 4  # the header and three agreements
    for agreement in agreements:
        response = client.get(reverse("agreements:detail", args=[agreement.pk]))
        with translation.override(language):
            before = render_to_string(
                "agreements/detail.html", _page_before(agreement.pk), response.wsgi_request
            )
        assert _normalised(response.content.decode()) == _normalised(before)


def test_public_list_and_page_use_few_statements_however_many_answers(
    client, agreements, leader, settings, django_assert_max_num_queries
):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 0  # every part rendered: the first view after a write
    rated = agreements[0]
    urls = [reverse("agreements:list"), reverse("agreements:detail", args=[rated.pk])]
    counts = []
    for url in urls:
        client.get(url)
        with django_assert_max_num_queries(9) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    _grow(rated, leader, 6)  # another answered round, twice the respondents
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200


def test_cached_health_follows_writes_and_never_mixes_leader_and_public(
    client, agreement, leader, settings
):
    """The health section is shared under the content version (portal/fragment_cache.py):
    a new round is on the next render, and what only process leaders see (a side with too few
    respondents) never reaches the public page, whichever page filled the cache first."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert settings.PORTAL_FRAGMENT_CACHE_SECONDS > 0
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    _grow(agreement, leader, 1)  # one respondent per side: figures for the leaders only
    leader_client = client.__class__()
    leader_client.force_login(leader)
    manage = reverse("agreements:manage", args=[agreement.pk])
    public = reverse("agreements:detail", args=[agreement.pk])
    leader_note = "Bara processledare ser detta"
    assert leader_note in leader_client.get(manage).content.decode()
    page = client.get(public).content.decode()
    assert leader_note not in page and "Visas inte offentligt" in page
    with CaptureQueriesContext(connection) as queries:
        again = leader_client.get(manage).content.decode()
    assert leader_note in again  # from the cache, without reading the rounds
    assert not [q for q in queries.captured_queries if "agreements_assessmentround" in q["sql"]]
    held_on = timezone.localdate() - timedelta(days=1)  # now the latest round
    record_round(agreement, held_on, scores(1), scores(5), by=leader)
    assert f"Omgången {held_on:%Y-%m-%d}" in leader_client.get(manage).content.decode()
    assert f"Omgången {held_on:%Y-%m-%d}" in client.get(public).content.decode()
