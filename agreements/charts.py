"""Geometry for the SVG charts, and their marks; the templates put a title, a caption and a
table beside each.

Pure functions of the selectors' summaries: no queries. The marks (`sides_marks()`,
`trend_marks()`) were template loops with a filter per coordinate, a third of the agreement
workspace's template time with a few rounds in the trend: they are written here with the
numbers printed the way the template language prints them (localised, so a Swedish score
reads "3,5"). tests/agreements/test_charts.py compares them with the loops they replace.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from agreements.enums import SCORE_MAX
from agreements.selectors import Health


def _n(value) -> str:
    """A value as `{{ value }}` prints it. Whole numbers (most of a chart's coordinates) as
    Django's number formatting writes them without thousand separators: the digits."""
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return conditional_escape(str(localize(value)))


BAR_UNIT = 40  # px per score step
LABEL_WIDTH = 215
ROW_HEIGHT = 44


@dataclass
class SidesRow:
    label: str
    y: int
    civil: int | None
    public: int | None
    civil_width: int
    public_width: int
    gap_stands_out: bool


def sides_chart(health: Health) -> dict:
    """Horizontal bars: each principle's latest score from each side."""
    rows = []
    for index, row in enumerate(health.principles):
        rows.append(
            SidesRow(
                label=str(row.principle.name),
                y=index * ROW_HEIGHT + 10,
                civil=row.civil,
                public=row.public,
                civil_width=round((row.civil or 0) * BAR_UNIT),
                public_width=round((row.public or 0) * BAR_UNIT),
                gap_stands_out=row.gap_stands_out,
            )
        )
    ticks = [{"x": LABEL_WIDTH + n * BAR_UNIT, "label": n} for n in range(0, SCORE_MAX + 1)]
    return {
        "rows": rows,
        "label_width": LABEL_WIDTH,
        "width": LABEL_WIDTH + SCORE_MAX * BAR_UNIT + 40,
        "height": len(rows) * ROW_HEIGHT + 30,
        "axis_y": len(rows) * ROW_HEIGHT + 8,
        "ticks": ticks,
    }


PANEL_W, PANEL_H, PAD = 200, 110, 24
# Room between panels for the longest principle name ("Självständighet och oberoende").
PANEL_GAP = 28


def trend_chart(health: Health) -> dict:
    """Small multiples: one panel per principle, its average score round by round."""
    count = max(len(health.rounds), 1)
    step = (PANEL_W - 2 * PAD) / max(count - 1, 1)
    panels = []
    for index, row in enumerate(health.principles):
        col, line = index % 3, index // 3
        x0, y0 = col * (PANEL_W + PANEL_GAP), line * (PANEL_H + 34)
        points = []
        for r, value in enumerate(row.trend):
            if value is None:
                continue
            x = x0 + PAD + (r * step if count > 1 else (PANEL_W - 2 * PAD) / 2)
            y = y0 + 20 + (SCORE_MAX - value) / (SCORE_MAX - 1) * (PANEL_H - 40)
            # Whole pixels: a float would be written "24,5" in Swedish, which SVG cannot read.
            points.append({"x": round(x), "y": round(y), "value": value})
        panels.append(
            {
                "label": str(row.principle.name),
                "x": x0,
                "y": y0,
                "points": points,
                "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
                "baseline": y0 + PANEL_H - 20,
                "top": y0 + 20,
            }
        )
    lines = (len(panels) + 2) // 3
    return {
        "panels": panels,
        "panel_width": PANEL_W,
        "panel_height": PANEL_H,
        "width": 3 * PANEL_W + 2 * PANEL_GAP,
        "height": lines * (PANEL_H + 34),
    }


def sides_marks(chart: dict) -> SafeString:
    """The ticks and bars of sides_chart(), as the template's loops wrote them."""
    axis_y, label_width = chart["axis_y"], chart["label_width"]
    parts = [
        f'<line x1="{_n(tick["x"])}" x2="{_n(tick["x"])}" y1="4" y2="{_n(axis_y)}" '
        'class="chart__grid" stroke="#c5d0d8" stroke-width="1"/>'
        f'<text x="{_n(tick["x"])}" y="{_n(axis_y + 16)}" font-size="12" fill="#1b1f23" '
        f'class="chart__tick" text-anchor="middle">{_n(tick["label"])}</text>'
        for tick in chart["ticks"]
    ]
    parts.append("\n      ")
    for row in chart["rows"]:
        flag = " ⚠" if row.gap_stands_out else ""
        civil = "–" if row.civil is None else _n(row.civil)
        public = "–" if row.public is None else _n(row.public)
        parts.append(
            f'\n        <text x="0" y="{_n(row.y + 14)}" font-size="12" fill="#1b1f23" '
            f'class="chart__label">{conditional_escape(row.label)}{flag}</text>'
            f'\n        <rect x="{_n(label_width)}" y="{_n(row.y)}" width="{_n(row.civil_width)}" '
            'height="14" class="chart__bar chart__bar--civil" fill="#0b4f6c"/>'
            f'\n        <text x="{_n(label_width + row.civil_width + 4)}" y="{_n(row.y + 12)}" '
            f'font-size="12" fill="#1b1f23" class="chart__value">{civil}</text>'
            f'\n        <rect x="{_n(label_width)}" y="{_n(row.y + 17)}" '
            f'width="{_n(row.public_width)}" height="14" class="chart__bar chart__bar--public" '
            'fill="#b3541e"/>'
            f'\n        <text x="{_n(label_width + row.public_width + 4)}" y="{_n(row.y + 29)}" '
            f'font-size="12" fill="#1b1f23" class="chart__value">{public}</text>\n      '
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped above


def trend_marks(chart: dict) -> SafeString:
    """The panels of trend_chart(), as the template's loop wrote them."""
    width = chart["panel_width"]
    parts = []
    for panel in chart["panels"]:
        x = panel["x"]
        parts.append(
            f'\n        <text x="{_n(x)}" y="{_n(panel["y"] + 12)}" font-size="12" '
            f'fill="#1b1f23" class="chart__label">{conditional_escape(panel["label"])}</text>'
            f'\n        <line x1="{_n(x)}" x2="{_n(x + width)}" y1="{_n(panel["baseline"])}" '
            f'y2="{_n(panel["baseline"])}" class="chart__grid" stroke="#c5d0d8" stroke-width="1"/>'
            f'\n        <line x1="{_n(x)}" x2="{_n(x + width)}" y1="{_n(panel["top"])}" '
            f'y2="{_n(panel["top"])}" class="chart__grid chart__grid--top" stroke="#c5d0d8" '
            'stroke-width="1"/>'
            f'\n        <polyline points="{conditional_escape(panel["polyline"])}" '
            'class="chart__line" fill="none" stroke="#0b4f6c" stroke-width="2.5"/>\n        '
        )
        parts.extend(
            f'<circle cx="{_n(point["x"])}" cy="{_n(point["y"])}" r="4" class="chart__dot" '
            f'fill="#0b4f6c"/><text x="{_n(point["x"])}" y="{_n(point["y"] - 7)}" '
            'text-anchor="middle" font-size="12" fill="#1b1f23" class="chart__value">'
            f"{_n(point['value'])}</text>"
            for point in panel["points"]
        )
        parts.append("\n      ")
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped above
