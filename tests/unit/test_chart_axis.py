"""The trend charts' y axis: counts get whole ticks, shares keep their round tops."""

from __future__ import annotations

import re
from itertools import pairwise

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


def months_shown(count: int) -> list[tuple[str, float]]:
    """The x-axis labels drawn for `count` months, with their positions."""
    svg = line_chart("c", "Titre", [f"m{i}" for i in range(count)], [Series("n", [1.0])], str)
    return [
        (label, float(x))
        for x, label in re.findall(r'class="chart-axis[^"]*" x="([\d.]+)"[^>]*>(m\d+)<', svg)
    ]


def test_the_month_labels_are_evenly_spaced_and_end_on_the_last() -> None:
    """Thirteen months (the trend) show every other one; so do twelve, counted back from the
    last: the last month is always named, and no two labels come closer than two months
    (before, a twelfth label squeezed against its neighbour on a phone)."""
    for count, expected in (
        (13, [f"m{i}" for i in range(0, 13, 2)]),
        (12, ["m1", "m3", "m5", "m7", "m9", "m11"]),
    ):
        shown = months_shown(count)
        assert [label for label, _x in shown] == expected
        gaps = {round(b - a) for (_l, a), (_m, b) in pairwise(shown)}
        assert len(gaps) == 1, f"uneven spacing: {gaps}"
    assert [label for label, _x in months_shown(5)] == ["m0", "m1", "m2", "m3", "m4"]


def test_a_phone_names_every_fourth_month() -> None:
    """The labels a phone hides (`.chart-minor`) leave one every four months, the last one
    still named."""
    svg = line_chart("c", "Titre", [f"m{i}" for i in range(13)], [Series("n", [1.0])], str)
    major = re.findall(r'class="chart-axis"[^>]*>(m\d+)<', svg)
    assert major == ["m0", "m4", "m8", "m12"]
