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


def _attrs(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html writes them (False leaves an attribute out, True
    writes its name alone)."""
    return "".join(
        f" {escape(str(name))}" if value is True else f' {escape(str(name))}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


@register.simple_tag
def choice_boxes(field, filter_item: bool = False) -> str:
    """The checkboxes of a multiple-choice field, each with its label beside it, as the
    form's templates render them box by box (`{{ choice.tag }} <label ...>`), in one pass:
    the 290 municipalities of the organisation form were 290 widget templates."""
    opening = "<div data-filter-item>" if filter_item else "<div>"
    boxes = []
    for widget in field.subwidgets:
        data = widget.data
        value = data["value"]
        boxes.append(
            '{}<input type="{}" name="{}"{}{}> <label for="{}" class="inline-label">{}</label>'
            "</div>".format(
                opening,
                escape(str(data["type"])),
                escape(str(data["name"])),
                "" if value is None else f' value="{escape(str(value))}"',
                _attrs(data["attrs"]),
                escape(str(widget.id_for_label)),
                escape(str(data["label"])),
            )
        )
    return mark_safe("".join(boxes))  # noqa: S308 - every interpolated value escaped above
