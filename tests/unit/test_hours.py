"""The extended-hours rule of CCTP 3.3."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from portal.network.hours import (
    ExtendedWindow,
    extended_days,
    meets_extended_hours_rule,
    week_schedule,
    windows_covered,
)


@dataclass
class R:
    weekday: int
    opens: time
    closes: time


def test_a_range_counts_only_when_it_covers_a_whole_window() -> None:
    assert windows_covered(time(8, 0), time(12, 0)) == (ExtendedWindow.MORNING,)
    assert windows_covered(time(8, 30), time(12, 0)) == ()
    assert windows_covered(time(9, 0), time(17, 0)) == (ExtendedWindow.MIDDAY,)
    assert windows_covered(time(13, 30), time(19, 0)) == ()
    assert windows_covered(time(13, 30), time(19, 30)) == (ExtendedWindow.EVENING,)
    assert windows_covered(time(7, 30), time(20, 0)) == tuple(ExtendedWindow)


def test_two_extended_days_a_week_are_required() -> None:
    one_day = [R(0, time(9), time(12, 30)), R(1, time(8), time(12)), R(1, time(14), time(17))]
    assert extended_days(one_day) == 1
    assert not meets_extended_hours_rule(one_day)
    two_days = [*one_day, R(3, time(13, 30), time(19, 30))]
    assert meets_extended_hours_rule(two_days)
    # The same day twice still counts once.
    same_day = [*one_day, R(1, time(17), time(19, 30))]
    assert not meets_extended_hours_rule(same_day)


def test_schedule_groups_ranges_by_day_in_order() -> None:
    schedule = week_schedule(
        [R(2, time(14), time(17)), R(0, time(9), time(12)), R(2, time(9), time(12))]
    )
    assert [d.weekday for d in schedule] == [0, 2]
    assert [r[0] for r in schedule[1].ranges] == [time(9), time(14)]
