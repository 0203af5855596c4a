"""The health charts' marks and the change arrows, written in Python (agreements/charts.py,
agreements/templatetags/agreements_tags.py), give the markup of the template loops and the
included template they replace: scores with decimals (a comma in Swedish), missing sides,
one-sided and on-behalf rounds, gaps that stand out, in Swedish and English."""

from datetime import date
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from agreements import charts, selectors, services
from agreements.enums import Side
from agreements.models import Agreement
from tests.agreements.conftest import record_round, scores

# The loops of agreements/includes/health.html and the template agreements/includes/change.html
# as they were before they were written in Python.
BEFORE = Path(__file__).parent / "markup_before"
_SIDES_LOOPS = Template((BEFORE / "health_sides_loops.html").read_text().rstrip("\n"))
_TREND_LOOP = Template((BEFORE / "health_trend_loop.html").read_text().rstrip("\n"))
_CHANGE = Template((BEFORE / "change.html").read_text())
_CHANGE_TAG = Template("{% load agreements_tags %}{% change_mark change %}")


@pytest.fixture
def rated(agreement, leader):
    record_round(agreement, date(2023, 3, 1), scores(2), scores(4, dialogue=1), by=leader)
    record_round(agreement, date(2023, 9, 1), scores(3, quality=5), scores(4), by=leader)
    services.assessment_round_record(  # one side only
        agreement=agreement,
        held_on=date(2024, 2, 1),
        side=Side.CIVIL_SOCIETY,
        scores=scores(5),
        recorded_by=leader,
    )
    record_round(agreement, date(2024, 9, 1), scores(4, openness=1), scores(3), by=leader)
    return Agreement.objects.get(pk=agreement.pk)


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("audience", [selectors.PUBLIC, selectors.LEADER])
def test_chart_marks_are_the_markup_of_the_template_loops(rated, language, audience):
    with translation.override(language):
        page = selectors.agreement_for_page(rated.pk)
        health = selectors.principle_health(page, selectors.principles(), audience=audience)
        assert len(health.rounds) == 4
        sides, trend = charts.sides_chart(health), charts.trend_chart(health)
        assert any(row.gap_stands_out for row in sides["rows"])
        written = charts.sides_marks(sides)
        assert written == _SIDES_LOOPS.render(Context({"sides_chart": sides}))
        assert written.count("<rect ") == 12
        written = charts.trend_marks(trend)
        assert written == _TREND_LOOP.render(Context({"trend_chart": trend}))
        assert ("3,5" if language == "sv" else "3.5") in written


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("change", [1.5, 0.1, 2, 0, 0.0, -0.5, -3])
def test_change_mark_is_the_markup_of_the_included_template(language, change):
    with translation.override(language):
        context = Context({"change": change})
        assert _CHANGE_TAG.render(context) == _CHANGE.render(context)


_CELL = Template((BEFORE / "participation_cell.html").read_text())
_CELL_TAG = Template(
    "{% load agreements_tags %}{% participation_cell cell participation.audience %}"
)


def _cells():
    from agreements.selectors import ParticipationSide

    full = {"none": 1, "information": 2, "dialogue": 3, "partnership": 1, "unknown": 2}
    return [
        ParticipationSide(side="civil_society", respondents=9, counts=full, mean=2.3),
        ParticipationSide(side="public", respondents=4, counts={"dialogue": 4}, mean=3.0),
        ParticipationSide(
            side="public", respondents=2, counts={"unknown": 1, "none": 1}, mean=0.0, small=True
        ),
        ParticipationSide(side="public", respondents=2, counts={}, hidden=True, small=True),
        ParticipationSide(side="civil_society", respondents=3, counts={"unknown": 3}),
        ParticipationSide(side="civil_society"),
    ]


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("audience", [selectors.PUBLIC, selectors.LEADER])
@pytest.mark.parametrize("index", range(6))
def test_participation_cell_is_the_markup_of_the_included_template(language, audience, index):
    with translation.override(language):
        context = Context({"cell": _cells()[index], "participation": {"audience": audience}})
        assert _CELL_TAG.render(context) == _CELL.render(context)


@pytest.mark.parametrize("grouping", [False, True], ids=["plain", "thousand separators"])
@pytest.mark.parametrize("language", ["sv", "en"])
def test_numbers_in_marks_are_printed_as_the_template_prints_them(language, grouping, settings):
    """Whole numbers take a shortcut (the digits) unless thousand separators are on."""
    from agreements.templatetags.agreements_tags import _v

    settings.USE_THOUSAND_SEPARATOR = grouping
    printed = Template("{{ value }}")
    with translation.override(language):
        for value in (0, 7, -12, 1234567, 3.5, -0.25, 2.0, True, None, "<a & 'b'>", 12345.5):
            expected = printed.render(Context({"value": value}))
            assert charts._n(value) == expected
            assert _v(value) == expected
