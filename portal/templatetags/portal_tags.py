"""Template tags every app's templates use."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from portal.form_rendering import shown as _shown

register = template.Library()


@register.simple_tag
def scroll_region(label):
    """Open the box a wide table scrolls in: reachable with the keyboard (a phone user can
    scroll it with the arrow keys) and named as a table, so its name never repeats the name
    of the section it sits in. Close it with ``</div>``."""
    name = _("%(name)s (table)") % {"name": label}
    return format_html(
        '<div class="table-scroll" tabindex="0" role="region" aria-label="{}">', name
    )


@register.filter
def counted(rows):
    """The rows of a breakdown that have people in them (so a list joined with commas does
    not end in one when the last rows are empty)."""
    return [row for row in rows if getattr(row, "count", None)]


@register.simple_tag
def form_field(field, hide_help: bool = False):
    """A field as templates/includes/field.html writes it (label, required mark, help text,
    errors, the widget), byte for byte, in one pass: a form of seventeen fields was seventeen
    includes with their look-ups. With portal/form_rendering.py writing the widgets, the
    whole field is one pass. Keep the two in step (tests/portal/test_form_rendering.py
    compares them)."""
    help_html = ""
    if field.help_text:
        help_html = '<div class="help{}" id="{}_helptext">{}</div>'.format(
            " visually-hidden" if hide_help else "", _shown(field.auto_id), field.help_text
        )
    errors = field.errors
    opening = f'<div class="field{" field--error" if errors else ""}">\n  \n    '
    label = _shown(field.label)
    if getattr(field.field.widget, "input_type", None) == "checkbox":
        return mark_safe(  # noqa: S308 - every value escaped (the help text is trusted HTML)
            f'{opening}{field} <label for="{_shown(field.id_for_label)}">{label}</label>\n'
            f"    {help_html}\n  \n</div>\n"
        )
    required = ' <span class="required" aria-hidden="true">*</span>' if field.field.required else ""
    error_html = ""
    if errors:
        prefix = _("Error:")  # as {% translate %} writes it: unescaped
        error_html = '<p class="field-error" id="{}_error">{}</p>'.format(
            _shown(field.auto_id),
            "".join(f"<strong>{prefix}</strong> {_shown(error)} " for error in errors),
        )
    return mark_safe(  # noqa: S308 - every value escaped (the help text is trusted HTML)
        f'{opening}<label for="{_shown(field.id_for_label)}">{label}{required}</label>\n'
        f"    \n    {help_html}\n    {error_html}\n    {field}\n  \n</div>\n"
    )
