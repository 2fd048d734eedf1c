"""Continuity of service in summer and at Christmas (CCTP 3.3).

CCTP 3.3 (L745): the opening hours « garantissent une continuité de service y compris pendant
les congés d'été et sur la période des fêtes de Noël (hors jours fériés) ». We read it per
département: on every working day of those periods (Monday to Friday, public holidays of the
département excepted), at least one active site of the operator in the département is open.
A site is open on a day when it has opening hours on that weekday and no closure covers it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.booking.calendar import is_working_day, territory_for_insee
from portal.network.models import Site


@dataclass(frozen=True, slots=True)
class ContinuityPeriod:
    """A period of the year, from (month, day) to (month, day), both included; it may run
    into the next year (Christmas)."""

    code: str
    starts: tuple[int, int]
    ends: tuple[int, int]

    def occurrence(self, year: int) -> PeriodOccurrence:
        """The occurrence that starts in `year`."""
        starts_on = date(year, *self.starts)
        ends_on = date(year + (self.ends < self.starts), *self.ends)
        return PeriodOccurrence(self, starts_on, ends_on)


# CCTP 3.3 (L745) names « les congés d'été » and « la période des fêtes de Noël » without
# dates. Summer: July and August, when most people take their leave. Christmas: from the
# Saturday school holidays usually start (around 20 December) to the first working days of
# January, when the peak of requests before training starts begins (domain rules, « Volumes »).
SUMMER = ContinuityPeriod("summer", (7, 1), (8, 31))
CHRISTMAS = ContinuityPeriod("christmas", (12, 20), (1, 5))
CONTINUITY_PERIODS = (SUMMER, CHRISTMAS)


@dataclass(frozen=True, slots=True)
class PeriodOccurrence:
    period: ContinuityPeriod
    starts_on: date
    ends_on: date

    def days(self) -> Iterable[date]:
        day = self.starts_on
        while day <= self.ends_on:
            yield day
            day += timedelta(days=1)


class _Weekday(Protocol):
    @property
    def weekday(self) -> int: ...


class _Closure(Protocol):
    @property
    def starts_on(self) -> date: ...
    @property
    def ends_on(self) -> date: ...


class ContinuitySite(Protocol):
    @property
    def commune_insee(self) -> str: ...
    @property
    def active(self) -> bool: ...
    @property
    def hours(self) -> Sequence[_Weekday]: ...
    @property
    def closures(self) -> Sequence[_Closure]: ...


@dataclass(frozen=True, slots=True)
class ContinuityGap:
    """The working days of a period when no site of the operator in a département is open."""

    occurrence: PeriodOccurrence
    departement: str
    days: tuple[date, ...]
    # The same days as ranges of consecutive working days, for people to read.
    runs: tuple[tuple[date, date], ...]


def departement_of(insee: str) -> str:
    """« 35 », « 2A », or three digits overseas (« 974 »)."""
    return insee[:3] if insee.startswith("97") else insee[:2]


def coming_periods(
    today: date, periods: Sequence[ContinuityPeriod] = CONTINUITY_PERIODS
) -> list[PeriodOccurrence]:
    """The next occurrence of each period; one under way counts from today."""
    found = []
    for period in periods:
        for year in (today.year - 1, today.year, today.year + 1):
            occurrence = period.occurrence(year)
            if occurrence.ends_on >= today:
                found.append(
                    PeriodOccurrence(period, max(occurrence.starts_on, today), occurrence.ends_on)
                )
                break
    return sorted(found, key=lambda o: o.starts_on)


def periods_overlapping(
    starts_on: date, ends_on: date, periods: Sequence[ContinuityPeriod] = CONTINUITY_PERIODS
) -> list[PeriodOccurrence]:
    """The occurrences of the periods that share at least one day with [starts_on, ends_on]."""
    found = []
    for period in periods:
        for year in range(starts_on.year - 1, ends_on.year + 1):
            occurrence = period.occurrence(year)
            if occurrence.starts_on <= ends_on and occurrence.ends_on >= starts_on:
                found.append(occurrence)
    return sorted(found, key=lambda o: o.starts_on)


def is_open_on(site: ContinuitySite, day: date) -> bool:
    return (
        site.active
        and any(hours.weekday == day.weekday() for hours in site.hours)
        and not any(c.starts_on <= day <= c.ends_on for c in site.closures)
    )


def find_gaps(
    sites: Iterable[ContinuitySite],
    occurrences: Iterable[PeriodOccurrence],
    *,
    departement: str | None = None,
) -> list[ContinuityGap]:
    """For each period and each département with an active site, the working days when none
    of the sites there is open. Départements without an active site are not reported."""
    by_departement: dict[str, list[ContinuitySite]] = {}
    for site in sites:
        if site.active:
            by_departement.setdefault(departement_of(site.commune_insee), []).append(site)
    if departement is not None:
        by_departement = {departement: by_departement.get(departement, [])}
    gaps = []
    for occurrence in occurrences:
        for code, local_sites in sorted(by_departement.items()):
            if not local_sites:
                continue
            territory = territory_for_insee(local_sites[0].commune_insee)
            days: list[date] = []
            runs: list[tuple[date, date]] = []
            open_before = True  # whether the previous working day had a site open
            for day in occurrence.days():
                if not is_working_day(day, territory):
                    continue
                if any(is_open_on(site, day) for site in local_sites):
                    open_before = True
                    continue
                days.append(day)
                if open_before or not runs:
                    runs.append((day, day))
                else:
                    runs[-1] = (runs[-1][0], day)
                open_before = False
            if days:
                gaps.append(ContinuityGap(occurrence, code, tuple(days), tuple(runs)))
    return gaps


def operator_gaps(
    session: Session,
    operator_id: int,
    occurrences: Iterable[PeriodOccurrence],
    *,
    departement: str | None = None,
) -> list[ContinuityGap]:
    """`find_gaps` over the operator's sites as they are in the database."""
    sites = session.scalars(
        select(Site)
        .where(Site.operator_id == operator_id, Site.active.is_(True))
        .options(selectinload(Site.hours), selectinload(Site.closures))
    ).all()
    return find_gaps(sites, occurrences, departement=departement)
