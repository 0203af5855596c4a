"""Issue 10, findings 2 and 3 for agreements: a refused save is no longer a dead end, and
the checklist saves one answer at a time (htmx) without losing what is typed elsewhere."""

import pytest
from django.test import Client
from django.urls import reverse

from agreements import services
from agreements.models import Agreement, ChecklistAnswer
from tests.integrity.pages import form_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_leaders(agreement, leader, secretariat):
    a, b = Client(), Client()
    a.force_login(leader)
    b.force_login(secretariat)  # the secretariat may change every agreement
    return a, b


def test_agreement_refused_save_can_be_saved_again_without_retyping(agreement, two_leaders):
    a, b = two_leaders
    page = reverse("agreements:edit", args=[agreement.pk])
    action, data_a = form_on(a, page, "agreements:edit")
    _action, data_b = form_on(b, page, "agreements:edit")
    data_a["summary"] = ["A:s sammanfattning"]
    data_b["internal_notes"] = ["B:s anteckning"]
    assert a.post(action, data_a).status_code == 302
    refused = b.post(action, data_b)
    assert refused.status_code == 409
    _action, again = form_on(b, page, "agreements:edit", response=refused)
    assert again["internal_notes"] == ["B:s anteckning"]
    assert b.post(action, again).status_code == 302  # before: refused again, for ever
    agreement = Agreement.objects.get(pk=agreement.pk)
    assert (agreement.summary, agreement.internal_notes) == ("A:s sammanfattning", "B:s anteckning")


def _first_question(agreement):
    return services.checklist_items_for(agreement, agreement.phase).order_by("position", "pk")


def test_checklist_answer_saves_alone_with_htmx(agreement, two_leaders):
    a, _b = two_leaders
    first, second = _first_question(agreement)[:2]
    page = reverse("agreements:checklist", args=[agreement.pk])
    action, data = form_on(a, page, "agreements:answer", response=_only(a, page, first))
    data[f"q{first.pk}-note"] = ["Vi har frågat föreningarna."]
    data[f"q{first.pk}-state"] = ["in_progress"]
    response = a.post(action, data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    # Only this question's form comes back, to replace itself; the rest of the page stays.
    assert html.count("<form") == 1 and f'id="q{first.pk}"' in html
    assert f'id="q{second.pk}"' not in html
    answer = ChecklistAnswer.objects.get(agreement=agreement, item=first)
    assert (answer.state, answer.note, answer.version) == (
        "in_progress",
        "Vi har frågat föreningarna.",
        1,
    )
    # The returned form carries the new version: the next save of it is accepted.
    _action, again = form_on(a, page, "agreements:answer", response=response)
    assert again[f"q{first.pk}-version"] == ["1"]
    again[f"q{first.pk}-state"] = ["answered"]
    assert a.post(action, again, headers={"HX-Request": "true"}).status_code == 200
    assert ChecklistAnswer.objects.get(pk=answer.pk).state == "answered"


def test_checklist_conflict_keeps_input_and_saves_again(agreement, two_leaders, other_leader):
    a, _b = two_leaders
    first = _first_question(agreement)[0]
    page = reverse("agreements:checklist", args=[agreement.pk])
    action, data = form_on(a, page, "agreements:answer", response=_only(a, page, first))
    services.checklist_answer_update(
        agreement=agreement, item=first, state="answered", note="B:s svar", updated_by=other_leader
    )
    data[f"q{first.pk}-note"] = ["A:s svar"]
    refused = a.post(action, data, headers={"HX-Request": "true"})
    assert "B:s svar" in refused.content.decode()
    _action, again = form_on(a, page, "agreements:answer", response=refused)
    assert again[f"q{first.pk}-note"] == ["A:s svar"]
    assert a.post(action, again, headers={"HX-Request": "true"}).status_code == 200
    assert ChecklistAnswer.objects.get(agreement=agreement, item=first).note == "A:s svar"


def test_checklist_page_saves_answers_with_htmx_and_warns_before_leaving(agreement, leader):
    client = Client()
    client.force_login(leader)
    html = client.get(reverse("agreements:checklist", args=[agreement.pk])).content.decode()
    assert html.count("data-hx-post=") == html.count('class="question card"') > 0
    assert html.count("data-warn-unsaved") >= html.count('class="question card"')
    assert "js/unsaved.js" in html


def _only(client, page, item):
    """The checklist page cut down to one question's form (the page has one per question)."""
    from django.http import HttpResponse

    html = client.get(page).content.decode()
    start = html.index('<form method="post" action="/agreements/')
    marker = f'id="q{item.pk}"'
    start = html.rindex("<form", 0, html.index(marker))
    end = html.index("</form>", start) + len("</form>")
    return HttpResponse(html[start:end])
