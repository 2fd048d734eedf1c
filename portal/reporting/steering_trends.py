"""The steering views' trends (issue 15 §3): a few key indicators month by month over 13
months, for the nation and a lot — drawn as line charts by the pages, each with its table, and
written in the CSV."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from portal.reporting.indicators import WITHIN_30, Figure, Period
from portal.reporting.steering_tables import (
    Column,
    Place,
    Stored,
    Value,
    below_rule,
    computed_definitions,
    index_of,
)


@dataclass(slots=True)
class Trend:
    id: str
    column: Column
    months: list[Period]
    series: list[tuple[Place, list[Value]]]

    @property
    def has_values(self) -> bool:
        """Whether any month has a figure: a chart of dashes only is not drawn."""
        return any(v.figure and v.figure.value is not None for _p, vs in self.series for v in vs)


# The trend's key indicators: engagements in UO1, first appointments within 30 jours ouvrés,
# and 6.5 (CCTP 4.3), month by month over 13 months.
TREND = (("1.2", None), ("8.4", WITHIN_30), ("6.5", None))


def trends(
    figures: Sequence[Figure],
    places: Sequence[Place],
    months: list[Period],
    stored: Stored | None = None,
) -> list[Trend]:
    index = index_of(figures)
    by_number = {d.number: d for d in computed_definitions()}
    result = []
    for number, category in TREND:
        definition = by_number.get(number)
        if definition is None:
            continue
        column = Column(definition, category)
        series = []
        for place in places:
            values = []
            for month in months:
                key = (number, month.key, place.operator_id, place.site_id, category)
                figure = index.get(key)
                value = None if figure is None else figure.value
                how = (stored or {}).get(key)
                values.append(Value(figure, column.unit, below_rule(column, value), how))
            series.append((place, values))
        result.append(Trend(f"tendance-{column.id.replace('.', '-')}", column, months, series))
    return result


__all__ = ["TREND", "Trend", "trends"]
