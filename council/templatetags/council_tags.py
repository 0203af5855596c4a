"""Charts and small formats for the council's pages and its PDF report.

Charts are inline SVG (role="img" with a <title> and an aria-label) and always come with a
table of the same figures beside them, so nothing rests on the picture alone.
"""

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from portal.balance import GENDERS, SECTORS

register = template.Library()

_SUBNAV_NAMES = ("home", "member_list", "meeting_list", "action_list", "speaking_time", "calendar")
_subnav_urls: dict[tuple, tuple[str, ...]] = {}


@register.simple_tag(takes_context=True)
def council_subnav_links(context):
    """The council's section links as base_council.html wrote them with {% url %} and
    {% translate %} (six of each on every council page): the addresses reversed once per URL
    configuration, the labels as {% translate %} writes them (unescaped).
    tests/council/test_views.py compares it with the template it replaces."""
    key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    urls = _subnav_urls.get(key)
    if urls is None:
        urls = tuple(escape(reverse(f"council:{name}")) for name in _SUBNAV_NAMES)
        _subnav_urls[key] = urls
    match = getattr(context.get("request"), "resolver_match", None)
    current = match.url_name if match is not None else None
    labels = (
        _("Overview"),
        pgettext("council seats", "Members"),
        _("Meetings"),
        _("Action items"),
        _("Speaking time"),
        _("My calendar"),
    )
    current_page = ' aria-current="page"'
    return mark_safe(  # noqa: S308 - escaped addresses and translated labels
        "".join(
            f'\n      <li><a href="{url}"{current_page if name == current else ""}>{label}</a></li>'
            for name, url, label in zip(_SUBNAV_NAMES, urls, labels, strict=True)
        )
        + "\n      "
    )


# Own labels (not portal.balance's): distinct wording for the charts and their verdicts.
GENDER_LABELS = {
    "woman": gettext_lazy("Women"),
    "man": gettext_lazy("Men"),
    "non_binary": gettext_lazy("Non-binary"),
    "unknown": gettext_lazy("Gender not stated"),
}
VERDICT_LABELS = {
    "balanced": gettext_lazy("Balanced"),
    "unbalanced": gettext_lazy("Below the 60/40 rule"),
    "too_small": gettext_lazy("Too few to judge"),
    "no_data": gettext_lazy("No data"),
}
SECTOR_LABELS = {
    "civil_society": gettext_lazy("Civil society"),
    "public": gettext_lazy("Public sector"),
    "business": gettext_lazy("Business"),
    "academia": gettext_lazy("Academia"),
    "unknown": gettext_lazy("Sector not known"),
}
# Distinguishable fills that keep 3:1 contrast against white.
FILLS = {
    "woman": "#7b3294",
    "man": "#0b6e8a",
    "non_binary": "#8a5a00",
    "civil_society": "#1d6b35",
    "public": "#0b4f6c",
    "business": "#8a5a00",
    "academia": "#7b3294",
    "unknown": "#6b747c",
}
BAR_WIDTH = 170
ROW_HEIGHT = 26


def duration(seconds) -> str:
    seconds = round(float(seconds or 0))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return _("%(h)d h %(m)02d min") % {"h": hours, "m": minutes}
    return _("%(m)d min %(s)02d s") % {"m": minutes, "s": secs}


register.filter("duration", duration)


@register.filter
def clock(seconds) -> str:
    """A running clock, 4:05 or 1:02:03."""
    seconds = round(float(seconds or 0))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _value(value, unit: str) -> str:
    if unit == "seconds":
        return duration(value)
    if unit == "percent":
        return f"{round(value)} %"
    return str(round(value))


@register.inclusion_tag("council/includes/balance.html")
def balance_chart(balance, title, *, kind="gender", unit="people", chart_id="", compact=False):
    order = GENDERS if kind == "gender" else SECTORS
    labels = GENDER_LABELS if kind == "gender" else SECTOR_LABELS
    rows = []
    total = sum(balance.counts.values()) or 0
    peak = max(balance.counts.values(), default=0) or 1
    for code in order:
        value = balance.counts.get(code, 0)
        # Sectors nobody belongs to (business, academia on most councils) are left out.
        if kind == "sector" and code in ("business", "academia", "unknown") and not value:
            continue
        share = balance.shares.get(code)
        rows.append(
            {
                "code": code,
                "label": str(labels[code]),
                "value": _value(value, unit),
                "share": None if share is None else round(share * 100),
                "width": round(BAR_WIDTH * value / peak, 1),
                "fill": FILLS.get(code, "#444"),
                "y": len(rows) * ROW_HEIGHT,
            }
        )
    summary = "; ".join(
        f"{row['label']} {row['value']}"
        + (f" ({row['share']} %)" if row["share"] is not None else "")
        for row in rows
    )
    return {
        "balance": balance,
        "title": title,
        "rows": rows,
        "total": _value(total, unit),
        "height": len(rows) * ROW_HEIGHT,
        "bar_x": 130,
        "text_x": 130 + BAR_WIDTH + 6,
        "verdict": str(VERDICT_LABELS[balance.verdict.value]),
        "aria": f"{title}: {summary}. {VERDICT_LABELS[balance.verdict.value]}.",
        "chart_id": chart_id,
        "compact": compact,
    }


@register.inclusion_tag("council/includes/period_balance.html")
def period_balance(period, title, *, kind="gender"):
    """A group over a period judged day by day: one row per span in which it stayed the same."""
    order = GENDERS if kind == "gender" else SECTORS
    labels = GENDER_LABELS if kind == "gender" else SECTOR_LABELS
    present = {code for span in period.spans for code, n in span.balance.counts.items() if n}
    present.update(code for code, n in period.person_days.counts.items() if n)
    # The pair judged is always shown; other categories only where someone belongs to them.
    pair = ("woman", "man") if kind == "gender" else ("civil_society", "public")
    codes = [code for code in order if code in pair or code in present]
    return {
        "period": period,
        "title": title,
        "columns": [str(labels[code]) for code in codes],
        "spans": [
            {
                "first": span.first,
                "last": span.last,
                "days": span.days,
                "values": [round(span.balance.counts.get(code, 0)) for code in codes],
                "verdict": str(VERDICT_LABELS[span.balance.verdict.value]),
            }
            for span in period.spans
        ],
        "person_days": [round(period.person_days.counts.get(code, 0)) for code in codes],
        "verdict": str(VERDICT_LABELS[period.verdict.value]),
    }


@register.simple_tag(takes_context=True)
def speaker_places(context, queue, viewer, meeting, place_url):
    """The waiting places of the live list of speakers as HTML, built in one pass.

    The fragment is rendered again for every phone after each change to the list; with 30
    people waiting, the same markup through the template language (four buttons per place
    for the chair, each with its translated label) was most of the answer's time. The labels
    are translated once here, every value is escaped.
    """
    from django.template.defaulttags import CsrfTokenNode
    from django.utils.html import conditional_escape

    mine = viewer.person.pk if viewer.person else None
    balanced = meeting.balanced_speaker_order
    manages = viewer.manages
    if manages:
        csrf = CsrfTokenNode().render(context)
        url = conditional_escape(place_url)
        # Written out so that makemessages finds each label.
        labels = [
            conditional_escape(label)
            for label in (_("Give the floor"), _("Up"), _("Down"), _("Remove"))
        ]
    rows = []
    disabled = ' aria-disabled="true"'
    last = len(queue.places) - 1
    for index, place in enumerate(queue.places):
        entry = place.entry
        person = conditional_escape(entry.person)
        parts = [
            '<li class="live__place',
            " live__place--mine" if mine is not None and entry.person_id == mine else "",
            f'">\n        <span class="live__name">{person}</span>',
        ]
        if entry.organisation:
            parts.append(
                f'<span class="live__org">, {conditional_escape(entry.organisation)}</span>'
            )
        if balanced:
            why = conditional_escape(" ".join(str(reason) for reason in place.reasons))
            parts.append(f'\n        <span class="live__why">{why}</span>')
        if manages:
            pk = int(entry.pk)
            hidden = f'<span class="visually-hidden">: {person}</span>'
            parts.append(
                f'\n        <form method="post" action="{url}" data-hx-post="{url}" '
                'data-hx-sync="#speakers-queue:replace" class="live__tools">'
                f'{csrf}<input type="hidden" name="entry" value="{pk}">\n'
                '          <button type="submit" name="action" value="start" '
                f'class="button button--primary" id="live-start-{pk}"'
                f'{" data-first" if index == 0 else ""} data-focus-next="live-pause">'
                f"{labels[0]}{hidden}</button>\n"
                f'          <button type="submit" name="action" value="up" class="button" '
                f'id="live-up-{pk}"{disabled if index == 0 else ""}>'
                f"{labels[1]}{hidden}</button>\n"
                f'          <button type="submit" name="action" value="down" class="button" '
                f'id="live-down-{pk}"{disabled if index == last else ""}>'
                f"{labels[2]}{hidden}</button>\n"
                f'          <button type="submit" name="action" value="remove" class="button" '
                f'id="live-remove-{pk}" data-focus-next="speakers-waiting">'
                f"{labels[3]}{hidden}</button>\n        </form>"
            )
        parts.append("\n      </li>")
        rows.append("".join(parts))
    # Every value above is escaped (conditional_escape) or an integer.
    return mark_safe("\n      ".join(rows))  # noqa: S308


@register.simple_tag(takes_context=True)
def speaker_buttons(context, speakers, start_url):
    """The speaking-time page's buttons, one per person invited, built in one pass (the page
    and its htmx answer after every tap render them all; through the template language each
    button was a CSRF token, a plural translation and a dozen look-ups). The same markup as
    the loop it replaces (tests/council/test_views.py compares both)."""
    from django.template.defaulttags import CsrfTokenNode
    from django.utils.html import conditional_escape
    from django.utils.translation import ngettext

    if not speakers:
        empty = conditional_escape(_("Nobody is invited to this meeting."))
        return mark_safe(f'\n    <li class="empty">{empty}</li>\n    ')  # noqa: S308
    csrf = CsrfTokenNode().render(context)
    url = conditional_escape(start_url)
    rows = []
    for speaker in speakers:
        pk = int(speaker["person"].pk)
        current = speaker["is_current"]
        organisation = speaker["attendance"].organisation
        turns = speaker["turns"]
        # As {% blocktranslate count %}: the translation as it is, the number filled in.
        count = ngettext("%(n)s turn", "%(n)s turns", turns) % {"n": turns}
        name = conditional_escape(speaker["person"])
        rows.append(
            "\n    <li>\n"
            f'      <form method="post" action="{url}" data-hx-post="{url}">\n'
            f"        {csrf}\n"
            f'        <input type="hidden" name="person" value="{pk}">\n'
            f'        <button type="submit" id="speaker-{pk}" class="speaker'
            f'{" speaker--current" if current else ""}" '
            f'aria-pressed="{"true" if current else "false"}">\n'
            f'          <span class="speaker__name">{name}</span>\n'
            '          <span class="speaker__org">'
            f"{conditional_escape(organisation) if organisation else ''}</span>\n"
            f'          <span class="speaker__time">{clock(speaker["seconds"])} · {count}</span>\n'
            "        </button>\n"
            "      </form>\n"
            "    </li>\n    "
        )
    # Every value above is escaped (conditional_escape), an integer, a clock or a translation.
    return mark_safe("".join(rows))  # noqa: S308


@register.simple_tag
def membership_rows(memberships, today, can_manage):
    """The rows of the members' table, built in one pass (one row per seat and period, ten
    per seat after a few years: through the template language each cell was a look-up and a
    filter, and each change link two URL reversals)."""
    from django.urls import reverse
    from django.utils import formats
    from django.utils.html import conditional_escape

    placeholder = 2147483647
    change_url = reverse("council:membership_change", args=[placeholder])
    end_url = reverse("council:membership_end", args=[placeholder])
    dash = "–"
    ongoing = conditional_escape(_("ongoing"))
    change, end = conditional_escape(_("Change")), conditional_escape(_("End"))
    # get_role_display() builds the choices' dict (translating every label) on each call.
    roles: dict = {}
    rows = []
    for membership in memberships:
        if not roles:
            field = type(membership)._meta.get_field("role")
            roles = {value: conditional_escape(label) for value, label in field.flatchoices}
        person = conditional_escape(membership.person)
        organisation = membership.organisation
        sector = organisation.sector if organisation else None
        share = membership.work_share
        cells = [
            f"<td>{person}</td>",
            f"<td>{roles.get(membership.role, conditional_escape(membership.role))}</td>",
            f"<td>{conditional_escape(organisation) if organisation else dash}</td>",
            f"<td>{conditional_escape(sector) if sector else dash}</td>",
            f"<td>{membership.start_date:%Y-%m-%d} – "
            f"{f'{membership.end_date:%Y-%m-%d}' if membership.end_date else ongoing}</td>",
            f'<td class="num">'
            f"{f'{conditional_escape(formats.localize(share))} %' if share else dash}</td>",
        ]
        if can_manage:
            links = ""
            if not membership.end_date or membership.end_date >= today:
                pk = str(int(membership.pk))
                hidden = f'<span class="visually-hidden"> {person}</span>'
                links = (
                    f'<a href="{change_url.replace(str(placeholder), pk)}">{change}{hidden}</a>'
                    f' · <a href="{end_url.replace(str(placeholder), pk)}">{end}{hidden}</a>'
                )
            cells.append(f"<td>{links}</td>")
        rows.append("<tr>\n        " + "\n        ".join(cells) + "\n      </tr>")
    # Every value above is escaped (conditional_escape), a date or an integer.
    return mark_safe("\n      ".join(rows))  # noqa: S308
