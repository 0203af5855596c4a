"""The lists of the check-in page and the registration tables, written out in one pass.

The check-in list has up to 200 rows and a workshop's registration tables several hundred:
through the template language (an include, a CSRF token, translations and a dozen look-ups
per row) they were most of those pages' time. These tags write the same markup from the
prepared rows (workshops.selectors.registration_rows), translating each label once and
escaping every value (html.escape, quotes too, as Django's escape does without its lazy
wrapper); tests/workshops/test_page_queries.py renders both ways and compares.

`blank_form` keeps the fields of an empty form (walk-in, programme item, groups, contribution,
carry, registration) as a shared fragment, so their widget templates are rendered once per
content version rather than on every request.
"""

from html import escape

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext

from portal import fragment_cache

register = template.Library()


def _check_in_labels() -> dict[str, str]:
    return {
        "waiting": escape(gettext("waiting list")),
        "undo": escape(gettext("Undo")),
        "check_in": escape(gettext("Check in")),
    }


def _check_in_row(row, *, q: str, csrf: str, labels: dict[str, str]) -> str:
    pk = row.pk
    url = escape(row.toggle_url)
    name = escape(row.name)
    organisation = f", {escape(row.display_organisation)}" if row.display_organisation else ""
    waiting = f' <span class="help">({labels["waiting"]})</span>' if row.status == "waiting" else ""
    if row.checked_in_at:
        state = f'<br><span class="state state--done">{escape(row.checked_in_text)}</span>'
        button = (
            f'<button type="submit" name="undo" value="1" class="button" id="check-in-{pk}">'
            f'{labels["undo"]}<span class="visually-hidden"> {name}</span></button>'
        )
    else:
        state = ""
        button = (
            f'<button type="submit" class="button button--primary" id="check-in-{pk}">'
            f'{labels["check_in"]}<span class="visually-hidden"> {name}</span></button>'
        )
    return (
        f'<li class="card" id="reg-{pk}">\n'
        f'  <form method="post" action="{url}" data-hx-post="{url}" data-hx-target="#reg-{pk}"'
        f' data-hx-swap="outerHTML" class="search-row">\n'
        f"    {csrf}\n"
        f'    <input type="hidden" name="q" value="{q}">\n'
        f"    <span><strong>{name}</strong>{organisation}{waiting}\n"
        f"      {state}</span>\n"
        f"    \n      {button}\n    \n"
        "  </form>\n"
        "</li>\n"
    )


@register.simple_tag(takes_context=True)
def check_in_rows(context, rows) -> str:
    """The check-in list's rows (`<li>` each: name, organisation, the check-in or undo form)."""
    csrf = CsrfTokenNode().render(context)
    q = escape(context.get("q") or "")
    labels = _check_in_labels()
    html = "".join(_check_in_row(row, q=q, csrf=csrf, labels=labels) for row in rows)
    return mark_safe(html)  # noqa: S308 - every interpolated value escaped above


@register.simple_tag(takes_context=True)
def check_in_row(context, row) -> str:
    """One row of the check-in list, as an htmx answer swaps it in."""
    return check_in_rows(context, [row])


@register.simple_tag(takes_context=True)
def registration_table_rows(context, rows) -> str:
    """The rows of a registration table (`<tr>` each), as the manage page lists them."""
    csrf = CsrfTokenNode().render(context)
    cancel = escape(pgettext("registration", "Cancel"))
    can_cancel = not context.get("workshop_is_past")
    parts = []
    for row in rows:
        name = escape(row.name)
        email = f'<br><span class="help">{escape(row.email)}</span>' if row.email else ""
        dietary = f" {escape(row.dietary_needs)}" if row.dietary_needs else ""
        form = (
            f'<form method="post" action="{escape(row.cancel_url)}" class="inline-form">{csrf}'
            f'<button type="submit" class="link-button">{cancel}'
            f'<span class="visually-hidden"> {name}</span></button></form>'
            if row.status != "cancelled" and can_cancel
            else ""
        )
        parts.append(
            "\n        <tr>\n"
            f'          <th scope="row">{name or "–"}{email}</th>\n'
            f"          <td>{escape(row.display_organisation)}</td>\n"
            f"          <td>{escape(row.sector_label)}</td>\n"
            f"          <td>{escape(row.accessibility_needs)}{dietary}</td>\n"
            f"          <td>{escape(row.checked_in_time) or '–'}</td>\n"
            f"          <td>{form}</td>\n"
            "        </tr>\n      "
        )
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated value escaped above


class BlankFormNode(template.Node):
    def __init__(self, form, parts, nodelist):
        self.form = form
        self.parts = parts
        self.nodelist = nodelist

    def render(self, context):
        form = self.form.resolve(context)
        if form is None or form.is_bound:
            return self.nodelist.render(context)
        parts = [type(form).__name__, *(part.resolve(context) for part in self.parts)]
        return fragment_cache.fragment(
            context.get("request"),
            "workshops-blank-form",
            parts,
            lambda: self.nodelist.render(context),
        )


@register.tag("blank_form")
def blank_form(parser, token):
    """`{% blank_form form key... %}...{% endblank_form %}`: the fields of an empty form (the
    same for every member of staff who passes the same key: its options come from the
    domain tables, whose version is in the key) shared through portal.fragment_cache, so
    their widget templates are not rendered on every request. A bound form (the values
    someone posted, their errors) is always rendered and never stored. Whatever else the
    fields depend on goes in the key: the workshop whose groups a form offers, the meetings
    (a list that changes with the clock)."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("blank_form needs a form")
    nodelist = parser.parse(("endblank_form",))
    parser.delete_first_token()
    return BlankFormNode(
        parser.compile_filter(bits[1]), [parser.compile_filter(bit) for bit in bits[2:]], nodelist
    )
