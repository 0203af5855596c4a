"""Template helpers of the directory's pages."""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

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


# A row of the list page's results, with the indentation the template had between its lines.
_ROW = "\n                "
_MUNICIPALITIES_SHOWN = 6


@register.simple_tag
def directory_row(org) -> str:
    """One result of the directory list (a selectors.DirectoryRow) as the template wrote it
    tag by tag: twenty rows with their filters and translations were a third of the page's
    rendering. Values are escaped as the template language escapes them (html.escape);
    translations are written as they are, as `{% translate %}` writes them."""
    details = escape(org.sector_label)
    if org.legal_form_label:
        details += " · " + escape(org.legal_form_label)
    if org.is_umbrella:
        details += " · " + gettext("Umbrella organisation")
    municipalities = ""
    if org.municipalities:
        municipalities = '<p class="help">{} {}'.format(
            gettext("Active in:"),
            ", ".join(escape(name) for name in org.municipalities[:_MUNICIPALITIES_SHOWN]),
        )
        more = len(org.municipalities) - _MUNICIPALITIES_SHOWN
        if more > 0:
            municipalities += " " + ngettext(
                "and %(counter)s more", "and %(counter)s more", more
            ) % {"counter": more}
        municipalities += "</p>"
    stale = (
        '<p class="state state--queued">{}</p>'.format(gettext("Possibly out of date"))
        if org.is_stale
        else ""
    )
    heading = f'<h3><a href="{escape(org.url)}">{escape(org.name)}</a></h3>'
    row = f'<li class="card">{_ROW}{heading}{_ROW}<p>{details}</p>{_ROW}{municipalities}'
    # Every value is escaped above; translations are written as the template wrote them.
    return mark_safe(f"{row}{_ROW}{stale}\n              </li>")  # noqa: S308
