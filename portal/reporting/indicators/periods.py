"""The periods of the indicators (a month or a semester) and how SQL groups rows by them.

Two ways of grouping, both the same on PostgreSQL and SQLite and both one statement whatever
the number of periods:

- `month_number(column)`: year × 100 + month, for sums that add up over months (counts, sums
  of days); the caller adds each month into the periods that contain it (a month may belong
  to a month and to a semester asked together, and to a year-to-date total).
- `bucket(column, layer)`: a CASE over periods that do not overlap, for distinct counts (the
  people of 6.8, the beneficiaries of 2.3/2.4) that do not add up; `layers()` splits the
  periods asked into such groups (months, semesters: at most two).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import Integer, and_, case, cast, extract, literal
from sqlalchemy.sql.elements import ColumnElement

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_SEMESTER = re.compile(r"^(\d{4})-S([12])$")


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True, slots=True)
class Period:
    """A month or a semester: [start, end), `end` excluded."""

    kind: Literal["month", "semester"]
    start: date  # inclusive
    end: date  # exclusive

    @property
    def key(self) -> str:
        """« 2026-11 » or « 2026-S2 »."""
        if self.kind == "month":
            return f"{self.start.year}-{self.start.month:02d}"
        return f"{self.start.year}-S{1 if self.start.month == 1 else 2}"

    @classmethod
    def parse(cls, text: str) -> Period:
        """« 2026-11 » or « 2026-S2 »; ValueError otherwise."""
        text = text.strip()
        if match := _MONTH.match(text):
            return cls.month_of(date(int(match[1]), int(match[2]), 1))
        if match := _SEMESTER.match(text):
            return cls.semester_of(date(int(match[1]), 1 if match[2] == "1" else 7, 1))
        raise ValueError(f"not a month (YYYY-MM) nor a semester (YYYY-S1, YYYY-S2): {text!r}")

    @classmethod
    def month_of(cls, day: date) -> Period:
        start = day.replace(day=1)
        return cls("month", start, _add_months(start, 1))

    @classmethod
    def semester_of(cls, day: date) -> Period:
        start = date(day.year, 1 if day.month <= 6 else 7, 1)
        return cls("semester", start, _add_months(start, 6))

    def year_before(self) -> Period:
        """The same month or semester a year earlier (indicator 3)."""
        return Period(self.kind, _add_months(self.start, -12), _add_months(self.end, -12))

    def previous(self) -> Period:
        size = 1 if self.kind == "month" else 6
        return Period(self.kind, _add_months(self.start, -size), self.start)

    def months(self) -> list[int]:
        """The month numbers (year × 100 + month) the period covers."""
        result, day = [], self.start
        while day < self.end:
            result.append(day.year * 100 + day.month)
            day = _add_months(day, 1)
        return result

    def __str__(self) -> str:
        return self.key


def last_months(today: date, count: int = 13) -> list[Period]:
    """The `count` months up to the current one, oldest first (the trend of the views)."""
    current = Period.month_of(today)
    months = [current]
    while len(months) < count:
        months.append(months[-1].previous())
    return months[::-1]


def month_number(column: Any) -> ColumnElement[int]:
    """year × 100 + month of a date column (PostgreSQL and SQLite)."""
    return cast(extract("year", column) * 100 + extract("month", column), Integer)


def layers(periods: Iterable[Period]) -> list[list[Period]]:
    """The distinct periods, split into groups whose periods do not overlap."""
    distinct = sorted(set(periods), key=lambda p: p.start)
    return [
        group
        for kind in ("month", "semester")
        if (group := [p for p in distinct if p.kind == kind])
    ]


def bucket(column: Any, layer: Sequence[Period]) -> ColumnElement[str]:
    """The key of the period of `layer` holding the column's date (NULL when none does)."""
    return case(
        *((and_(column >= p.start, column < p.end), literal(p.key)) for p in layer),
        else_=None,
    )


def span(periods: Iterable[Period]) -> tuple[date, date]:
    """The first day and the (excluded) last day the periods cover."""
    periods = list(periods)
    return min(p.start for p in periods), max(p.end for p in periods)
