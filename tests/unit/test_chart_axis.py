"""The trend charts' y axis: counts get whole ticks, shares keep their round tops."""

from __future__ import annotations

import re

from portal.reporting.charts import Series, line_chart


def ticks(values: list[float | None]) -> list[str]:
    svg = line_chart(
        "c", "Titre", [f"m{i}" for i in range(len(values))], [Series("n", values)], str
    )
    return [
        t for t in re.findall(r'class="chart-axis"[^>]*>([^<]*)<', svg) if not t.startswith("m")
    ]


def test_a_count_reads_on_whole_ticks() -> None:
    assert ticks([0, 0, 4, 0]) == ["0.0", "1.0", "2.0", "3.0", "4.0"]
    assert ticks([0, 5, 3]) == ["0.0", "2.0", "4.0", "6.0", "8.0"]
    assert ticks([0, 37]) == ["0.0", "10.0", "20.0", "30.0", "40.0"]


def test_a_share_keeps_a_round_top() -> None:
    assert ticks([0.1, 0.42]) == ["0.0", "0.125", "0.25", "0.375", "0.5"]
