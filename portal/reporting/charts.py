"""Horizontal bar charts drawn on the server as inline SVG: no script, no library, nothing
fetched. Each chart is an image with a title (`role="img"`, `aria-labelledby`); the page puts
the same figures in a table below it, which is the accessible alternative (RGAA 1.3 / 4.1).

Colours come from the stylesheet (`.chart-bar`, `.chart-label`): no inline style, which the
Content-Security-Policy forbids.
"""

from __future__ import annotations

from collections.abc import Sequence
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


__all__ = ["Bar", "bar_chart"]
