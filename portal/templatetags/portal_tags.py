"""Template tags every app's templates use."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

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
