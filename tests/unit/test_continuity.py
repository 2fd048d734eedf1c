"""Continuity of service in summer and at Christmas (CCTP 3.3), on plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from portal.network.continuity import (
    CHRISTMAS,
    SUMMER,
    PeriodOccurrence,
    coming_periods,
    departement_of,
    find_gaps,
    periods_overlapping,
)


@dataclass
class Hours:
    weekday: int


@dataclass
class Closure:
    starts_on: date
    ends_on: date


@dataclass
class FakeSite:
    commune_insee: str
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)
    closures: list[Closure] = field(default_factory=list)
    active: bool = True

    @property
    def hours(self) -> list[Hours]:
        return [Hours(day) for day in self.weekdays]


SUMMER_2027 = SUMMER.occurrence(2027)
CHRISTMAS_2026 = CHRISTMAS.occurrence(2026)


def test_the_periods_are_july_august_and_20_december_to_5_january() -> None:
    assert (SUMMER_2027.starts_on, SUMMER_2027.ends_on) == (date(2027, 7, 1), date(2027, 8, 31))
    assert (CHRISTMAS_2026.starts_on, CHRISTMAS_2026.ends_on) == (
        date(2026, 12, 20),
        date(2027, 1, 5),
    )


def test_coming_periods_start_today_when_one_is_under_way() -> None:
    assert coming_periods(date(2026, 11, 22)) == [CHRISTMAS_2026, SUMMER_2027]
    under_way = coming_periods(date(2027, 1, 2))
    assert under_way[0] == PeriodOccurrence(CHRISTMAS, date(2027, 1, 2), date(2027, 1, 5))
    assert under_way[1] == SUMMER_2027
    assert coming_periods(date(2027, 9, 1))[0].starts_on == date(2027, 12, 20)


def test_periods_overlapping_a_closure() -> None:
    assert periods_overlapping(date(2027, 8, 30), date(2027, 9, 10)) == [SUMMER_2027]
    assert periods_overlapping(date(2027, 1, 4), date(2027, 1, 4)) == [CHRISTMAS_2026]
    assert periods_overlapping(date(2027, 10, 1), date(2027, 10, 31)) == []


def test_a_departement_with_one_site_open_every_working_day_has_no_gap() -> None:
    sites = [
        FakeSite("35238", weekdays=(0, 1), closures=[Closure(date(2027, 7, 1), date(2027, 8, 31))]),
        FakeSite("35288"),
    ]
    assert find_gaps(sites, [SUMMER_2027]) == []


def test_closures_leave_working_days_uncovered_and_public_holidays_do_not_count() -> None:
    sites = [
        FakeSite("29019", closures=[Closure(date(2027, 7, 26), date(2027, 8, 20))]),
        FakeSite("29232", closures=[Closure(date(2027, 8, 2), date(2027, 8, 31))]),
        # Another département, always open: not reported.
        FakeSite("35238"),
    ]
    (gap,) = find_gaps(sites, [SUMMER_2027])
    assert gap.departement == "29"
    # 2 to 20 August 2027 are closed everywhere in the Finistère; 15 August is a Sunday and
    # weekends are not working days.
    assert gap.days[0] == date(2027, 8, 2) and gap.days[-1] == date(2027, 8, 20)
    assert len(gap.days) == 15
    assert gap.runs == ((date(2027, 8, 2), date(2027, 8, 20)),)


def test_a_site_open_some_weekdays_leaves_the_other_days_as_separate_runs() -> None:
    # Open Tuesday and Thursday only, at Christmas 2026: 25 December and 1 January (Fridays)
    # are public holidays, so only the Mondays and Wednesdays are gaps.
    (gap,) = find_gaps([FakeSite("2A004", weekdays=(1, 3))], [CHRISTMAS_2026])
    assert gap.departement == "2A"
    assert gap.days == (
        date(2026, 12, 21),
        date(2026, 12, 23),
        date(2026, 12, 28),
        date(2026, 12, 30),
        date(2027, 1, 4),
    )
    assert len(gap.runs) == 5


def test_alsace_moselle_keeps_26_december_and_overseas_departements_have_three_digits() -> None:
    christmas_2025 = CHRISTMAS.occurrence(2025)
    closed = [Closure(date(2025, 12, 20), date(2026, 1, 5))]
    (rennes,) = find_gaps([FakeSite("35238", closures=closed)], [christmas_2025])
    (metz,) = find_gaps([FakeSite("57463", closures=closed)], [christmas_2025])
    # Friday 26 December 2025 is a working day in Rennes, a public holiday in Metz.
    assert date(2025, 12, 26) in rennes.days
    assert date(2025, 12, 26) not in metz.days
    assert date(2025, 12, 25) not in rennes.days and date(2026, 1, 1) not in rennes.days
    assert departement_of("97411") == "974"
    (reunion,) = find_gaps([FakeSite("97411", closures=closed)], [christmas_2025])
    assert reunion.departement == "974"


def test_inactive_sites_do_not_count_and_a_departement_can_be_asked_for() -> None:
    sites = [FakeSite("35238", active=False), FakeSite("29019")]
    assert find_gaps(sites, [SUMMER_2027]) == []
    assert find_gaps(sites, [SUMMER_2027], departement="35") == []
    (gap,) = find_gaps([FakeSite("35238", weekdays=())], [SUMMER_2027], departement="35")
    assert gap.runs[0][0] == date(2027, 7, 1)
