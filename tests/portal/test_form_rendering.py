"""portal.form_rendering writes the plain widgets with exactly the markup of Django's widget
templates: every kind of widget it writes (and one it hands back to Django), with values and
attributes that need escaping, safe strings, localised numbers and dates, grouped options,
the hidden initial copies, unbound and bound with errors, in Swedish and English."""

import datetime

import pytest
from django import forms
from django.forms.renderers import get_default_renderer
from django.template import Context, Template
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

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
