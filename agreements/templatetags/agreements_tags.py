"""Template tags of the agreement pages: parts written out in one pass (issue 17)."""

from collections.abc import Callable
from html import escape as _escape

from django import template
from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from agreements import charts

register = template.Library()


@register.simple_tag
def sides_chart_marks(chart) -> str:
    return charts.sides_marks(chart)


@register.simple_tag
def trend_chart_marks(chart) -> str:
    return charts.trend_marks(chart)


@register.simple_tag
def change_mark(change) -> str:
    """A score's change since the round before: an arrow for the eye, a word for a screen
    reader, the signed figure (was an included template, one per cell of the health table).
    Translations are written as `{% translate %}` writes them, unescaped."""
    if change > 0:
        arrow, word, figure = "↑", _("better"), f"+{_v(change)}"
    elif change < 0:
        arrow, word, figure = "↓", _("worse"), _v(change)
    else:
        arrow, word, figure = "→", _("unchanged"), "0"
    return mark_safe(  # noqa: S308 - the figure is escaped, the word is a translation
        f'<span aria-hidden="true">{arrow}</span><span class="visually-hidden">{word}</span> '
        f"{figure}\n"
    )


def _v(value) -> str:
    """A value as `{{ value }}` prints it (localised, escaped)."""
    if type(value) is str:  # not a SafeString: escaped as conditional_escape escapes it
        return _escape(value)
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:  # as number_format does
        return str(value)
    return conditional_escape(str(localize(value)))


def _csrf_input(context) -> str:
    """What {% csrf_token %} writes: the page's token is the same in every form of it."""
    csrf_value = context.get("csrf_token")
    if not csrf_value or csrf_value == "NOTPROVIDED":
        return ""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf_value)


def _answer_texts(context) -> dict:
    """The answer form's labels and states as the page writes them, escaped once per page."""
    cached = context.render_context.get(_answer_texts)
    if cached is None:
        fields = context["answer_fields"]
        # The help texts are written as they are (as the row wrote them before).
        raw = ("evidence_help", "evidence_file_help")
        cached = {
            name: text if name in raw else _v(text)
            for name, text in fields.items()
            if name != "states"
        }
        cached["states"] = [
            (value, _v(value), _v(index), _v(label))
            for index, (value, label) in enumerate(fields["states"])
        ]
        cached["local"] = f' <span class="badge">{_("local question")}</span>'
        cached["document"] = _("Document:")
        cached["save"] = _("Save answer")
        cached["csrf"] = _csrf_input(context)
        context.render_context[_answer_texts] = cached
    return cached


def _answer_urls(context) -> tuple[Callable[[int], str], Callable[[int], str]]:
    """The answer and document addresses of a question, from one reversal each per page."""
    cached = context.render_context.get(_answer_urls)
    if cached is None:
        agreement_pk = context["agreement"].pk
        made = []
        for name in ("agreements:answer", "agreements:evidence"):
            parts = reverse(name, args=[agreement_pk, _MARK]).split(str(_MARK))
            if len(parts) == 2:
                made.append(lambda pk, head=parts[0], tail=parts[1]: f"{head}{pk}{tail}")
            else:  # the mark also stands elsewhere in the address: reverse per question
                made.append(lambda pk, name=name: reverse(name, args=[agreement_pk, pk]))
        cached = context.render_context[_answer_urls] = tuple(made)
    return cached


_MARK = 987654321


@register.simple_tag(takes_context=True)
def checklist_row(context, row) -> str:
    """A question not being saved, with its answer's values: the same form as the answer
    form gives through agreements/includes/checklist_row.html, written out in one pass
    (26 questions took most of the checklist page's time as an included template each).
    tests/agreements/test_page_queries.py compares it with the form."""
    fields = _answer_texts(context)
    answer_url, evidence_url = _answer_urls(context)
    pk = _v(row.item.pk)
    answer = row.answer
    csrf = fields["csrf"]
    text = _v(row.item.text)
    local = fields["local"] if row.item.agreement_id else ""
    state = row.state
    states = "".join(
        f'<span class="choice"><input type="radio" name="q{pk}-state" value="{value_text}" '
        f'id="id_q{pk}-state_{index}" required{" checked" if value == state else ""}> '
        f'<label for="id_q{pk}-state_{index}">{label}</label></span>'
        for value, value_text, index, label in fields["states"]
    )
    note = _v(answer.note) if answer and answer.note else ""
    note_value = f' value="{note}"' if note else ""
    evidence = _v(answer.evidence) if answer and answer.evidence else ""
    evidence_value = f' value="{evidence}"' if evidence else ""
    document = ""
    if answer and answer.evidence_file:
        document = (
            f'<p class="evidence-file">{fields["document"]} <a href="{evidence_url(pk)}">'
            f"{_v(answer.evidence_name)}</a></p>\n"
            f'  <div class="field">\n'
            f'    <input type="checkbox" name="q{pk}-remove_file" id="id_q{pk}-remove_file">'
            f'<input type="hidden" name="initial-q{pk}-remove_file" '
            f'id="initial-q{pk}-id_q{pk}-remove_file"> <label for="id_q{pk}-remove_file">'
            f"{fields['remove_file']}</label>\n"
            "  </div>"
        )
    saved_by = ""
    if answer and answer.updated_by:
        person = answer.updated_by
        when = date_filter(template_localtime(answer.updated_at), "Y-m-d H:i")
        saved_by = '<p class="muted">{}</p>'.format(
            _("Last saved by %(name)s, %(when)s")
            % {"name": _v(person.full_name or person.email), "when": _v(when)}
        )
    url = answer_url(pk)
    html = (
        f'<form method="post" action="{url}" class="question card" id="q{pk}" '
        'enctype="multipart/form-data" data-hx-encoding="multipart/form-data" '
        f'data-hx-post="{url}" data-hx-target="this" data-hx-swap="outerHTML" '
        "data-warn-unsaved>\n"
        f"  {csrf}\n"
        f'  <input type="hidden" name="q{pk}-version" value="{_v(row.version)}" '
        f'id="id_q{pk}-version">\n'
        "  <fieldset>\n"
        f'    <legend class="question__text">{text}{local}</legend>\n'
        f'    <div class="radio-row">{states}</div>\n'
        "  </fieldset>\n"
        '  <div class="field">\n'
        f'    <label for="id_q{pk}-note">{fields["note"]}</label>\n'
        f'    <textarea name="q{pk}-note" cols="40" rows="2" maxlength="3000" '
        f'id="id_q{pk}-note">\n'
        f'{note}</textarea><input type="hidden" name="initial-q{pk}-note"'
        f'{note_value} id="initial-q{pk}-id_q{pk}-note">\n'
        "  </div>\n"
        '  <div class="field">\n'
        f'    <label for="id_q{pk}-evidence">{fields["evidence"]}</label>\n'
        f'    <div class="help visually-hidden" id="id_q{pk}-evidence_helptext">'
        f"{fields['evidence_help']}</div>\n"
        f'    <input type="text" name="q{pk}-evidence"{evidence_value} maxlength="300" '
        f'aria-describedby="id_q{pk}-evidence_helptext" id="id_q{pk}-evidence">'
        f'<input type="hidden" name="initial-q{pk}-evidence"{evidence_value} '
        f'id="initial-q{pk}-id_q{pk}-evidence">\n'
        "  </div>\n"
        f"  {document}\n"
        '  <div class="field">\n'
        f'    <label for="id_q{pk}-evidence_file">{fields["evidence_file"]}</label>\n'
        f'    <div class="help visually-hidden" id="id_q{pk}-evidence_file_helptext">'
        f"{fields['evidence_file_help']}</div>\n"
        f'    <input type="file" name="q{pk}-evidence_file" '
        f'aria-describedby="id_q{pk}-evidence_file_helptext" id="id_q{pk}-evidence_file">\n'
        "  </div>\n"
        f"  {saved_by}\n"
        f'  <button type="submit" class="button">{fields["save"]}'
        f'<span class="visually-hidden">: {text}</span></button>\n'
        "</form>\n"
    )
    return mark_safe(html)  # noqa: S308 - every value escaped above


@register.simple_tag
def participation_cell(cell, audience) -> str:
    """One side's level of participation in one step (a selectors.ParticipationSide), for
    the public page, the leader's round page and the report (was an included template, two
    per step)."""
    if cell.shown:
        html = f"<strong>{_v(cell.level_label)}</strong> ({_v(cell.mean)})"
        if cell.unknown:
            count = cell.unknown
            text = ngettext("%(counter)s don't know", "%(counter)s don't know", count)
            html += f' <span class="muted">{text % {"counter": _v(count)}}</span>'
        if cell.small:
            html += f' <span class="flag">{_("not public")}</span>'
        if audience == "leader":
            shown = " · ".join(f"{_v(label)} {_v(count)}" for label, count in cell.distribution)
            html += f'<br><span class="muted">{shown}</span>'
    elif cell.hidden:
        text = _("n=%(n)s, not shown") % {"n": _v(cell.respondents)}
        html = f'<span class="muted">{text}</span>'
    elif cell.respondents:
        html = '<span class="muted">{}</span>'.format(_("Don't know"))
    else:
        html = "–"
    return mark_safe(html + "\n")  # noqa: S308 - every value escaped above


# --- The process leaders' workspace (issue 17: rendered on the first view after a write) ----
# Its three longest loops, written out in one pass with the markup the template loops wrote
# (tests/agreements/test_page_queries.py compares the page with tests/agreements/markup_before/).


def _day(value) -> str:
    """`{{ value|date:"Y-m-d" }}` (a datetime in the current time zone)."""
    return date_filter(template_localtime(value), "Y-m-d")


def _translated(message: str) -> str:
    """`{% translate "..." %}` output: a literal's translation is written as it is."""
    return message


def _display(model, name: str) -> Callable[[object], str]:
    """`instance.get_<name>_display()` from one reading of the field's choices per call of a
    tag (Django builds them again on every call: the labels are translated each time)."""
    labels = dict(model._meta.get_field(name).flatchoices)
    return lambda value: str(labels.get(value, value))


@register.simple_tag
def phase_history(changes) -> str:
    """The items of the phase history list (agreement.phase_changes.all)."""
    from agreements.models import PhaseChange

    from_label = _display(PhaseChange, "from_phase")
    to_label = _display(PhaseChange, "to_phase")
    items = []
    for change in changes:
        parts = [f"\n      <li>{_day(change.effective_on)}"]
        if change.effective_on != change.changed_at.date():
            recorded = _("recorded %(when)s") % {"when": _v(_day(change.changed_at))}
            parts.append(f' <span class="muted">({recorded})</span>')
        parts.append(": ")
        if change.from_phase:
            parts.append(f"{_v(from_label(change.from_phase))} → ")
        parts.append(_v(to_label(change.to_phase)))
        person = change.changed_by
        if person:
            parts.append(f" ({_v(person.full_name or person.email)})")
        if change.open_questions and not change.is_revert and change.from_phase:
            count = change.open_questions
            flag = ngettext(
                "%(counter)s unanswered question", "%(counter)s unanswered questions", count
            ) % {"counter": _v(count)}
            parts.append(f' <span class="flag">{flag}</span>')
        if change.note:
            parts.append(f": {_v(change.note)}")
        parts.append("</li>\n    ")
        items.append("".join(parts))
    return mark_safe("".join(items))  # noqa: S308 - every value escaped above


@register.simple_tag(takes_context=True)
def action_rows(context, actions) -> str:
    """The action plan's rows, each with its status form (agreement.actions.all)."""
    from agreements.models import ActionPlanItem

    side_label = _display(ActionPlanItem, "owner_side")
    agreement_pk = context["agreement"].pk
    today = context["today"]
    csrf = _csrf_input(context)
    statuses = [(value, _v(value), _v(label)) for value, label in context["action_statuses"]]
    overdue = f' <strong class="flag">{_translated(_("overdue"))}</strong>'
    save = _translated(_("Save"))
    url = _reverser("agreements:action_status", agreement_pk)
    rows = []
    for action in actions:
        pk = _v(action.pk)
        title = _v(action.title)
        principle = (
            f'<br><span class="muted">{_v(action.principle.name)}</span>'
            if action.principle
            else ""
        )
        late = action.is_open and action.due_on and action.due_on < today
        options = "".join(
            f'<option value="{value_text}"{" selected" if value == action.status else ""}>'
            f"{label}</option>"
            for value, value_text, label in statuses
        )
        label = _("Status of %(title)s") % {"title": title}
        rows.append(
            "\n      <tr>\n"
            f'        <th scope="row">{title}{principle}</th>\n'
            f"        <td>{_v(side_label(action.owner_side))}</td>\n"
            f"        <td>{_day(action.due_on) or '–'}{overdue if late else ''}</td>\n"
            "        <td>\n"
            f'          <form method="post" action="{url(action.pk)}" class="status-form">\n'
            f"            {csrf}\n"
            f'            <input type="hidden" name="version" value="{_v(action.version)}">\n'
            f'            <label for="status-{pk}" class="visually-hidden">{label}</label>\n'
            f'            <select id="status-{pk}" name="status">\n'
            f"              {options}\n"
            "            </select>\n"
            f'            <button type="submit" class="button">{save}</button>\n'
            "          </form>\n"
            "        </td>\n"
            "      </tr>\n    "
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value escaped above


def _reverser(name: str, agreement_pk) -> Callable[[int], str]:
    """An address per row of the agreement from one reversal (see _answer_urls)."""
    parts = reverse(name, args=[agreement_pk, _MARK]).split(str(_MARK))
    if len(parts) == 2:
        return lambda pk, head=parts[0], tail=parts[1]: f"{head}{_v(pk)}{tail}"
    return lambda pk: _v(reverse(name, args=[agreement_pk, pk]))


@register.simple_tag
def timeline_rows(timeline) -> str:
    """The rows of the timeline table (selectors.phase_timeline())."""
    with_checklist = bool(timeline and timeline[0].questions)
    planned_label = _translated(_("Planned"))
    actual_label = _translated(_("Actual"))
    days_label = _translated(_("Days (typical)"))
    checklist_label = _translated(_("Checklist"))
    note_label = _translated(_("Note"))
    now = f' <span class="badge">{_translated(_("now"))}</span>'
    longer = f'<span class="flag">{_translated(_("Longer than typical"))}</span>'
    rows = []
    for span in timeline:
        if span.entered_at:
            actual = _day(span.entered_at)
            if span.left_at:
                actual += f" – {_day(span.left_at)}"
        else:
            actual = "–"
        days = _v(span.days) if span.state != "future" else "–"
        checklist = ""
        if with_checklist:
            progress = _("%(answered)s of %(total)s") % {
                "answered": _v(span.answered),
                "total": _v(span.questions),
            }
            checklist = f'<td class="num" data-label="{checklist_label}">{progress}</td>'
        late = ""
        if span.days_late and span.days_late > 0:
            late = '<span class="flag">{}</span>'.format(
                ngettext(
                    "%(counter)s day later than planned",
                    "%(counter)s days later than planned",
                    span.days_late,
                )
                % {"counter": _v(span.days_late)}
            )
        left_open = ""
        if span.state == "done" and span.open_questions_on_leaving:
            count = span.open_questions_on_leaving
            left_open = '<span class="flag">{}</span>'.format(
                ngettext(
                    "Left with %(counter)s unanswered question",
                    "Left with %(counter)s unanswered questions",
                    count,
                )
                % {"counter": _v(count)}
            )
        rows.append(
            f'\n    <tr class="timeline__row timeline__row--{_v(span.state)}">\n'
            f'      <th scope="row">{_v(span.label)}{now if span.state == "current" else ""}</th>\n'
            f'      <td data-label="{planned_label}">{_day(span.planned_on) or "–"}</td>\n'
            f'      <td data-label="{actual_label}">{actual}</td>\n'
            f'      <td class="num" data-label="{days_label}">{days} ({_v(span.typical_days)})'
            "</td>\n"
            f"      {checklist}\n"
            f'      <td data-label="{note_label}">\n'
            f"        {late}\n"
            f"        {longer if span.state != 'future' and span.over_typical else ''}\n"
            f"        {left_open}\n"
            "      </td>\n"
            "    </tr>\n  "
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value escaped above


@register.simple_tag
def health_rows(health) -> str:
    """The rows of the health table: each principle's latest mean per side (spread), the gap
    and the change since the round before (health.principles)."""
    principles_url = conditional_escape(reverse("agreements:principles"))
    weak = f' <span class="flag">{_("weak")}</span>'
    disagree = f' <strong class="flag">{_("sides disagree")}</strong>'
    civil_short = pgettext("civil society, short", "CS")
    public_short = pgettext("public sector, short", "PS")
    rows = []
    for row in health.principles:
        name = _v(row.principle.name)
        if row.weak:
            name = f'<a href="{principles_url}#{_v(row.code)}">{name}</a>{weak}'
        cells = []
        for value, spread in ((row.civil, row.civil_spread), (row.public, row.public_spread)):
            shown = "–" if value is None else _v(value)
            if spread:
                shown += f' <span class="muted">±{_v(spread)}</span>'
            cells.append(f'<td class="num">{shown}</td>')
        gap = "–" if row.gap is None else _v(row.gap)
        if row.gap_stands_out:
            gap += disagree
        civil_change, public_change = row.civil_change, row.public_change
        if civil_change is not None or public_change is not None:
            change = ""
            if civil_change is not None:
                change += f'<span class="nowrap">{civil_short} {change_mark(civil_change)}</span> '
            if public_change is not None:
                change += f'<span class="nowrap">{public_short} {change_mark(public_change)}</span>'
        else:
            change = "–"
        gap_class = ' class="gap"' if row.gap_stands_out else ""
        rows.append(
            f"\n      <tr{gap_class}>\n"
            f'        <th scope="row">{name}</th>\n'
            f"        {cells[0]}\n"
            f"        {cells[1]}\n"
            f'        <td class="num">{gap}</td>\n'
            f"        <td>{change}</td>\n"
            "      </tr>\n    "
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value escaped above


@register.simple_tag
def trend_rows(health) -> str:
    """The rows of the trend table: each principle's mean of both sides, round by round."""
    return mark_safe(  # noqa: S308 - every value escaped
        "".join(
            f'<tr><th scope="row">{_v(row.principle.name)}</th>'
            + "".join(
                f'<td class="num">{"–" if value is None else _v(value)}</td>' for value in row.trend
            )
            + "</tr>"
            for row in health.principles
        )
    )
