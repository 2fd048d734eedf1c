"""Indicator 8.4 and the capacity forecast: pure computations over rows."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from portal.booking.calendar import ALSACE_MOSELLE, METROPOLE, TERRITORIES
from portal.booking.indicators import (
    REMOTE,
    AppointmentRow,
    FirstAppointment,
    RequestRow,
    calendar_day_delay,
    capacity_forecast,
    delay_report,
    delay_stats,
    first_appointments,
    nearest_rank_percentile,
    share,
    working_day_delay,
)

PARIS = ZoneInfo("Europe/Paris")
TODAY = date(2026, 6, 15)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (list(range(1, 11)), 9),  # rank ⌈0.9 × 10⌉ = 9
        (list(range(1, 21)), 18),  # rank 18
        ([5, 1, 3], 5),  # unsorted; rank ⌈2.7⌉ = 3
        ([12], 12),
        ([4, 4, 4, 40], 40),  # rank ⌈3.6⌉ = 4: one late request in four shows
        ([], None),
    ],
)
def test_nearest_rank_percentile_is_always_one_of_the_values(
    values: list[int], expected: int | None
) -> None:
    assert nearest_rank_percentile(values, 90) == expected


def test_percentile_refuses_a_percent_out_of_range() -> None:
    with pytest.raises(ValueError):
        nearest_rank_percentile([1, 2], 0)


def test_share_is_none_when_there_is_nothing_to_share() -> None:
    assert share(3, 4) == 0.75
    assert share(0, 0) is None


def test_working_day_delay_skips_a_public_holiday_and_the_weekend() -> None:
    # Thursday 30 April 2026 → Monday 4 May: 1 May is a holiday, then the weekend.
    assert working_day_delay(date(2026, 4, 30), date(2026, 5, 4), METROPOLE) == 1
    assert calendar_day_delay(date(2026, 4, 30), date(2026, 5, 4)) == 4


def test_working_day_delay_follows_the_territory_of_the_request() -> None:
    # Good Friday (3 April 2026) is a holiday in Alsace-Moselle only; Easter Monday everywhere.
    assert working_day_delay(date(2026, 4, 2), date(2026, 4, 7), METROPOLE) == 2
    assert working_day_delay(date(2026, 4, 2), date(2026, 4, 7), ALSACE_MOSELLE) == 1


def test_first_appointment_is_the_earliest_live_one_on_the_local_day() -> None:
    rows = [
        # Moved and cancelled appointments do not count, even when earlier.
        AppointmentRow(1, datetime(2026, 3, 2, 9, tzinfo=UTC), "moved", "presentiel", 7),
        AppointmentRow(1, datetime(2026, 3, 3, 9, tzinfo=UTC), "cancelled", "presentiel", 7),
        AppointmentRow(1, datetime(2026, 3, 10, 9, tzinfo=UTC), "held", "presentiel", 7),
        AppointmentRow(1, datetime(2026, 3, 12, 9, tzinfo=UTC), "booked", "presentiel", 8),
        # 23:30 UTC on 4 March is 00:30 on 5 March in Paris.
        AppointmentRow(2, datetime(2026, 3, 4, 23, 30, tzinfo=UTC), "missed", "telephone", 7),
        AppointmentRow(3, datetime(2026, 3, 4, 9, tzinfo=UTC), "cancelled", "visio", None),
    ]
    first = first_appointments(rows, PARIS)
    assert first == {
        1: FirstAppointment(date(2026, 3, 10), 7),
        2: FirstAppointment(date(2026, 3, 5), REMOTE),  # by phone: « à distance »
    }


def row(
    requested_on: date,
    first_on: date | None,
    *,
    site: int | None = 1,
    status: str = "booked",
    territory: str = "metropole",
    deadline: date | None = None,
) -> RequestRow:
    return RequestRow(
        request_id=0,
        requested_on=requested_on,
        territory=territory,
        deadline=deadline or date(2026, 12, 31),
        status=status,
        first=FirstAppointment(first_on, site) if first_on else None,
    )


def test_delay_report_overall_per_place_and_requests_without_appointment() -> None:
    monday = date(2026, 3, 2)
    rows = [
        row(monday, date(2026, 3, 9), site=1),  # 5 working days, 7 calendar days
        row(monday, date(2026, 3, 3), site=1),  # 1, 1
        row(monday, date(2026, 4, 20), site=2),  # 35 weekdays less Easter Monday: 34, late
        row(monday, date(2026, 3, 4), site=REMOTE),  # 2, 2
        row(monday, None, status="waiting", deadline=date(2026, 6, 30)),
        row(monday, None, status="waiting", deadline=date(2026, 4, 14)),  # passed on TODAY
        row(monday, None, status="cancelled"),
    ]
    report = delay_report(rows, today=TODAY)
    assert report.requests == 7
    overall = report.overall
    assert (overall.count, overall.within_deadline) == (4, 3)
    assert overall.share_within == 0.75
    assert overall.p90_working_days == 34
    assert overall.mean_working_days == pytest.approx((5 + 1 + 34 + 2) / 4)
    assert overall.p90_calendar_days == 49
    by_place = dict(report.by_place)
    assert list(by_place) == [1, 2, REMOTE]  # most first appointments first
    assert (by_place[1].count, by_place[1].share_within, by_place[1].p90_working_days) == (
        2,
        1.0,
        5,
    )
    assert by_place[2].share_within == 0.0
    assert by_place[REMOTE].mean_calendar_days == 2
    assert (report.without.waiting, report.without.overdue, report.without.other) == (1, 1, 1)
    assert report.without.total == 3


def test_delay_report_counts_working_days_of_each_request_territory() -> None:
    rows = [
        row(date(2026, 4, 2), date(2026, 4, 7), territory="alsace-moselle"),
        row(date(2026, 4, 2), date(2026, 4, 7), territory="metropole"),
    ]
    assert "alsace-moselle" in TERRITORIES
    report = delay_report(rows, today=TODAY)
    assert report.overall.mean_working_days == 1.5


def test_an_empty_period_has_no_statistics() -> None:
    report = delay_report([], today=TODAY)
    assert report.requests == 0
    assert report.overall == delay_stats([])
    assert report.overall.share_within is None
    assert report.overall.p90_working_days is None
    assert report.by_place == []


def test_capacity_forecast_tells_how_many_slots_are_missing() -> None:
    # 60 requests in 4 weeks: 15 a week, 90 expected over the 6 weeks of 30 working days.
    short = capacity_forecast({1: 40, REMOTE: 20, 2: 10}, 60)
    assert short.free_slots == 70
    assert short.weekly_average == 15
    assert short.expected_requests == 90
    assert short.shortfall == 20
    assert short.free_by_place == [(1, 40), (REMOTE, 20), (2, 10)]
    enough = capacity_forecast({1: 100}, 60)
    assert enough.shortfall == 0
