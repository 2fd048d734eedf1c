"""Finding free slots for a person, before their legal deadline.

The search looks at the person's area (the operator's sites nearest to them) and at remote
slots, applies the operator's remote policy, and when nothing is free before the deadline it
widens step by step: remote slots, then every site of the lot, then a closer site of a
neighbouring lot (an exception, traced with its reason when booked). A free slot is one not
withdrawn and without a live appointment; a handful of indexed queries, whatever the lot size.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from portal.booking import search_queries as queries
from portal.booking.calendar import monday
from portal.booking.models import Slot
from portal.booking.search_queries import EARLIEST_SHOWN, REMOTE
from portal.booking.slots import operator_timezone
from portal.locator.services import NearbySite, nearest_sites, sphere_km
from portal.network.hours import EXTENDED_WINDOWS, ExtendedWindow
from portal.network.models import Modality, Operator, Site


class PartOfDay(StrEnum):
    """The extended hours of CCTP 3.3, as a person filters by them."""

    MORNING = "matin"
    MIDDAY = "midi"
    EVENING = "soir"


_PART_WINDOWS = {
    PartOfDay.MORNING: EXTENDED_WINDOWS[ExtendedWindow.MORNING],
    PartOfDay.MIDDAY: EXTENDED_WINDOWS[ExtendedWindow.MIDDAY],
    PartOfDay.EVENING: EXTENDED_WINDOWS[ExtendedWindow.EVENING],
}


class Widening(StrEnum):
    NONE = "none"  # something was free in the person's area
    REMOTE = "remote"  # only remote slots were free in time
    FURTHER_SITES = "further_sites"  # only sites further away in the lot
    NEIGHBOUR_LOT = "neighbour_lot"  # only a closer site of a neighbouring lot
    NOTHING = "nothing"  # nothing before the deadline: a waiting request


@dataclass(frozen=True, slots=True)
class Criteria:
    modality: Modality | None = None
    site_id: int | None = None
    part_of_day: PartOfDay | None = None
    week: date | None = None  # the Monday of the week to show; None: the earliest's

    @property
    def asks_remote(self) -> bool:
        return self.modality in REMOTE


@dataclass(frozen=True, slots=True)
class FreeSlot:
    slot: Slot
    starts: datetime  # local time of the operator
    ends: datetime
    site: Site | None
    distance_km: float | None
    modalities: tuple[Modality, ...]

    @property
    def day(self) -> date:
        return self.starts.date()

    @property
    def place_key(self) -> tuple[float, str, str]:
        """Groups a day's slots by place, nearest first, remote ones last."""
        if self.site is None:
            return (float("inf"), "", ",".join(self.modalities))
        return (self.distance_km or 0.0, self.site.name, str(self.site.id))


@dataclass
class SearchResult:
    operator: Operator
    deadline: date
    area: tuple[NearbySite, ...]
    widening: Widening
    earliest: list[FreeSlot]
    week: date
    days: dict[date, list[FreeSlot]]
    first_week: date
    last_week: date
    remote_held_back: bool = False
    # Set when the slots come from a neighbouring lot: the operator and the reason to trace.
    neighbour: Operator | None = None

    @property
    def has_previous_week(self) -> bool:
        return self.week > self.first_week

    @property
    def has_next_week(self) -> bool:
        return self.week < self.last_week


def matches_part_of_day(starts: datetime, part: PartOfDay | None) -> bool:
    if part is None:
        return True
    opens, closes = _PART_WINDOWS[part]
    return opens <= starts.time() < closes


def _moments(
    week: date, tz: ZoneInfo, part: PartOfDay | None
) -> list[tuple[datetime, datetime]] | None:
    """The part of day on each day of the week, as UTC ranges (None: the whole day)."""
    if part is None:
        return None
    opens, closes = _PART_WINDOWS[part]
    days = [week + timedelta(days=n) for n in range(7)]
    return [
        (
            datetime.combine(day, opens, tz).astimezone(UTC),
            datetime.combine(day, closes, tz).astimezone(UTC),
        )
        for day in days
    ]


def search_slots(
    session: Session,
    *,
    operator: Operator,
    latitude: float,
    longitude: float,
    deadline: date,
    now: datetime,
    min_notice: timedelta,
    area_size: int = 5,
    criteria: Criteria = Criteria(),
) -> SearchResult:
    tz = operator_timezone(operator)
    area = nearest_sites(session, operator, latitude, longitude, area_size)
    sites = {nearby.site.id: nearby for nearby in area}
    start = now + min_notice
    end = datetime.combine(deadline + timedelta(days=1), time(0), tz).astimezone(UTC)
    area_ids = list(sites)

    remote_ok = criteria.asks_remote or queries.remote_allowed(
        session, operator, area_ids, start, end
    )
    widening = Widening.NONE
    neighbour: Operator | None = None
    scope = queries.scope(operator.id, area_ids, remote_ok, criteria.modality, criteria.site_id)
    earliest = queries.earliest(session, scope, start, end)
    if not earliest and criteria.site_id is None:
        for step in (Widening.REMOTE, Widening.FURTHER_SITES):
            if step is Widening.REMOTE and remote_ok:
                continue
            if step is Widening.REMOTE and criteria.modality is Modality.PRESENTIEL:
                continue
            scope = queries.widened_scope(
                operator.id, remote=step is Widening.REMOTE, modality=criteria.modality
            )
            earliest = queries.earliest(session, scope, start, end)
            if earliest:
                widening = step
                remote_ok = remote_ok or step is Widening.REMOTE
                break
        if not earliest and criteria.modality not in REMOTE:
            neighbour, scope, earliest = queries.neighbour_lot(
                session, operator, latitude, longitude, start, end
            )
            if earliest:
                widening = Widening.NEIGHBOUR_LOT
        if not earliest:
            widening = Widening.NOTHING
    first_day = start.astimezone(tz).date()
    # From Saturday on, the first week to show is the next one.
    first_week = monday(first_day + timedelta(days=2 if first_day.weekday() >= 5 else 0))
    last_week = monday(deadline)
    week = criteria.week or (
        monday(earliest[0].starts_at.astimezone(tz).date()) if earliest else first_week
    )
    week = min(max(monday(week), first_week), last_week)
    week_start = max(start, datetime.combine(week, time(0), tz).astimezone(UTC))
    week_end = min(end, datetime.combine(week + timedelta(days=7), time(0), tz).astimezone(UTC))
    in_person_anywhere = criteria.site_id is not None or widening in (
        Widening.FURTHER_SITES,
        Widening.NEIGHBOUR_LOT,
    )
    # The part of day and « one choice per time and place » are SQL: a handful of rows
    # come back, each a choice the person has.
    in_week = (
        queries.week_choices(
            session,
            scope,
            week_start,
            week_end,
            sites=None if in_person_anywhere else area_ids,
            in_person=criteria.modality in (None, Modality.PRESENTIEL),
            telephone=remote_ok and criteria.modality in (None, Modality.TELEPHONE),
            visio=remote_ok and criteria.modality in (None, Modality.VISIO),
            moments=_moments(week, tz, criteria.part_of_day),
        )
        if widening != Widening.NOTHING
        else []
    )

    def present(slot: Slot) -> FreeSlot:
        return _present(
            slot, tz, (latitude, longitude), criteria, remote_ok, in_person_anywhere, sites
        )

    days: dict[date, list[FreeSlot]] = {}
    offered: set[tuple[datetime, tuple[float, str, str]]] = set()
    for slot in in_week:
        free = present(slot)
        # The SQL chose already; these checks keep the page right should the two disagree.
        if not free.modalities or not matches_part_of_day(free.starts, criteria.part_of_day):
            continue
        if (free.starts, free.place_key) in offered:
            continue
        offered.add((free.starts, free.place_key))
        days.setdefault(free.day, []).append(free)
    return SearchResult(
        operator=operator,
        deadline=deadline,
        area=area,
        widening=widening,
        earliest=_one_per_place([present(slot) for slot in earliest]),
        week=week,
        days=days,
        first_week=first_week,
        last_week=last_week,
        remote_held_back=not remote_ok,
        neighbour=neighbour,
    )


def _one_per_place(slots: list[FreeSlot]) -> list[FreeSlot]:
    """The earliest slot of each site, and of each remote modality, soonest first."""
    chosen: dict[object, FreeSlot] = {}
    for free in slots:
        if not free.modalities:
            continue
        key: object = free.site.id if free.site else free.modalities
        chosen.setdefault(key, free)
    return sorted(chosen.values(), key=lambda f: f.starts)[:EARLIEST_SHOWN]


def _present(
    slot: Slot,
    tz: ZoneInfo,
    origin: tuple[float, float],
    criteria: Criteria,
    remote_ok: bool,
    in_person_anywhere: bool,
    sites: dict[int, NearbySite],
) -> FreeSlot:
    """A slot as the person may book it: the modalities open to them there, and where."""
    site = slot.site
    in_person = site is not None and (in_person_anywhere or site.id in sites)
    offered = [
        m
        for m in slot.modalities
        if (m is Modality.PRESENTIEL and in_person) or (m in REMOTE and remote_ok)
    ]
    if criteria.modality is not None:
        offered = [m for m in offered if m is criteria.modality]
    if site is None or Modality.PRESENTIEL not in offered:
        # A remote appointment: where the advisor sits does not matter to the person.
        return FreeSlot(slot, *_local(slot, tz), None, None, tuple(offered))
    nearby = sites.get(site.id)
    distance = (
        nearby.distance_km
        if nearby
        else round(sphere_km(origin[0], origin[1], site.latitude, site.longitude), 1)
    )
    return FreeSlot(slot, *_local(slot, tz), site, distance, tuple(offered))


def _local(slot: Slot, tz: ZoneInfo) -> tuple[datetime, datetime]:
    return slot.starts_at.astimezone(tz), slot.ends_at.astimezone(tz)
