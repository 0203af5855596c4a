"""The process leaders' workspace and checklist: a fixed, small number of SQL statements
however much the agreement holds (issue 17: at most 12 per page, also with ten times the rows).
"""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements import services
from agreements.enums import PRINCIPLE_ORDER, AnchoringLevel, ChecklistState, LogKind, Side
from agreements.models import Agreement, ChecklistItem, Principle
from tests.agreements.conftest import record_round, scores
from tests.factories import make_user

MAX_STATEMENTS = 12


def _grow(agreement, leader, times: int) -> None:
    """`times` rounds of what a year's work adds: actions, log entries, answers, local
    questions, a closed round answered by invited respondents."""
    today = timezone.localdate()
    principles = list(Principle.objects.order_by("position"))
    for number in range(times):
        for side in (Side.CIVIL_SOCIETY, Side.PUBLIC):
            services.action_create(
                agreement=agreement,
                title=f"Åtgärd {number} {side}",
                owner_side=side,
                due_on=today - timedelta(days=number),
                principle=principles[number % len(principles)],
            )
        services.log_entry_add(
            agreement=agreement,
            kind=LogKind.MEETING,
            occurred_on=today - timedelta(days=number),
            title=f"Dialogmöte {number}",
            note="Anteckning",
            created_by=leader,
        )
        services.checklist_item_add(
            agreement=agreement, phase=agreement.phase, text_sv=f"Lokal fråga {number}"
        )
    for item in ChecklistItem.objects.filter(answers__isnull=True).filter(
        agreement__in=[None, agreement]
    ):
        services.checklist_answer_update(
            agreement=agreement,
            item=item,
            state=ChecklistState.ANSWERED,
            note="Diskuterat",
            evidence="Protokoll",
            updated_by=leader,
        )
    round_ = services.round_open(
        agreement=agreement, held_on=today - timedelta(days=30), closes_on=None
    )
    for number in range(times):
        for side, role in ((Side.CIVIL_SOCIETY, "civil_society"), (Side.PUBLIC, "official")):
            party = agreement.civil_parties.first() if side == Side.CIVIL_SOCIETY else None
            respondent, _token = services.respondent_invite(
                round_=round_,
                name=f"Person {number} {side}",
                email=f"p{number}-{side}-{round_.pk}@example.org",
                role=role,
                organisation=party,
                notify=False,
            )
            services.respondent_answer(
                respondent=respondent,
                scores={code: (3 + number % 2, "Kommentar") for code in PRINCIPLE_ORDER},
            )
    services.round_status_set(round_=round_, status="closed")


@pytest.fixture
def busy_agreement(agreement, leader):
    record_round(agreement, date(2024, 3, 1), scores(2), scores(4), by=leader)
    agreement = Agreement.objects.get(pk=agreement.pk)
    services.agreement_phase_advance(
        agreement=agreement, expected_version=agreement.version, advanced_by=leader, note="Vidare"
    )
    agreement = Agreement.objects.get(pk=agreement.pk)
    for level in AnchoringLevel.values:
        services.anchoring_record(
            agreement=agreement, level=level, anchored_on=date(2024, 1, 1), reference="Beslut"
        )
    _grow(agreement, leader, 1)
    return agreement


def _statements(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["agreements:manage", "agreements:checklist"])
@pytest.mark.parametrize("shared", [False, True], ids=["fragments off", "fragments cached"])
def test_workspace_pages_use_few_statements_also_with_ten_times_the_rows(
    client, leader, busy_agreement, name, shared, settings, django_assert_max_num_queries
):
    if not shared:  # every part rendered, as on the first view after a write
        settings.PORTAL_FRAGMENT_CACHE_SECONDS = 0
    client.force_login(leader)
    url = reverse(name, args=[busy_agreement.pk])
    client.get(url)  # the first request of a session may differ: measure the second
    with django_assert_max_num_queries(MAX_STATEMENTS):
        response = client.get(url)
    assert response.status_code == 200
    small = _statements(client, url)
    _grow(busy_agreement, leader, 9)
    with django_assert_max_num_queries(MAX_STATEMENTS):
        response = client.get(url)  # with the cache on: the first render after the writes
    with django_assert_max_num_queries(min(small, MAX_STATEMENTS)):
        response = client.get(url)
    page = response.content.decode()
    if name == "agreements:manage":
        assert page.count("Åtgärd ") >= 20  # every action is listed
        assert page.count("Dialogmöte ") == 10
    else:
        assert page.count("Lokal fråga ") >= 10
        assert page.count("Last saved by") + page.count("Senast sparad av") >= 10


@pytest.mark.parametrize("audience", ["public", "leader"])
def test_prepared_rounds_give_the_same_health_as_the_prefetched_ones(
    busy_agreement, leader, audience
):
    """The workspace reads the closed rounds in two statements (completed_rounds_prepared);
    the public page reads them through prefetches. Both give the same figures and comments."""
    from agreements import selectors

    record_round(busy_agreement, date(2024, 9, 1), scores(3), scores(5), by=leader)
    _grow(busy_agreement, leader, 3)  # a second answered round, enough to show to the public
    principle_list = selectors.principles()

    def summary(health):
        return [
            (
                row.code,
                row.civil,
                row.public,
                row.civil_spread,
                row.public_spread,
                row.comments,
                row.trend,
                row.civil_trend,
                row.public_trend,
            )
            for row in health.principles
        ] + [
            [r.pk for r in health.rounds],
            health.latest.answered if health.latest else None,
            health.latest.invited if health.latest else None,
        ]

    prefetched = selectors.principle_health(
        selectors.agreement_for_page(busy_agreement.pk), principle_list, audience=audience
    )
    prepared = selectors.principle_health(
        busy_agreement,
        principle_list,
        audience=audience,
        rounds=selectors.completed_rounds_prepared(busy_agreement),
    )
    assert len(prefetched.rounds) == 4
    assert any(row.comments for row in prefetched.principles)
    assert summary(prepared) == summary(prefetched)


def _normalised(html: str) -> str:
    """Whitespace between tags does not matter (inside a textarea it does: kept), nor the
    CSRF token's mask (new on every render)."""
    import re

    html = re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "CSRF", html)
    return re.sub(r">\s+<", "><", re.sub(r"\n\s*\n", "\n", html)).strip()


_ROW_BEFORE = Template(
    (Path(__file__).parent / "markup_before" / "checklist_row_prepared.html").read_text()
)
_ROW_TAG = Template("{% load agreements_tags %}{% checklist_row row %}")


def test_written_out_questions_are_the_same_form_as_the_answer_forms(
    rf, leader, busy_agreement, settings
):
    """The checklist writes out the questions not being saved (the checklist_row tag);
    a posted one goes through the answer form (checklist_row.html). Both give the same form:
    states, values (escaped), the document and its remove box, who saved last."""
    from django.core.files.base import ContentFile
    from django.template.loader import render_to_string

    from agreements import selectors
    from agreements.forms import ChecklistAnswerForm, LocalQuestionForm
    from agreements.models import ChecklistAnswer
    from agreements.views import _answer_initial

    answer = ChecklistAnswer.objects.filter(agreement=busy_agreement).first()
    answer.note = 'Rad ett & "två"\n<rad tre>'
    answer.evidence = "Protokoll 's 3"
    answer.evidence_name = "beslut <2024>.pdf"
    answer.evidence_file.save("beslut.pdf", ContentFile(b"%PDF-1.4"), save=False)
    answer.save()
    services.checklist_item_add(
        agreement=busy_agreement, phase=busy_agreement.phase, text_sv="Obesvarad fråga"
    )
    nameless = make_user("process_leader", email="person-utan-namn@example.org", full_name="")
    unanswered = ChecklistItem.objects.filter(agreement=None).exclude(
        answers__agreement=busy_agreement
    )
    services.checklist_answer_update(
        agreement=busy_agreement,
        item=unanswered.filter(phase=busy_agreement.phase).first(),
        state=ChecklistState.IN_PROGRESS,
        note="Påbörjad",
        updated_by=nameless,
    )
    request = rf.get("/")
    request.user = leader
    request.csp_nonce = "nonce-of-this-request"  # what the CSP middleware gives every request
    for language in ("sv", "en"):
        from django.utils import translation

        with translation.override(language):
            pages = []
            for with_forms in (True, False):
                groups = selectors.checklist_for(busy_agreement)
                for group in groups:
                    for row in group.rows:
                        if with_forms:
                            row.form = ChecklistAnswerForm(
                                prefix=f"q{row.item.pk}", initial=_answer_initial(row.answer)
                            )
                context = {
                    "agreement": busy_agreement,
                    "checklist": groups,
                    "answer_fields": ChecklistAnswerForm.field_texts(),
                    "question_form": LocalQuestionForm(),
                    "can_add_question": False,
                }
                pages.append(
                    _normalised(render_to_string("agreements/checklist.html", context, request))
                )
            with_forms, written_out = pages
            assert "remove_file" in written_out and "Obesvarad fråga" in written_out
            assert "Rad ett &amp; &quot;två&quot;\n&lt;rad tre&gt;</textarea>" in written_out
            assert "person-utan-namn@example.org" in written_out
            assert written_out == with_forms
            # And byte for byte what the included template wrote before the tag did.
            for group in selectors.checklist_for(busy_agreement):
                for row in group.rows:
                    context = Context(
                        {
                            "agreement": busy_agreement,
                            "row": row,
                            "answer_fields": ChecklistAnswerForm.field_texts(),
                            "csrf_token": "token-of-this-request",
                        }
                    )
                    assert _ROW_TAG.render(context) == _ROW_BEFORE.render(context)


def test_checklist_counts_are_the_checklist_progress(busy_agreement, leader):
    """The workspace counts the questions and answers per phase in one grouped statement;
    another agreement's local questions and answers do not count."""
    from agreements import selectors
    from agreements.models import ChecklistAnswer
    from tests.agreements.conftest import make_agreement

    other = make_agreement(leaders=[leader])
    services.checklist_item_add(agreement=other, phase=busy_agreement.phase, text_sv="Deras fråga")
    for item in ChecklistItem.objects.filter(agreement=None)[:5]:
        services.checklist_answer_update(
            agreement=other, item=item, state=ChecklistState.ANSWERED, updated_by=leader
        )
    for item in ChecklistItem.objects.filter(agreement=None).order_by("-pk")[:3]:
        services.checklist_answer_update(
            agreement=busy_agreement, item=item, state=ChecklistState.ANSWERED, updated_by=leader
        )
    answer = ChecklistAnswer.objects.filter(agreement=busy_agreement).order_by("pk").first()
    services.checklist_answer_update(  # answered before, now in progress again
        agreement=busy_agreement,
        item=answer.item,
        state=ChecklistState.IN_PROGRESS,
        expected_version=answer.version,
        updated_by=leader,
    )
    expected = [
        (group.phase, group.label, group.questions, group.answered)
        for group in selectors.checklist_for(busy_agreement)
    ]
    counted = [
        (count.phase, count.label, count.questions, count.answered)
        for count in selectors.checklist_counts(busy_agreement)
    ]
    assert counted == expected
    assert sum(answered for *_rest, answered in counted) > 0


def _without_csrf(html: str) -> str:
    """The CSRF token's mask and the script nonce are new on every request."""
    import re

    html = re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "CSRF", html)
    return re.sub(r'nonce="[^"]+"', "NONCE", html)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_workspace_page_is_the_same_with_fields_written_in_python(
    client, leader, busy_agreement, language, settings, monkeypatch, tmp_path
):
    """The workspace's forms go through portal/form_rendering.py and the {% form_field %} tag
    (portal_tags): the page is byte for byte the one that Django's widget templates and
    templates/includes/field.html give (the bound forms with errors: see
    tests/portal/test_form_rendering.py)."""
    from django.forms.renderers import get_default_renderer

    from agreements import forms
    from portal.form_rendering import plain_widget_renderer

    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 0
    Agreement.objects.filter(pk=busy_agreement.pk).update(phase_plan={"pre": "2024-02-03"})
    client.force_login(leader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    url = reverse("agreements:manage", args=[busy_agreement.pk])
    written = _without_csrf(client.get(url).content.decode())
    one_pass_forms = [
        form_class
        for form_class in vars(forms).values()
        if isinstance(form_class, type)
        and vars(form_class).get("default_renderer") is plain_widget_renderer
    ]
    assert {"ActionForm", "AnchoringForm", "LogEntryForm", "PhasePlanForm"} <= {
        form_class.__name__ for form_class in one_pass_forms
    }
    for form_class in one_pass_forms:
        monkeypatch.setattr(form_class, "default_renderer", get_default_renderer())
    source = Path("agreements/templates/agreements/includes/manage_workspace.html").read_text()
    assert source.count("{% form_field field %}") == 4
    (tmp_path / "agreements" / "includes").mkdir(parents=True)
    (tmp_path / "agreements" / "includes" / "manage_workspace.html").write_text(
        source.replace("{% form_field field %}", '{% include "includes/field.html" %}')
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    through_templates = _without_csrf(client.get(url).content.decode())
    assert written == through_templates
    assert written.count('<div class="field') >= 12 and 'value="2024-02-03"' in written


def test_cached_workspace_follows_writes_the_day_and_the_report_permission(
    client, leader, busy_agreement, settings, monkeypatch
):
    """The workspace below the navigation is one shared fragment (portal/fragment_cache.py):
    every write is on the next request, a new day gives the new day's dates and overdue
    flags, and a leader who may not produce reports never gets the report button from a
    copy rendered for one who may (nor the other way round)."""
    from django.contrib.auth.models import Permission

    assert settings.PORTAL_FRAGMENT_CACHE_SECONDS > 0
    client.force_login(leader)
    url = reverse("agreements:manage", args=[busy_agreement.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert not [q for q in queries.captured_queries if "agreements_actionplanitem" in q["sql"]]
    assert "Åtgärd 0" in page and "Ny åtgärd efter cachen" not in page
    agreement = Agreement.objects.get(pk=busy_agreement.pk)
    services.action_create(agreement=agreement, title="Ny åtgärd efter cachen", owner_side="public")
    assert "Ny åtgärd efter cachen" in client.get(url).content.decode()
    services.log_entry_add(
        agreement=agreement,
        kind=LogKind.MEETING,
        occurred_on=timezone.localdate(),
        title="Nytt loggat möte",
        created_by=leader,
    )
    assert "Nytt loggat möte" in client.get(url).content.decode()
    Agreement.objects.filter(pk=agreement.pk).update(internal_notes="Ny intern anteckning")
    assert "Ny intern anteckning" in client.get(url).content.decode()

    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    assert f'value="{today:%Y-%m-%d}" max="{today:%Y-%m-%d}"' in client.get(url).content.decode()
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    page = client.get(url).content.decode()
    assert f'value="{tomorrow:%Y-%m-%d}" max="{tomorrow:%Y-%m-%d}"' in page
    monkeypatch.undo()

    report_button = f"agreements/{agreement.pk}/report/"
    assert report_button in client.get(url).content.decode()
    no_reports = make_user()
    no_reports.user_permissions.add(
        Permission.objects.get(codename="change_agreement", content_type__app_label="agreements")
    )
    agreement.process_leaders.add(no_reports)
    other = client.__class__()
    other.force_login(no_reports)
    page = other.get(url).content.decode()
    assert page.count("Åtgärd ") >= 2 and report_button not in page
    assert report_button in client.get(url).content.decode()


@pytest.mark.parametrize("language", ["sv", "en"])
def test_cached_checklist_is_the_rendered_one_and_follows_writes(
    client, leader, busy_agreement, language, settings
):
    """The checklist's questions with their answers are one shared fragment under the content
    version: a second view reads no question or answer, gives the page that rendering gives
    (CSRF tokens filled in per request), and a saved answer is on the next view."""
    assert settings.PORTAL_FRAGMENT_CACHE_SECONDS > 0
    client.force_login(leader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    url = reverse("agreements:checklist", args=[busy_agreement.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        cached = client.get(url).content.decode()
    assert not [q for q in queries.captured_queries if "agreements_checklist" in q["sql"]]
    assert len(queries) <= 5
    assert cached.count('name="csrfmiddlewaretoken"') >= 20
    assert "\x00" not in cached
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 0
    rendered = client.get(url).content.decode()
    assert _without_csrf(cached) == _without_csrf(rendered)
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 300
    from agreements.models import ChecklistAnswer

    answer = ChecklistAnswer.objects.filter(agreement=busy_agreement).order_by("pk").first()
    services.checklist_answer_update(
        agreement=busy_agreement,
        item=answer.item,
        state=ChecklistState.ANSWERED,
        note="Nytt svar efter cachen",
        expected_version=answer.version,
        updated_by=leader,
    )
    assert "Nytt svar efter cachen" in client.get(url).content.decode()


def test_cached_checklist_keeps_posted_forms_and_the_question_form_apart(
    client, leader, busy_agreement, settings
):
    """A posted answer with an error is shown to the person who posted it only (that page is
    never shared), and the form for a local question only to those who may add one (the
    secretariat), whoever rendered the shared copy first."""
    secretariat = make_user("secretariat")
    client.force_login(secretariat)
    url = reverse("agreements:checklist", args=[busy_agreement.pk])
    assert "question_add" not in url
    add_question = reverse("agreements:question_add", args=[busy_agreement.pk])
    assert add_question in client.get(url).content.decode()
    other = client.__class__()
    other.force_login(leader)
    assert add_question not in other.get(url).content.decode()
    assert add_question in client.get(url).content.decode()

    item = ChecklistItem.objects.filter(agreement=None, phase=busy_agreement.phase).first()
    posted = client.post(
        reverse("agreements:answer", args=[busy_agreement.pk, item.pk]),
        {f"q{item.pk}-state": "bogus", f"q{item.pk}-note": "Mitt osparade utkast"},
    )
    assert posted.status_code == 400
    assert "Mitt osparade utkast" in posted.content.decode()
    assert "Mitt osparade utkast" not in other.get(url).content.decode()
    assert "Mitt osparade utkast" not in client.get(url).content.decode()


@pytest.mark.parametrize("language", ["sv", "en"])
def test_workspace_and_public_page_are_the_same_as_with_the_template_loops(
    client, leader, busy_agreement, language, settings, tmp_path
):
    """The phase history, the action rows, the timeline rows and the health and trend tables
    rows are written by template tags (agreements_tags: phase_history, action_rows,
    timeline_rows, health_rows, trend_rows): the workspace and the public
    page are byte for byte what the loops gave (the templates as they were, in
    tests/agreements/markup_before/): back-dated and reverted changes, a person without a
    name, open questions, a late start against the plan, actions of every status with and
    without a due date, values to escape."""
    from agreements.enums import ActionStatus
    from agreements.models import ActionPlanItem, PhaseChange

    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 0
    today = timezone.localdate()
    agreement = Agreement.objects.get(pk=busy_agreement.pk)
    services.agreement_phase_revert(
        agreement=agreement,
        expected_version=agreement.version,
        reverted_by=make_user("process_leader", email="utan-namn@example.org", full_name=""),
        note='Tillbaka: <oklart> & "mer"',
    )
    agreement = Agreement.objects.get(pk=busy_agreement.pk)
    services.agreement_phase_advance(
        agreement=agreement, expected_version=agreement.version, advanced_by=leader
    )
    first, *_rest, last = PhaseChange.objects.filter(agreement=agreement).order_by("pk")
    PhaseChange.objects.filter(pk=last.pk).update(
        open_questions=3, changed_at=last.changed_at + timedelta(days=3)
    )
    PhaseChange.objects.filter(pk=first.pk).update(effective_on=today - timedelta(days=400))
    Agreement.objects.filter(pk=agreement.pk).update(
        phase_plan={"pre": (today - timedelta(days=420)).isoformat(), "gathering": "2020-01-01"}
    )
    principle = Principle.objects.order_by("position").first()
    for status in ActionStatus.values:
        action = services.action_create(
            agreement=agreement,
            title=f'<Åtgärd> & "{status}"',
            owner_side=Side.PUBLIC,
            due_on=today - timedelta(days=3),
            principle=principle,
        )
        ActionPlanItem.objects.filter(pk=action.pk).update(status=status)
    services.action_create(agreement=agreement, title="Utan datum", owner_side=Side.PUBLIC)
    # The latest round: weak principles, one where the sides disagree.
    record_round(
        agreement, today - timedelta(days=1), scores(1, independence=5), scores(2), by=leader
    )
    client.force_login(leader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    urls = [
        reverse("agreements:manage", args=[agreement.pk]),
        reverse("agreements:detail", args=[agreement.pk]),
    ]
    written = [_without_csrf(client.get(url).content.decode()) for url in urls]
    folder = tmp_path / "agreements" / "includes"
    folder.mkdir(parents=True)
    before = Path(__file__).parent / "markup_before"
    for name in ("manage_workspace.html", "timeline.html", "health.html"):
        (folder / name).write_text((before / name).read_text())
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    looped = [_without_csrf(client.get(url).content.decode()) for url in urls]
    assert written == looped
    workspace, public = written
    assert "&lt;oklart&gt; &amp; &quot;mer&quot;" in workspace
    assert "utan-namn@example.org" in workspace and "Utan datum" in workspace
    assert workspace.count('<strong class="flag">') >= 2  # overdue, open ones only
    assert workspace.count('class="status-form"') == agreement.actions.count()
    assert workspace.count("timeline__row--") == public.count("timeline__row--") == 6
    assert '<span class="flag">' in public
    assert workspace.count('<td class="num">') > 30 and 'class="nowrap"' in workspace
    principles = reverse("agreements:principles")
    assert workspace.count(f'<a href="{principles}#') >= 5 and '<tr class="gap">' in workspace
    import re

    assert re.search(r'<li>[^\n]*<span class="muted">\([^\n]*<span class="flag">', workspace)
