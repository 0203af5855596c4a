"""portal.form_rendering writes the plain widgets with exactly the markup of Django's widget
templates, and the {% form_field %} tag (portal_tags) writes what templates/includes/field.html
writes: every kind of widget it writes (and one it hands back to Django), with values and
attributes that need escaping, safe strings, localised numbers and dates, grouped options,
the hidden initial copies, unbound and bound with errors, in Swedish and English; and every
field of the forms that use them (the agreement workspace's forms here, the organisation form
in tests/directory/test_page_queries.py), rendered both ways."""

import datetime

import pytest
from django import forms
from django.forms.renderers import get_default_renderer
from django.template import Context, Template
from django.test.signals import template_rendered
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from agreements import selectors
from agreements.forms import (
    ActionForm,
    AnchoringForm,
    ChecklistAnswerForm,
    LocalQuestionForm,
    LogEntryForm,
    PhasePlanForm,
)
from portal.form_rendering import plain_widget_renderer


class _Everything(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=20, help_text=_("For example: contact for civil society.")
    )
    email = forms.EmailField(required=False)
    website = forms.URLField(required=False, assume_scheme="https")
    seats = forms.IntegerField(required=False, min_value=0)
    share = forms.DecimalField(required=False, decimal_places=2, localize=True)
    starts = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    opens = forms.TimeField(
        required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    agreed = forms.BooleanField(required=False)
    secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    search = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "search"}))
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    empty_note = forms.CharField(required=False, widget=forms.Textarea)
    kind = forms.ChoiceField(
        choices=[("", "—"), ("a", _("Free of charge")), (2, 'Two & "three" <b>')],
        required=False,
    )
    grouped = forms.ChoiceField(
        choices=[
            (_("Sector"), [("civil", _("Civil society")), ("public", "Offentlig <sektor>")]),
            ("other", _("Other")),
        ],
    )
    several = forms.MultipleChoiceField(
        choices=[("1", "Ett"), ("2", "Två"), ("3", "Tre")], required=False
    )
    hidden_several = forms.MultipleChoiceField(
        choices=[("1", "Ett"), ("2", "Två")], required=False, widget=forms.MultipleHiddenInput
    )
    state = forms.ChoiceField(
        choices=[("draft", _("Draft")), ("published", _("Published"))],
        widget=forms.RadioSelect,
        required=False,
    )
    marked = forms.CharField(
        required=False,
        widget=forms.TextInput(
            attrs={"data-note": mark_safe("<b>bold</b>"), "hidden": True, "disabled": False}
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.show_hidden_initial = True


INITIAL = {
    "name": 'Emmaus <Björkå> & "vänner"',
    "email": "info@example.org",
    "website": "https://example.org/?a=1&b=2",
    "seats": 1234567,
    "share": "1234.50",
    "starts": datetime.date(2026, 3, 4),
    "opens": datetime.time(9, 30),
    "agreed": True,
    "secret": "s3cr'et",
    "note": "Rad ett & två\n<rad tre>",
    "kind": 2,
    "grouped": "public",
    "several": ["1", "3"],
    "hidden_several": ["2"],
    "state": "published",
    "marked": mark_safe("<i>already safe</i>"),
    "version": 4,
}
POSTED = {
    "name": "x" * 30,  # too long
    "email": "not an address",
    "website": "https://example.org/<x>",
    "seats": "-1",
    "share": "12,5",
    "starts": "not a date",
    "opens": "25:00",
    "secret": "posted",
    "note": "Posted & <kept>",
    "kind": "nope",
    "several": ["2", "9"],
    "hidden_several": ["1", "2"],
    "state": "published",
    "initial-name": "Emmaus",
    "initial-several": ["1"],
    "version": "4",
}


def _both(form_class, *args, **kwargs):
    return (
        form_class(*args, renderer=plain_widget_renderer, **kwargs),
        form_class(*args, renderer=get_default_renderer(), **kwargs),
    )


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("bound", [False, True], ids=["unbound", "bound-with-errors"])
def test_plain_widgets_are_written_as_django_templates_write_them(language, bound):
    with translation.override(language):
        plain, django = _both(_Everything, POSTED if bound else None, initial=INITIAL)
        if bound:
            assert not plain.is_valid() and not django.is_valid()
            assert plain.errors == django.errors
            assert "name" in plain.errors and "several" in plain.errors
        for name in plain.fields:
            assert str(plain[name]) == str(django[name]), name
            assert plain[name].as_hidden() == django[name].as_hidden(), name
        assert plain.as_div() == django.as_div()
    written = str(plain)
    assert 'value="Emmaus &lt;Björkå&gt; &amp; &quot;vänner&quot;"' in written or bound
    assert 'data-note="<b>bold</b>"' in written
    assert 'type="radio"' in written  # handed to Django's template


def test_the_renderer_writes_what_it_knows_and_hands_on_the_rest(monkeypatch):
    """The fast path is taken: no widget template is loaded for the plain widgets."""
    from django.forms import renderers

    loaded = []
    original = renderers.DjangoTemplates.get_template

    def spy(self, template_name):
        loaded.append(template_name)
        return original(self, template_name)

    monkeypatch.setattr(renderers.DjangoTemplates, "get_template", spy)
    form = _Everything(initial=INITIAL, renderer=plain_widget_renderer)
    for name in ("name", "note", "kind", "grouped", "several", "hidden_several", "version"):
        str(form[name])
    assert loaded == []
    str(form["state"])
    assert "django/forms/widgets/radio.html" in loaded


class _Options(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        choices=[("draft", _("Draft")), ("published", 'Published & "<live>"')],
        widget=forms.RadioSelect(attrs={"class": "radio"}),
    )
    sectors = forms.MultipleChoiceField(
        choices=[("1", _("Civil society")), ("2", "Offentlig <sektor>")],
        widget=forms.CheckboxSelectMultiple,
    )
    unnamed = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("bound", [False, True], ids=["unbound", "bound-with-errors"])
@pytest.mark.parametrize("auto_id", ["id_%s", False], ids=["with-ids", "without-ids"])
def test_single_options_are_written_as_django_templates_write_them(language, bound, auto_id):
    """{{ radio.tag }} and {{ radio }} of a radio or checkbox list (the meeting page's reply
    form writes its radios one by one) against Django's option templates."""
    data = {"state": "published", "sectors": ["2", "9"]} if bound else None
    with translation.override(language):
        plain, django = _both(_Options, data, initial={"state": "draft"}, auto_id=auto_id)
        if bound:
            assert not plain.is_valid() and not django.is_valid()
        for name in plain.fields:
            for mine, theirs in zip(plain[name], django[name], strict=True):
                assert mine.tag() == theirs.tag(), name
                assert str(mine) == str(theirs), name
                assert mine.tag(wrap_label=True) == theirs.tag(wrap_label=True), name
            assert str(plain[name]) == str(django[name]), name


def test_single_options_skip_the_widget_templates(monkeypatch):
    from django.forms import renderers

    loaded = []
    original = renderers.DjangoTemplates.get_template

    def spy(self, template_name):
        loaded.append(template_name)
        return original(self, template_name)

    monkeypatch.setattr(renderers.DjangoTemplates, "get_template", spy)
    form = _Options(renderer=plain_widget_renderer)
    for name in ("state", "sectors"):
        for option in form[name]:
            option.tag()
            str(option)
    assert loaded == []


def test_the_reply_form_is_written_as_through_the_templates(db):
    """The meeting page's reply form (council.forms.RsvpForm uses the plain renderer): its
    radios, and the deputy list when there are deputies, unbound and bound with errors."""
    from council.forms import RsvpForm
    from directory.models import Person

    deputies = [Person.objects.create(name=name) for name in ("Dana <Ersättare>", "Erik")]
    for language in ("sv", "en"):
        with translation.override(language):
            for data in (None, {"reply": "deputy"}, {"reply": "maybe"}):
                for people in ([], deputies):
                    mine = RsvpForm(data, initial={"reply": "yes"}, deputies=people)
                    theirs = RsvpForm(
                        data, initial={"reply": "yes"}, deputies=people, renderer=None
                    )
                    theirs.renderer = get_default_renderer()
                    assert mine.renderer is plain_widget_renderer
                    if data:
                        assert mine.errors == theirs.errors
                    for name in mine.fields:
                        assert [w.tag() for w in mine[name]] == [w.tag() for w in theirs[name]]
                        assert str(mine[name]) == str(theirs[name])


_INCLUDED = Template(
    '{% for field in form.visible_fields %}{% include "includes/field.html" %}|{% endfor %}'
    '{% for field in form.visible_fields %}{% include "includes/field.html" with hide_help=True %}'
    "|{% endfor %}"
)
_ONE_PASS = Template(
    "{% load portal_tags %}{% for field in form.visible_fields %}{% form_field field %}|"
    "{% endfor %}{% for field in form.visible_fields %}{% form_field field hide_help=True %}|"
    "{% endfor %}"
)


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("bound", [False, True], ids=["unbound", "bound-with-errors"])
def test_form_field_tag_writes_what_the_field_include_writes(language, bound):
    """{% form_field %} against templates/includes/field.html: labels, required marks, help
    (shown and visually hidden), errors, checkboxes, every widget kind above."""
    with translation.override(language):
        form = _Everything(POSTED if bound else None, initial=INITIAL)
        form.fields["agreed"].help_text = _("For example: contact for civil society.")
        form.fields["note"].label = 'Note & "more" <b>'
        one_pass = _ONE_PASS.render(Context({"form": form}))
        assert one_pass == _INCLUDED.render(Context({"form": form}))
    assert ("field--error" in one_pass) == bound
    assert ("Fel:" in one_pass) == (bound and language == "sv")
    assert "Note &amp; &quot;more&quot; &lt;b&gt;" in one_pass
    assert "visually-hidden" in one_pass and '<span class="required"' in one_pass


# The agreement workspace's forms (issue 17): every field, written by the renderer and the tag,
# against Django's widget templates and the include.

NASTY = "Beslut <§ 12> & \"x\" 'y'"
TODAY = datetime.date(2024, 5, 2)


def _agreement_cases():
    plan_initial = {"version": 3, "plan_pre": datetime.date(2023, 1, 2), "plan_gathering": None}
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


def _agreement_pair(form_class, kwargs):
    """The same form twice: through the widget templates, and written out in one pass."""
    extra = {"principles": selectors.principles(recommendations=False)}
    extra = extra if form_class is ActionForm else {}
    templated = form_class(renderer=get_default_renderer(), **kwargs, **extra)
    one_pass = form_class(**kwargs, **extra)
    assert one_pass.renderer is plain_widget_renderer
    return templated, one_pass


_EVERY_FIELD_INCLUDED = Template(
    '{% for field in form %}{% include "includes/field.html" %}'
    '{% include "includes/field.html" with hide_help=True %}{% endfor %}'
)
_EVERY_FIELD_TAGGED = Template(
    "{% load portal_tags %}{% for field in form %}{% form_field field %}"
    "{% form_field field hide_help=True %}{% endfor %}"
)
_EVERY_FIELD_ONCE = Template(
    "{% load portal_tags %}{% for field in form %}{% form_field field %}{% endfor %}"
)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize(
    ("case", "form_class", "kwargs"), _agreement_cases(), ids=[c[0] for c in _agreement_cases()]
)
def test_agreement_forms_written_out_are_the_same_as_through_the_templates(
    language, case, form_class, kwargs
):
    with translation.override(language):
        templated, one_pass = _agreement_pair(form_class, kwargs)
        if "errors" in case:
            assert not templated.is_valid() and not one_pass.is_valid()
        for name in templated.fields:
            assert str(one_pass[name]) == str(templated[name]), name
        page = _EVERY_FIELD_TAGGED.render(Context({"form": one_pass}))
        assert page == _EVERY_FIELD_INCLUDED.render(Context({"form": templated}))
    if "errors" in case or "valid" in case:
        assert "&lt;§ 12&gt; &amp; &quot;x&quot; &#x27;y&#x27;" in page
    if "errors" in case:
        assert ("Fel:" if language == "sv" else "Error:") in page


def test_agreement_forms_skip_the_widget_templates(db):
    """The point of it: no template is rendered for the workspace's forms' fields."""
    rendered = []

    def record(sender, template, **kwargs):
        rendered.append(template.name)

    workspace_forms = [
        PhasePlanForm(initial={"version": 1}),
        ActionForm(principles=selectors.principles(recommendations=False)),
        LogEntryForm(initial={"occurred_on": TODAY}),
        AnchoringForm(data={"level": "nope", "anchored_on": "", "reference": NASTY}),
    ]
    template_rendered.connect(record)
    try:
        html = "".join(
            _EVERY_FIELD_ONCE.render(Context({"form": form})) for form in workspace_forms
        )
    finally:
        template_rendered.disconnect(record)
    assert rendered == [None] * len(workspace_forms)  # the four from_string templates, nothing else
    assert html.count("<select") == 4 and html.count('type="date"') == 9
