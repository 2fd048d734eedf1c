"""Indicator 8.4 (delay from the request to the first appointment) and a capacity forecast.

Pure computations over rows the caller loads once: no Session, no Flask, no clock (the day is
given). What counts:

- A request's first appointment is its earliest *live* appointment (booked, held or missed);
  moved and cancelled ones do not count. Its day is the local day of the operator.
- The delay is counted in working days of the request's territory (its public holidays), the
  day of the request not counted, as for the legal deadline (CCTP 3.3: 30 jours ouvrés), and
  in calendar days.
- The first appointment's place is its site when it happens in person; a phone or video
  appointment is « à distance » (`REMOTE`), whatever site the advisor works from.
- Requests without a live appointment are counted apart: still waiting before their deadline,
  waiting past it, and the others (cancelled by the person).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from portal.booking.calendar import METROPOLE, TERRITORIES, Territory, working_days_between
from portal.booking.models import LIVE_STATUSES, RequestStatus
from portal.booking.rules import FIRST_APPOINTMENT_WORKING_DAYS
from portal.network.models import Modality

# The period shown by default: a quarter, the rhythm of the contract's reporting.
DEFAULT_PERIOD_WEEKS = 13
# Capacity forecast: the demand of the last 4 weeks, projected over the 6 weeks that 30 working
# days span (CCTP 3.3), against the free slots of the next 30 working days.
DEMAND_WEEKS_OBSERVED = 4
FORECAST_WEEKS = 6
FORECAST_WORKING_DAYS = FIRST_APPOINTMENT_WORKING_DAYS

REMOTE: None = None  # the place key of a phone or video appointment


@dataclass(frozen=True, slots=True)
class AppointmentRow:
    request_id: int
    starts_at: datetime  # timezone-aware
    status: str
    modality: str
    site_id: int | None


@dataclass(frozen=True, slots=True)
class FirstAppointment:
    day: date  # the operator's local day
    site_id: int | None  # None: remote (REMOTE)


@dataclass(frozen=True, slots=True)
class RequestRow:
    request_id: int
    requested_on: date
    territory: str  # a key of calendar.TERRITORIES
    deadline: date
    status: str
    first: FirstAppointment | None


@dataclass(frozen=True, slots=True)
class DelayStats:
    count: int  # requests with a first appointment
    within_deadline: int  # ... within 30 working days
    share_within: float | None  # 0..1, None when count is 0
    mean_working_days: float | None
    p90_working_days: int | None
    mean_calendar_days: float | None
    p90_calendar_days: int | None


@dataclass(frozen=True, slots=True)
class WithoutAppointment:
    waiting: int  # waiting, deadline not passed
    overdue: int  # waiting, deadline passed
    other: int  # no live appointment and no longer waiting (cancelled)

    @property
    def total(self) -> int:
        return self.waiting + self.overdue + self.other


@dataclass(frozen=True, slots=True)
class DelayReport:
    requests: int
    overall: DelayStats
    by_place: list[tuple[int | None, DelayStats]]  # site id or REMOTE, most requests first
    without: WithoutAppointment


@dataclass(frozen=True, slots=True)
class CapacityForecast:
    free_slots: int
    free_by_place: list[tuple[int | None, int]]  # site id or REMOTE, most free slots first
    requests_observed: int  # over DEMAND_WEEKS_OBSERVED weeks
    weekly_average: float
    expected_requests: float  # weekly average × FORECAST_WEEKS

    @property
    def shortfall(self) -> int:
        """Slots missing to meet the expected demand (0 when capacity suffices)."""
        return max(0, math.ceil(self.expected_requests - self.free_slots))


def nearest_rank_percentile(values: Sequence[int], percent: float) -> int | None:
    """The nearest-rank percentile: the smallest value such that at least `percent` % of the
    values are at or below it, i.e. the value of rank ⌈percent/100 × n⌉ in ascending order.
    Always one of the values (no interpolation): « 90 % of first appointments took place
    within N working days ». None for no value."""
    if not values:
        return None
    if not 0 < percent <= 100:
        raise ValueError("percent must be in (0, 100]")
    ordered = sorted(values)
    rank = math.ceil(percent / 100 * len(ordered))
    return ordered[rank - 1]


def share(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to divide."""
    return part / whole if whole else None


def territory_of(code: str) -> Territory:
    return TERRITORIES.get(code, METROPOLE)


def working_day_delay(requested_on: date, first_on: date, territory: Territory) -> int:
    """Working days from the request to the first appointment, the request day not counted."""
    return working_days_between(requested_on, first_on, territory)


def calendar_day_delay(requested_on: date, first_on: date) -> int:
    return (first_on - requested_on).days


def first_appointments(
    appointments: Iterable[AppointmentRow], timezone: ZoneInfo
) -> dict[int, FirstAppointment]:
    """Each request's earliest live appointment, with its local day and place."""
    earliest: dict[int, AppointmentRow] = {}
    for row in appointments:
        if row.status not in LIVE_STATUSES:
            continue
        known = earliest.get(row.request_id)
        if known is None or row.starts_at < known.starts_at:
            earliest[row.request_id] = row
    return {
        request_id: FirstAppointment(
            row.starts_at.astimezone(timezone).date(),
            row.site_id if row.modality == Modality.PRESENTIEL else REMOTE,
        )
        for request_id, row in earliest.items()
    }


def delay_stats(delays: Sequence[tuple[int, int]]) -> DelayStats:
    """Statistics over (working days, calendar days) pairs."""
    working = [w for w, _ in delays]
    calendar = [c for _, c in delays]
    within = sum(1 for w in working if w <= FIRST_APPOINTMENT_WORKING_DAYS)
    return DelayStats(
        count=len(delays),
        within_deadline=within,
        share_within=share(within, len(delays)),
        mean_working_days=sum(working) / len(working) if working else None,
        p90_working_days=nearest_rank_percentile(working, 90),
        mean_calendar_days=sum(calendar) / len(calendar) if calendar else None,
        p90_calendar_days=nearest_rank_percentile(calendar, 90),
    )


def delay_report(rows: Iterable[RequestRow], *, today: date) -> DelayReport:
    """Indicator 8.4 over the requests of a period, overall and per place."""
    overall: list[tuple[int, int]] = []
    by_place: dict[int | None, list[tuple[int, int]]] = defaultdict(list)
    waiting = overdue = other = requests = 0
    for row in rows:
        requests += 1
        if row.first is None:
            if row.status != RequestStatus.WAITING:
                other += 1
            elif row.deadline < today:
                overdue += 1
            else:
                waiting += 1
            continue
        delay = (
            working_day_delay(row.requested_on, row.first.day, territory_of(row.territory)),
            calendar_day_delay(row.requested_on, row.first.day),
        )
        overall.append(delay)
        by_place[row.first.site_id].append(delay)
    places = sorted(
        ((place, delay_stats(delays)) for place, delays in by_place.items()),
        key=lambda item: (-item[1].count, item[0] is REMOTE, item[0] or 0),
    )
    return DelayReport(
        requests=requests,
        overall=delay_stats(overall),
        by_place=places,
        without=WithoutAppointment(waiting=waiting, overdue=overdue, other=other),
    )


def capacity_forecast(
    free_by_place: Mapping[int | None, int], requests_observed: int
) -> CapacityForecast:
    """Free slots of the next 30 working days against the demand expected meanwhile."""
    weekly = requests_observed / DEMAND_WEEKS_OBSERVED
    places = sorted(free_by_place.items(), key=lambda item: (-item[1], item[0] is REMOTE))
    return CapacityForecast(
        free_slots=sum(free_by_place.values()),
        free_by_place=places,
        requests_observed=requests_observed,
        weekly_average=weekly,
        expected_requests=weekly * FORECAST_WEEKS,
    )
