"""Locate: the competent lot and operator for a home and a workplace, and the nearest sites.

CCTP 1.2.4 (L303-305): the competent operator is the one of the person's home *or* workplace;
when they differ the person picks. Distances are geodesic (geopy, WGS-84 ellipsoid).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from geopy.distance import geodesic
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.locator.places import Place
from portal.network.models import Operator, Site
from portal.network.territory import Lot

# The spherical distance of the prefilter differs from the geodesic one by less than 0.6 %:
# any site within that margin of the k-th nearest may still rank among the k nearest.
_SPHERE_ERROR = 1.006
_EARTH_RADIUS_KM = 6371.0088


def sphere_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance: a cheap prefilter before geopy's exact geodesic."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


class Result(StrEnum):
    FOUND = "found"
    AMBIGUOUS = "ambiguous"
    NOT_COVERED = "not_covered"


@dataclass(frozen=True, slots=True)
class NearbySite:
    site: Site
    distance_km: float


@dataclass(frozen=True, slots=True)
class Competence:
    """One competent lot, its operator (None if no active operator holds it) and sites."""

    lot: Lot
    operator: Operator | None
    sites: tuple[NearbySite, ...]


@dataclass(frozen=True, slots=True)
class Location:
    home: Place
    work: Place | None
    home_competence: Competence | None
    work_competence: Competence | None

    @property
    def result(self) -> Result:
        return Result.FOUND if self.primary is not None else Result.NOT_COVERED

    @property
    def primary(self) -> Competence | None:
        """The lot to show first: the home's when it is covered, else the workplace's."""
        return self.home_competence or self.work_competence

    @property
    def lots_differ(self) -> bool:
        return (
            self.home_competence is not None
            and self.work_competence is not None
            and self.home_competence.lot != self.work_competence.lot
        )


def nearest_sites(
    session: Session, operator: Operator, latitude: float, longitude: float, limit: int
) -> tuple[NearbySite, ...]:
    """The operator's active sites nearest to a point, with their hours loaded."""
    rows = session.execute(
        select(Site.id, Site.latitude, Site.longitude).where(
            Site.operator_id == operator.id, Site.active.is_(True)
        )
    ).all()
    if not rows or limit <= 0:
        return ()
    rough = sorted(
        (sphere_km(latitude, longitude, r.latitude, r.longitude), r.id, r.latitude, r.longitude)
        for r in rows
    )
    bound = rough[min(limit, len(rough)) - 1][0] * _SPHERE_ERROR + 0.001
    origin = (latitude, longitude)
    exact = sorted(
        (geodesic(origin, (lat, lon)).km, site_id) for km, site_id, lat, lon in rough if km <= bound
    )[:limit]
    sites = {
        site.id: site
        for site in session.scalars(
            select(Site)
            .where(Site.id.in_([sid for _, sid in exact]))
            .options(selectinload(Site.hours))
        )
    }
    return tuple(NearbySite(sites[sid], round(km, 1)) for km, sid in exact)


def competence_at(session: Session, place: Place, sites_shown: int) -> Competence | None:
    lot = place.lot
    if lot is None:
        return None
    operator = session.scalar(
        select(Operator).where(Operator.lot_number == lot.number, Operator.active.is_(True))
    )
    if operator is None:
        return Competence(lot, None, ())
    if sites_shown <= 0:
        return Competence(lot, operator, ())
    sites = nearest_sites(session, operator, place.latitude, place.longitude, sites_shown)
    return Competence(lot, operator, sites)


def locate(
    session: Session, home: Place, work: Place | None = None, *, sites_shown: int = 5
) -> Location:
    return Location(
        home=home,
        work=work,
        home_competence=competence_at(session, home, sites_shown),
        work_competence=competence_at(session, work, sites_shown) if work else None,
    )
