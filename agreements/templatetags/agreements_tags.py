"""Template tags of the agreement pages: parts written out in one pass (issue 17)."""

from django import template
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.translation import gettext as _

from agreements import charts
from agreements.form_rendering import field_markup

register = template.Library()


@register.simple_tag
def form_field(field, hide_help: bool = False) -> str:
    """templates/includes/field.html for one field (see agreements/form_rendering.py)."""
    return field_markup(field, hide_help=hide_help)


@register.simple_tag
def sides_chart_marks(chart) -> str:
    return charts.sides_marks(chart)


@register.simple_tag
def trend_chart_marks(chart) -> str:
    return charts.trend_marks(chart)


@register.simple_tag
def change_mark(change) -> str:
    """A score's change since the round before: an arrow for the eye, a word for a screen
    reader, the signed figure (was an included template, one per cell of the health table)."""
    if change > 0:
        return format_html(
            '<span aria-hidden="true">↑</span><span class="visually-hidden">{}</span> +{}\n',
            _("better"),
            localize(change),
        )
    if change < 0:
        return format_html(
            '<span aria-hidden="true">↓</span><span class="visually-hidden">{}</span> {}\n',
            _("worse"),
            localize(change),
        )
    return format_html(
        '<span aria-hidden="true">→</span><span class="visually-hidden">{}</span> 0\n',
        _("unchanged"),
    )
