"""Geometry for the SVG charts; the templates draw them and put a table beside each.

Pure functions of the selectors' summaries: no queries, no markup.
"""

from dataclasses import dataclass

from agreements.enums import SCORE_MAX
from agreements.selectors import Health

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
