"""Form fields written out in Python, with the markup the templates give them (issue 17).

The workspace's four forms rendered about twenty widgets, each through two to four template
renders (the widget, the shared input and attribute templates, one more per <option>), plus
templates/includes/field.html around each: about half of the page's time. Two pieces replace
those renders and keep their markup, byte for byte:

- `OnePassRenderer`, a form renderer that writes the plain inputs, text areas and selects
  the way django/forms/widgets/*.html do (every other template, e.g. radio buttons or a
  form's error list, still goes through the templates). Django's BoundField still builds the
  attributes, ids, values and the hidden initial copies; only the template step is skipped.
- `field_markup()`, what templates/includes/field.html makes of a bound field (label,
  required mark, help text, errors, the widget), for the `{% form_field %}` tag.

tests/agreements/test_form_rendering.py renders every field of the agreement forms both ways
(unbound and bound with errors, escaped values, Swedish and English) and compares.
"""

from django.forms.renderers import BaseRenderer, get_default_renderer
from django.utils.functional import Promise
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext as _

_WIDGETS = "django/forms/widgets/"
# The widget templates that are only `{% include "django/forms/widgets/input.html" %}`.
_INPUTS = {
    f"{_WIDGETS}{name}.html"
    for name in ("input", "text", "date", "url", "email", "number", "hidden", "checkbox")
}


def _text(value) -> str:
    """`{{ value|stringformat:'s' }}` with autoescaping: safe strings stay as they are."""
    return value if isinstance(value, SafeData) else escape(str(value))


def _plain(value) -> bool:
    """A value the template language would print unchanged (no localisation of numbers or
    dates): strings and lazy translations."""
    return isinstance(value, str | Promise)


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: False leaves an attribute out, True writes its name."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{_text(value)}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}'
        f"{_attrs(widget['attrs'])}>"
    )


def _textarea(widget: dict) -> str | None:
    value = widget["value"]
    if value and not _plain(value):
        return None
    text = conditional_escape(value) if value else ""
    name = conditional_escape(widget["name"])
    return f'<textarea name="{name}"{_attrs(widget["attrs"])}>\n{text}</textarea>'


def _select(widget: dict) -> str | None:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            if not _plain(group_name):
                return None
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            label = option["label"]
            if option["template_name"] != f"{_WIDGETS}select_option.html" or not _plain(label):
                return None
            parts.append(
                f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(label)}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts).strip()


_WRITERS = {
    **dict.fromkeys(_INPUTS, _input),
    f"{_WIDGETS}textarea.html": _textarea,
    f"{_WIDGETS}select.html": _select,
}


class OnePassRenderer(BaseRenderer):
    """The project's form renderer, with the plain widgets written in Python; any other
    template (or a value the template language would localise) goes to the renderer."""

    def get_template(self, template_name):
        return get_default_renderer().get_template(template_name)

    def render(self, template_name, context, request=None):
        write = _WRITERS.get(template_name)
        if write is not None and set(context) == {"widget"}:
            html = write(context["widget"])
            if html is not None:
                return html
        return get_default_renderer().render(template_name, context, request)


ONE_PASS = OnePassRenderer()


def field_markup(field, *, hide_help: bool = False) -> str:
    """templates/includes/field.html for one bound field, whitespace included."""
    errors = field.errors
    label = conditional_escape(field.label)
    label_for = conditional_escape(field.id_for_label)
    help_html = ""
    if field.help_text:
        help_html = '<div class="help{}" id="{}_helptext">{}</div>'.format(
            " visually-hidden" if hide_help else "",
            conditional_escape(field.auto_id),
            str(field.help_text),
        )
    opening = '<div class="field field--error">' if errors else '<div class="field">'
    widget = str(field)
    if getattr(field.field.widget, "input_type", None) == "checkbox":
        body = f'\n    {widget} <label for="{label_for}">{label}</label>\n    {help_html}\n  '
    else:
        required = (
            ' <span class="required" aria-hidden="true">*</span>' if field.field.required else ""
        )
        error_html = ""
        if errors:
            word = _("Error:")  # as {% translate %} writes it: unescaped
            error_html = '<p class="field-error" id="{}_error">{}</p>'.format(
                conditional_escape(field.auto_id),
                "".join(
                    f"<strong>{word}</strong> {conditional_escape(error)} " for error in errors
                ),
            )
        body = (
            f'\n    <label for="{label_for}">{label}{required}</label>\n    \n'
            f"    {help_html}\n    {error_html}\n    {widget}\n  "
        )
    return mark_safe(f"{opening}\n  {body}\n</div>\n")  # noqa: S308 - every value escaped above
