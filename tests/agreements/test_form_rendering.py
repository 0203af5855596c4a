"""The workspace's forms written out in one pass (agreements/form_rendering.py) give the same
markup as Django's widget templates and templates/includes/field.html: every field, unbound
and bound with errors, with values to escape, in Swedish and English."""

from datetime import date

import pytest
from django.forms.renderers import get_default_renderer
from django.template import Context, Template
from django.test.signals import template_rendered
from django.utils import translation

from agreements import selectors
from agreements.form_rendering import ONE_PASS
from agreements.forms import (
    ActionForm,
    AnchoringForm,
    ChecklistAnswerForm,
    LocalQuestionForm,
    LogEntryForm,
    PhasePlanForm,
)

NASTY = "Beslut <§ 12> & \"x\" 'y'"
TODAY = date(2024, 5, 2)


def _cases():
    plan_initial = {"version": 3, "plan_pre": date(2023, 1, 2), "plan_gathering": None}
    return [
        ("plan, unbound", PhasePlanForm, {"initial": plan_initial}),
        (
            "plan, errors",
            PhasePlanForm,
            {
                "data": {
                    "version": "x",
                    "plan_pre": "2024-05-01",
                    "plan_gathering": "2024-01-01",  # before the phase before it
                    "plan_formulation": NASTY,
                    "initial-plan_pre": "2023-01-02",
                    "initial-plan_formulation": NASTY,
                }
            },
        ),
        ("action, unbound", ActionForm, {}),
        (
            "action, errors",
            ActionForm,
            {"data": {"title": "", "owner_side": NASTY, "due_on": "2024-13-01", "principle": "0"}},
        ),
        (
            "action, valid",
            ActionForm,
            {"data": {"title": NASTY, "owner_side": "public", "due_on": "2024-01-31"}},
        ),
        ("log, unbound", LogEntryForm, {"initial": {"occurred_on": TODAY}}),
        (
            "log, errors",
            LogEntryForm,
            {
                "data": {
                    "kind": "meeting",
                    "occurred_on": "",
                    "title": NASTY,
                    "note": f"rad 1\n{NASTY}",
                    "link": "not a link",
                }
            },
        ),
        ("anchoring, unbound", AnchoringForm, {"initial": {"anchored_on": TODAY}}),
        (
            "anchoring, errors",
            AnchoringForm,
            {"data": {"level": "nope", "anchored_on": "2999-01-01", "reference": NASTY}},
        ),
        ("question, unbound", LocalQuestionForm, {"initial": {"phase": "formulation"}}),
        (
            "question, errors",
            LocalQuestionForm,
            {"data": {"phase": "", "text_sv": "x" * 301, "text_en": NASTY}},
        ),
        (
            "answer, unbound",
            ChecklistAnswerForm,
            {
                "prefix": "q7",
                "initial": {"version": 2, "state": "answered", "note": NASTY, "evidence": NASTY},
            },
        ),
        (
            "answer, errors",
            ChecklistAnswerForm,
            {
                "prefix": "q7",
                "data": {
                    "q7-version": "-1",
                    "q7-state": "nope",
                    "q7-note": f"{NASTY}\n" * 2,
                    "q7-evidence": "e" * 301,
                    "q7-remove_file": "on",
                    "initial-q7-note": NASTY,
                    "initial-q7-remove_file": "False",
                },
            },
        ),
    ]


def _pair(form_class, kwargs):
    """The same form twice: through the widget templates, and written out in one pass."""
    extra = {"principles": selectors.principles(recommendations=False)}
    extra = extra if form_class is ActionForm else {}
    templated = form_class(renderer=get_default_renderer(), **kwargs, **extra)
    one_pass = form_class(**kwargs, **extra)
    assert one_pass.renderer is ONE_PASS
    return templated, one_pass


_INCLUDED = Template(
    '{% for field in form %}{% include "includes/field.html" %}'
    '{% include "includes/field.html" with hide_help=True %}{% endfor %}'
)
_TAGGED = Template(
    "{% load agreements_tags %}{% for field in form %}{% form_field field %}"
    "{% form_field field hide_help=True %}{% endfor %}"
)

_ONCE = Template(
    "{% load agreements_tags %}{% for field in form %}{% form_field field %}{% endfor %}"
)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize(("case", "form_class", "kwargs"), _cases(), ids=[c[0] for c in _cases()])
def test_fields_written_out_are_the_same_as_through_the_templates(
    language, case, form_class, kwargs
):
    with translation.override(language):
        templated, one_pass = _pair(form_class, kwargs)
        if "errors" in case:
            assert not templated.is_valid() and not one_pass.is_valid()
        for name in templated.fields:
            assert str(one_pass[name]) == str(templated[name]), name
        assert _TAGGED.render(Context({"form": one_pass})) == _INCLUDED.render(
            Context({"form": templated})
        )
        page = _TAGGED.render(Context({"form": one_pass}))
    if "errors" in case or "valid" in case:
        assert "&lt;§ 12&gt; &amp; &quot;x&quot; &#x27;y&#x27;" in page
    if "errors" in case:
        assert ("Fel:" if language == "sv" else "Error:") in page


def test_plain_widgets_skip_the_widget_templates(db):
    """The point of it: no template is rendered for the workspace's forms' fields."""
    rendered = []

    def record(sender, template, **kwargs):
        rendered.append(template.name)

    forms = [
        PhasePlanForm(initial={"version": 1}),
        ActionForm(principles=selectors.principles(recommendations=False)),
        LogEntryForm(initial={"occurred_on": TODAY}),
        AnchoringForm(data={"level": "nope", "anchored_on": "", "reference": NASTY}),
    ]
    template_rendered.connect(record)
    try:
        html = "".join(_ONCE.render(Context({"form": form})) for form in forms)
    finally:
        template_rendered.disconnect(record)
    assert rendered == [None] * len(forms)  # the four from_string templates, nothing else
    assert html.count("<select") == 4 and html.count('type="date"') == 9
