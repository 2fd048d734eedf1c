"""Working days per territory, and the legal deadline of the first appointment.

Public holidays come from the `holidays` package (France and its subdivisions), never typed by
hand: Alsace and Moselle add Good Friday and 26 December; each overseas department has its own
abolition-of-slavery day, and some more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

from portal.booking.rules import FIRST_APPOINTMENT_WORKING_DAYS


@dataclass(frozen=True, slots=True)
class Territory:
    """A set of communes that share the same public holidays."""

    code: str  # "metropole", "alsace-moselle", "guadeloupe"…
    subdivision: str | None  # the `holidays` package's subdivision of France
    name: str


METROPOLE = Territory("metropole", None, "France métropolitaine")
# The `holidays` package names Alsace "6AE" and Moselle "57"; their holidays are the same
# (Good Friday, 26 December), so one territory holds both, with the Moselle subdivision.
ALSACE_MOSELLE = Territory("alsace-moselle", "57", "Alsace-Moselle")

# Keyed by the first digits of the INSEE code (département, or collectivity for 97x/98x).
_BY_PREFIX = {
    "57": ALSACE_MOSELLE,
    "67": ALSACE_MOSELLE,
    "68": ALSACE_MOSELLE,
    "971": Territory("guadeloupe", "971", "Guadeloupe"),
    "972": Territory("martinique", "972", "Martinique"),
    "973": Territory("guyane", "973", "Guyane"),
    "974": Territory("la-reunion", "974", "La Réunion"),
    "975": Territory("saint-pierre-et-miquelon", "PM", "Saint-Pierre-et-Miquelon"),
    "976": Territory("mayotte", "976", "Mayotte"),
    "977": Territory("saint-barthelemy", "BL", "Saint-Barthélemy"),
    "978": Territory("saint-martin", "MF", "Saint-Martin"),
    "986": Territory("wallis-et-futuna", "WF", "Wallis-et-Futuna"),
    "987": Territory("polynesie-francaise", "PF", "Polynésie française"),
    "988": Territory("nouvelle-caledonie", "NC", "Nouvelle-Calédonie"),
}
TERRITORIES = {t.code: t for t in (METROPOLE, *_BY_PREFIX.values())}


def territory_for_insee(insee: str) -> Territory:
    """The holiday territory of a commune, from its INSEE code (« 2A004 » is in Corsica)."""
    return _BY_PREFIX.get(insee[:3]) or _BY_PREFIX.get(insee[:2]) or METROPOLE


@lru_cache(maxsize=256)
def _holidays(subdivision: str | None, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("FR", subdiv=subdivision, years=year))


def holiday_names(territory: Territory, year: int) -> dict[date, str]:
    """The public holidays of a year, with their French names, for people to read."""
    found = holidays.country_holidays("FR", subdiv=territory.subdivision, years=year, language="fr")
    return dict(sorted(found.items()))


def is_public_holiday(day: date, territory: Territory) -> bool:
    return day in _holidays(territory.subdivision, day.year)


def is_working_day(day: date, territory: Territory) -> bool:
    """Monday to Friday, minus the public holidays of the territory (« jours ouvrés »)."""
    return day.weekday() < 5 and not is_public_holiday(day, territory)


def monday(day: date) -> date:
    """The Monday of the week of `day`: weeks of slots and agendas start there."""
    return day - timedelta(days=day.weekday())


def add_working_days(start: date, count: int, territory: Territory) -> date:
    """The `count`-th working day after `start`; `start` itself is not counted."""
    if count < 0:
        raise ValueError("count must be positive")
    day = start
    remaining = count
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day, territory):
            remaining -= 1
    return day


def working_days_between(start: date, end: date, territory: Territory) -> int:
    """Working days after `start` up to and including `end` (negative if `end` is earlier)."""
    if end < start:
        return -working_days_between(end, start, territory)
    return sum(
        1
        for offset in range(1, (end - start).days + 1)
        if is_working_day(start + timedelta(days=offset), territory)
    )


def first_appointment_deadline(requested_on: date, territory: Territory) -> date:
    """CCTP 3.3 (L737): the first exchange with an advisor takes place within 30 jours ouvrés
    of the first request: by the 30th working day after the day of the request, which is not
    counted itself. Working days are those of the commune's territory."""
    return add_working_days(requested_on, FIRST_APPOINTMENT_WORKING_DAYS, territory)
