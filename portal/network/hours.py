"""Opening hours and the extended-hours rule of the contract.

CCTP 3.3 (L742-746): sites open on « horaires élargis ou décalés a minima deux journées par
semaine » — at least the morning 8:00-9:30, midday 12:00-14:00 or evening 17:00-19:30.
A day counts when one of its opening ranges covers a whole window.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import time
from enum import StrEnum
from typing import Protocol


class ExtendedWindow(StrEnum):
    MORNING = "morning"
    MIDDAY = "midday"
    EVENING = "evening"


# CCTP 3.3: the three extended-hours windows.
EXTENDED_WINDOWS: dict[ExtendedWindow, tuple[time, time]] = {
    ExtendedWindow.MORNING: (time(8, 0), time(9, 30)),
    ExtendedWindow.MIDDAY: (time(12, 0), time(14, 0)),
    ExtendedWindow.EVENING: (time(17, 0), time(19, 30)),
}

# CCTP 3.3: extended hours « a minima deux journées par semaine ».
MIN_EXTENDED_DAYS_PER_WEEK = 2


class HoursRange(Protocol):
    @property
    def weekday(self) -> int: ...
    @property
    def opens(self) -> time: ...
    @property
    def closes(self) -> time: ...


@dataclass(frozen=True, slots=True)
class DayHours:
    """A weekday's opening ranges, each with the extended windows it covers."""

    weekday: int
    ranges: tuple[tuple[time, time, tuple[ExtendedWindow, ...]], ...]

    @property
    def is_extended(self) -> bool:
        return any(windows for _, _, windows in self.ranges)


def windows_covered(opens: time, closes: time) -> tuple[ExtendedWindow, ...]:
    return tuple(
        window
        for window, (start, end) in EXTENDED_WINDOWS.items()
        if opens <= start and closes >= end
    )


def week_schedule(hours: Iterable[HoursRange]) -> list[DayHours]:
    """The opening days in weekday order, each range marked with its extended windows."""
    by_day: dict[int, list[tuple[time, time, tuple[ExtendedWindow, ...]]]] = {}
    for item in sorted(hours, key=lambda h: (h.weekday, h.opens)):
        by_day.setdefault(item.weekday, []).append(
            (item.opens, item.closes, windows_covered(item.opens, item.closes))
        )
    return [DayHours(day, tuple(ranges)) for day, ranges in sorted(by_day.items())]


def extended_days(hours: Iterable[HoursRange]) -> int:
    return sum(1 for day in week_schedule(hours) if day.is_extended)


def meets_extended_hours_rule(hours: Iterable[HoursRange]) -> bool:
    return extended_days(hours) >= MIN_EXTENDED_DAYS_PER_WEEK
