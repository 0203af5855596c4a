"""Template helpers of the directory's pages."""

from html import escape
from uuid import UUID

from django import template
from django.forms import CheckboxSelectMultiple
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext

register = template.Library()


@register.simple_tag
def facet_options(facet: dict) -> str:
    """The <option>s of one filter: value, label and result count, the chosen one selected.

    A search filtered by sector offers every municipality (290 options). Rendered by the
    template language, or even with format_html per option, they took a third of the list
    page's time. Every value is escaped (html.escape, quotes too) before joining; the
    escaped code and label of a value are kept (`_option_parts`), as they are the same on
    every page while only the counts and the chosen value change.
    """
    selected = facet["selected"]
    parts = _OPTION_PARTS
    options = []
    for value in facet["values"]:
        code, label = value["code"], value["label"]
        if type(label) is not str:  # a lazy translation: the key is its text now
            label = str(label)
        found = parts.get((code, label))
        if found is None:
            found = _option_parts(code, label)
        options.append(
            f"{found[1] if code == selected else found[0]}{int(value['count'])})</option>"
        )
    return mark_safe("".join(options))  # noqa: S308 - every interpolated value escaped


@register.simple_tag
def facet_selects(facets: list[dict]) -> str:
    """Each filter's label and <select> as the search pages' loop over `facets` wrote them
    (`{% for facet in facets %}` ... `{% facet_options facet %}` ..., the same whitespace),
    in one call."""
    everything = gettext("All")  # as {% translate %} writes it: unescaped
    return mark_safe(  # noqa: S308 - the name and label escaped as {{ }} escapes them
        "".join(
            '\n            <div class="field">\n'
            '              <label for="id_{name}">{label}</label>\n'
            '              <select name="{name}" id="id_{name}">\n'
            '                <option value="">{everything}</option>\n'
            "                {options}\n"
            "              </select>\n"
            "            </div>\n          ".format(
                name=conditional_escape(facet["name"]),
                label=conditional_escape(facet["label"]),
                everything=everything,
                options=facet_options(facet),
            )
            for facet in facets
        )
    )


# (code, label) -> the escaped start of its option, unselected and selected, up to the count.
_OPTION_PARTS: dict[tuple, tuple[str, str]] = {}


def _option_parts(code, label: str) -> tuple[str, str]:
    if len(_OPTION_PARTS) > 5000:  # renamed values pile up only over many changes
        _OPTION_PARTS.clear()
    start, rest = f'<option value="{escape(str(code))}"', f">{escape(label)} ("
    parts = _OPTION_PARTS[(code, label)] = (f"{start}{rest}", f"{start} selected{rest}")
    return parts


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
    the 290 municipalities of the organisation form were 290 widget templates.

    For Django's checkbox widget (the usual case) the boxes are written straight from the
    field's choices and value, with the attributes every box shares written once: what
    `BoundField.subwidgets` would give, without a dictionary and a BoundWidget per box."""
    opening = "<div data-filter-item>" if filter_item else "<div>"
    boxes = _checkboxes(field, opening)
    if boxes is None:
        boxes = [_box(widget, opening) for widget in field.subwidgets]
    return mark_safe("".join(boxes))  # noqa: S308 - every interpolated value escaped


def _box(widget, opening: str) -> str:
    data = widget.data
    value = data["value"]
    return (
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


def _checkboxes(field, opening: str) -> list[str] | None:
    """The boxes as _box writes them from `field.subwidgets`, or None for a widget or choices
    this shortcut does not cover (grouped choices, another widget class's ids)."""
    widget = field.field.widget
    if (
        not isinstance(widget, CheckboxSelectMultiple)
        or type(widget).id_for_label is not CheckboxSelectMultiple.id_for_label
        or type(widget).create_option is not CheckboxSelectMultiple.create_option
    ):
        return None
    # BoundField.subwidgets and ChoiceWidget.create_option, once for all boxes.
    id_ = widget.attrs.get("id") or field.auto_id
    shared = field.build_widget_attrs({"id": id_} if id_ else {})
    shared = widget.build_attrs(widget.attrs, shared) if widget.option_inherits_attrs else {}
    if "checked" in shared:
        return None
    names = list(shared)
    box_id = shared.get("id")
    if "id" in shared:
        before = _attrs({name: shared[name] for name in names[: names.index("id")]})
        after = _attrs({name: shared[name] for name in names[names.index("id") + 1 :]})
    else:
        before, after = _attrs(shared), ""
    chosen = widget.format_value(field.value())
    start = (
        f'{opening}<input type="{escape(str(widget.input_type))}" name="{escape(field.html_name)}"'
    )
    # ChoiceWidget.id_for_label: the field's id, an underscore and the box's number.
    numbered = bool(box_id) and widget.add_id_index
    stem = escape(str(box_id)) if numbered else ""
    boxes = []
    for index, (value, label) in enumerate(widget.choices):
        if isinstance(label, (list, tuple)):
            return None
        if value is None:
            value = ""
        if numbered:
            label_for = f"{stem}_{index}"
            id_attr = f' id="{label_for}"'
        else:  # no id, or one Django writes as it is
            label_for = escape(str(box_id))
            id_attr = "" if box_id is None else _attrs({"id": box_id})
        boxes.append(
            f'{start} value="{escape(str(value))}"{before}{id_attr}{after}'
            f"{' checked' if str(value) in chosen else ''}>"
            f' <label for="{label_for}" class="inline-label">{escape(str(label))}'
            "</label></div>"
        )
    return boxes


# A row of the list page's results, with the indentation the template had between its lines.
_ROW = "\n                "
_MUNICIPALITIES_SHOWN = 6


@register.simple_tag
def directory_rows(rows) -> str:
    """The list's results as `{% for org in rows %}` with `{% directory_row org %}` on a line
    of its own wrote them (the same whitespace), in one call, translating the row's fixed
    texts once for all rows."""
    texts = _row_texts()
    return mark_safe(  # noqa: S308 - _row escapes every value
        "".join(f"\n              {_row(org, texts)}\n            " for org in rows)
    )


def _row_texts() -> tuple[str, str, str]:
    return gettext("Umbrella organisation"), gettext("Active in:"), gettext("Possibly out of date")


@register.simple_tag
def directory_row(org) -> str:
    """One result of the directory list (a selectors.DirectoryRow) as the template wrote it
    tag by tag: twenty rows with their filters and translations were a third of the page's
    rendering. Values are escaped as the template language escapes them (html.escape);
    translations are written as they are, as `{% translate %}` writes them."""
    return mark_safe(_row(org, _row_texts()))  # noqa: S308 - _row escapes every value


def _row(org, texts: tuple[str, str, str]) -> str:
    umbrella, active_in, out_of_date = texts
    details = escape(org.sector_label)
    if org.legal_form_label:
        details += " · " + escape(org.legal_form_label)
    if org.is_umbrella:
        details += " · " + umbrella
    municipalities = ""
    if org.municipalities:
        municipalities = '<p class="help">{} {}'.format(
            active_in,
            ", ".join(escape(name) for name in org.municipalities[:_MUNICIPALITIES_SHOWN]),
        )
        more = len(org.municipalities) - _MUNICIPALITIES_SHOWN
        if more > 0:
            municipalities += " " + ngettext(
                "and %(counter)s more", "and %(counter)s more", more
            ) % {"counter": more}
        municipalities += "</p>"
    stale = f'<p class="state state--queued">{out_of_date}</p>' if org.is_stale else ""
    heading = f'<h3><a href="{escape(org.url)}">{escape(org.name)}</a></h3>'
    row = f'<li class="card">{_ROW}{heading}{_ROW}<p>{details}</p>{_ROW}{municipalities}'
    # Every value is escaped above; translations are written as the template wrote them.
    return f"{row}{_ROW}{stale}\n              </li>"


# A result of the offer search, with the indentation the template had between its lines.
_OFFER_LINE = "\n                "
_OFFER_MUNICIPALITIES_SHOWN = 3


@register.simple_tag
def offer_rows(offers) -> str:
    """The offer search's results (selectors.OfferRow, or Offer instances with their
    organisation and prefetched municipalities: the search on SQLite) as its template's loop
    wrote them, the same whitespace, in one call: values escaped as `{{ }}` escapes them, the
    description cut as `truncatewords:30` cuts it, translations written as `{% translate %}`
    writes them."""
    free, fee, no_referral = (
        gettext("Free of charge"),
        gettext("With a fee"),
        gettext("No referral needed"),
    )
    # Offer.get_absolute_url, reversed once for the page and each uuid put in its place.
    marker = str(UUID(int=0))
    before, _marker, after = reverse("directory:offer_detail", args=[marker]).partition(marker)
    rows = []
    for offer in offers:
        description = ""
        if offer.description:
            cut = Truncator(offer.description).words(30, truncate=" …")
            description = f"<p>{conditional_escape(cut)}</p>"
        help_text = free if offer.is_free else fee
        if not offer.referral_required:
            help_text += f" · {no_referral}"
        municipalities = getattr(offer, "municipality_names", None)
        if municipalities is None:  # an Offer instance (the search on SQLite)
            municipalities = [str(place) for place in offer.municipalities.all()]
        if municipalities:
            shown = municipalities[:_OFFER_MUNICIPALITIES_SHOWN]
            help_text += " · " + ", ".join(conditional_escape(place) for place in shown)
            more = len(municipalities) - _OFFER_MUNICIPALITIES_SHOWN
            if more > 0:
                help_text += " " + ngettext(
                    "and %(counter)s more", "and %(counter)s more", more
                ) % {"counter": more}
        rows.append(
            f'\n              <li class="card">{_OFFER_LINE}'
            f'<h3><a href="{conditional_escape(f"{before}{offer.uuid}{after}")}">'
            f"{conditional_escape(offer.title)}</a></h3>{_OFFER_LINE}"
            f"<p>{conditional_escape(_organisation_name(offer))}</p>{_OFFER_LINE}"
            f'{description}{_OFFER_LINE}<p class="help">{help_text}</p>'
            "\n              </li>\n            "
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value escaped above


def _organisation_name(offer) -> str:
    name = getattr(offer, "organisation_name", None)
    return offer.organisation.name if name is None else name
