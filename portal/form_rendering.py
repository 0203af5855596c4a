"""A form renderer that writes Django's plain widgets in Python, in one pass (issue 17).

Django renders every widget through its templates: an <input> is three templates (text.html,
input.html, attrs.html), a <select> one more per option, and a form that posts each field's
initial value as well (portal.concurrency.VersionedFormMixin) renders every field twice. On
the organisation form that was about 30 widget templates per page, on the agreement
workspace about half of the page's time. `PlainWidgetRenderer` writes the widgets whose
templates are simple (inputs, textareas, selects, the hidden copies) with the same markup,
byte for byte, from the same context that Django's widgets build (attributes, values,
options; values that are not strings localised as `{{ value }}` localises them), and the
single options of radio buttons and checkbox lists (what `{{ radio.tag }}` writes); any other
template (a whole radio or checkbox list, a form's error list) goes to Django's own renderer.

Use it per form class with `default_renderer = plain_widget_renderer` (the organisation form,
the agreement workspace's forms). Its partner for templates/includes/field.html (label,
required mark, help text, errors around the widget) is the `{% form_field %}` tag in
portal/templatetags/portal_tags.py. tests/portal/test_form_rendering.py compares both with
Django's templates and the include: every widget kind, and every field of the agreement
forms, unbound and bound with errors, with values to escape, in Swedish and English.
"""

from html import escape as _escape

from django.forms.renderers import BaseRenderer, get_default_renderer
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.safestring import SafeData

_WIDGETS = "django/forms/widgets/"
# The widget templates that are nothing but {% include "django/forms/widgets/input.html" %}.
_INPUTS = {
    f"{_WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "email",
        "url",
        "number",
        "password",
        "hidden",
        "checkbox",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
        "color",
    )
}
_CONTEXT = Context()  # autoescape on, localisation as in the widget templates


def shown(value) -> str:
    """`{{ value }}` in a template: localised and escaped (safe strings as they are)."""
    if type(value) is str:
        return _escape(value)
    return render_value_in_context(value, _CONTEXT)


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}`."""
    if isinstance(value, tuple):
        value = str(value)
    try:
        text = "%s" % value  # noqa: UP031 - exactly what the stringformat filter does
    except (ValueError, TypeError):
        return ""
    return text if isinstance(value, SafeData) else _escape(text)


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {shown(name)}" if value is True else f' {shown(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    value = widget["value"]
    shown_value = "" if value is None else f' value="{_formatted(value)}"'
    return (
        f'<input type="{shown(widget["type"])}" name="{shown(widget["name"])}"'
        f"{shown_value}{_attrs(widget['attrs'])}>"
    )


def _textarea(widget: dict) -> str:
    value = widget["value"]
    return (
        f'<textarea name="{shown(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{shown(value) if value else ''}</textarea>"
    )


def _select(widget: dict) -> str | None:
    parts = [f'<select name="{shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{shown(group_name)}">')
        for option in group_choices:
            if option["template_name"] != f"{_WIDGETS}select_option.html":
                return None
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{shown(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _multiple_hidden(widget: dict) -> str | None:
    """multiwidget.html: the hidden inputs side by side ({% spaceless %})."""
    inputs = []
    for subwidget in widget["subwidgets"]:
        if subwidget["template_name"] not in _INPUTS:
            return None
        inputs.append(_input(subwidget))
    return "".join(inputs)


def _option(widget: dict) -> str:
    """input_option.html (a radio button or checkbox of a choice list; BoundWidget.tag()
    writes it without the label around it)."""
    if not widget.get("wrap_label"):
        return _input(widget)
    target = widget["attrs"].get("id")
    for_attribute = f' for="{shown(target)}"' if target else ""
    # input.html's closing newline stays inside the label (the renderer strips only the ends).
    return f"<label{for_attribute}>{_input(widget)}\n {shown(widget['label'])}</label>"


_WRITERS = {
    **dict.fromkeys(_INPUTS, _input),
    **dict.fromkeys(
        (f"{_WIDGETS}{name}_option.html" for name in ("input", "radio", "checkbox")), _option
    ),
    f"{_WIDGETS}textarea.html": _textarea,
    f"{_WIDGETS}select.html": _select,
    f"{_WIDGETS}multiple_hidden.html": _multiple_hidden,
}


class PlainWidgetRenderer(BaseRenderer):
    """Django's default form renderer, with the plain widget templates written in Python."""

    def get_template(self, template_name):
        return get_default_renderer().get_template(template_name)

    def render(self, template_name, context, request=None):
        write = _WRITERS.get(template_name)
        html = write(context["widget"]) if write is not None and "widget" in context else None
        if html is None:
            return get_default_renderer().render(template_name, context, request=request)
        return html


plain_widget_renderer = PlainWidgetRenderer()
