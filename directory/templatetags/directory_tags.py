"""Template helpers of the directory's pages."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def facet_options(facet: dict) -> str:
    """The <option>s of one filter: value, label and result count, the chosen one selected.

    A search filtered by sector offers every municipality (290 options). Rendered by the
    template language, or even with format_html per option, they took a third of the list
    page's time; every value is escaped here (html.escape, quotes too) before joining.
    """
    selected = facet["selected"]
    options = [
        '<option value="{}"{}>{} ({})</option>'.format(
            escape(str(value["code"])),
            " selected" if value["code"] == selected else "",
            escape(str(value["label"])),
            int(value["count"]),
        )
        for value in facet["values"]
    ]
    return mark_safe("".join(options))  # noqa: S308 - every interpolated value escaped above
