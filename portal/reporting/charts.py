"""Horizontal bar charts and trend lines drawn on the server as inline SVG: no script, no
library, nothing fetched. Each chart is an image with a title (`role="img"`,
`aria-labelledby`); the page puts the same figures in a table below it, which is the
accessible alternative (RGAA 1.3 / 4.1).

Colours come from the stylesheet (`.chart-bar`, `.chart-label`): no inline style, which the
Content-Security-Policy forbids.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 640
VALUE_WIDTH = 72  # room after the longest bar for its value
LABEL_HEIGHT = 20  # each label sits on its own line above its bar: never clipped
BAR_HEIGHT = 18
GAP = 12


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float
    shown: str  # the value as the table shows it (« 12 », « 85 % »)


def bar_chart(chart_id: str, title: str, bars: Sequence[Bar]) -> Markup:
    """An SVG of one bar per row, scaled to the largest value; `chart_id` makes the ids of
    its title unique on the page."""
    title_id = f"{chart_id}-title"
    step = LABEL_HEIGHT + BAR_HEIGHT + GAP
    height = max(len(bars), 1) * step
    room = WIDTH - VALUE_WIDTH
    largest = max((b.value for b in bars), default=0) or 1
    parts = [
        f'<svg class="chart" id="{escape(chart_id)}" role="img" '
        f'aria-labelledby="{escape(title_id)}" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
    ]
    for index, bar in enumerate(bars):
        y = index * step
        bar_y = y + LABEL_HEIGHT
        length = round(room * max(bar.value, 0) / largest, 1)
        parts.append(
            f'<text class="chart-label" x="0" y="{y + LABEL_HEIGHT - 5}">'
            f"{escape(_shorten(bar.label))}</text>"
            f'<rect class="chart-bar" x="0" y="{bar_y}" width="{length}" '
            f'height="{BAR_HEIGHT}"></rect>'
            f'<text class="chart-value" x="{length + 6}" y="{bar_y + BAR_HEIGHT - 4}">'
            f"{escape(bar.shown)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (our own SVG; every text in it is escaped)


def _shorten(label: str, limit: int = 72) -> str:
    """A long label (a reason typed by the mediator) is cut in the chart; the table keeps it
    whole."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


# The trend chart (issue 15 §3): a line per series over months, the nation and one lot. Each
# series has its own dash pattern and marker shape as well as its colour (never colour alone),
# and a legend in words; the page puts the same figures in a table right after it.
LINE_HEIGHT = 300
PLOT_LEFT = 84  # room for the y-axis values (« 0,15 % » at a phone's 18 units)
PLOT_TOP = 60  # room for the legend: one line per series (two at most)
PLOT_BOTTOM = 44  # room for the x-axis labels
PLOT_RIGHT = 44  # half the widest month label (« sept. 26 ») at 18 units
Y_TICKS = 4
SERIES_STYLES = 2  # .chart-line-0, .chart-line-1 in the stylesheet; the nth series takes n % 2


@dataclass(frozen=True, slots=True)
class Series:
    label: str
    points: Sequence[float | None]  # one per x label; None: no figure (a gap in the line)


def line_chart(
    chart_id: str,
    title: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    shown: Callable[[float], str],
) -> Markup:
    """An SVG line chart from 0 to a round top value; `shown` writes a y-axis value as the
    table does (« 85 % », « 12 »). A missing point breaks its line."""
    title_id = f"{chart_id}-title"
    values = [v for s in series for v in s.points if v is not None]
    largest = max(values, default=0)
    if values and all(float(v).is_integer() for v in values):
        top = _whole_top(largest)  # counts: whole ticks, never « 1,2 » cases
    else:
        top = _round_top(largest)
    plot_w = WIDTH - PLOT_LEFT - PLOT_RIGHT
    plot_h = LINE_HEIGHT - PLOT_TOP - PLOT_BOTTOM
    step = plot_w / max(len(x_labels) - 1, 1)

    def x_of(i: int) -> float:
        return round(PLOT_LEFT + i * step, 1)

    def y_of(v: float) -> float:
        return round(PLOT_TOP + plot_h - plot_h * max(v, 0) / top, 1)

    parts = [
        f'<svg class="chart chart-trend" id="{escape(chart_id)}" role="img" '
        f'aria-labelledby="{escape(title_id)}" viewBox="0 0 {WIDTH} {LINE_HEIGHT}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
    ]
    for tick in range(Y_TICKS + 1):
        value = top * tick / Y_TICKS
        y = y_of(value)
        parts.append(
            f'<line class="chart-grid" x1="{PLOT_LEFT}" x2="{WIDTH - PLOT_RIGHT}" '
            f'y1="{y}" y2="{y}"></line>'
            f'<text class="chart-axis" x="{PLOT_LEFT - 6}" y="{y + 5}" text-anchor="end">'
            f"{escape(shown(value))}</text>"
        )
    # 13 months: every other label, counted back from the last (always shown), so that the
    # labels are evenly spaced and never overlap; PLOT_RIGHT leaves half a label of room. On
    # a phone, where the words are drawn larger, every other one of those is hidden
    # (`.chart-minor` in the stylesheet): a label every four months.
    every = 1 if len(x_labels) <= 7 else 2
    last = len(x_labels) - 1
    for i, label in enumerate(x_labels):
        if (last - i) % every == 0:
            minor = " chart-minor" if (last - i) // every % 2 else ""
            parts.append(
                f'<text class="chart-axis{minor}" x="{x_of(i)}" '
                f'y="{LINE_HEIGHT - PLOT_BOTTOM + 22}" text-anchor="middle">{escape(label)}</text>'
            )
    for n, one in enumerate(series):
        style = f"chart-line-{n % SERIES_STYLES}"
        legend_x, legend_y = PLOT_LEFT, 14 + 22 * (n % SERIES_STYLES)
        parts.append(
            f'<g class="{style}"><line class="chart-line" x1="{legend_x}" x2="{legend_x + 28}" '
            f'y1="{legend_y}" y2="{legend_y}"></line>{_marker(n, legend_x + 14, legend_y)}'
            f'<text class="chart-label" x="{legend_x + 36}" y="{legend_y + 5}">'
            f"{escape(_shorten(one.label, 46))}</text>"  # whole at 18 units
        )
        for run in _runs(one.points):
            coords = " ".join(f"{x_of(i)},{y_of(v)}" for i, v in run)
            parts.append(f'<polyline class="chart-line" points="{coords}"></polyline>')
        parts.extend(
            _marker(n, x_of(i), y_of(v)) for i, v in enumerate(one.points) if v is not None
        )
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (our own SVG; every text in it is escaped)


def _marker(n: int, x: float, y: float) -> str:
    """A circle for the first series, a square for the second: told apart without colour."""
    if n % SERIES_STYLES == 0:
        return f'<circle class="chart-point" cx="{x}" cy="{y}" r="4"></circle>'
    return f'<rect class="chart-point" x="{x - 4}" y="{y - 4}" width="8" height="8"></rect>'


def _runs(points: Sequence[float | None]) -> list[list[tuple[int, float]]]:
    """The stretches of consecutive figures; a month without one cuts the line."""
    runs: list[list[tuple[int, float]]] = [[]]
    for i, value in enumerate(points):
        if value is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((i, value))
    return [run for run in runs if len(run) > 1]


def _round_top(largest: float) -> float:
    """The top of the y axis: 1, 2, 2.5 or 5 times a power of ten, at or above the largest."""
    if largest <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(largest))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= largest:
            return float(factor * power)
    return float(10 * power)


def _whole_top(largest: float) -> float:
    """The top of the y axis of counts: Y_TICKS whole steps of 1, 2 or 5 times a power of ten."""
    needed = max(math.ceil(largest / Y_TICKS), 1)
    power = 10 ** math.floor(math.log10(needed))
    step = next(f * power for f in (1, 2, 5, 10) if f * power >= needed)
    return float(step * Y_TICKS)


__all__ = ["Bar", "Series", "bar_chart", "line_chart"]
