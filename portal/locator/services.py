"""Locate: the competent lot and operator for a home and a workplace, and the nearest sites.

CCTP 1.2.4 (L303-305): the competent operator is the one of the person's home *or* workplace;
when they differ the person picks. Distances are geodesic (geopy, WGS-84 ellipsoid), measured
only for the sites a spherical prefilter keeps (`portal.geo.distance`). `locate` reads the
network from the worker's in-memory snapshot (`portal.network.snapshot`): one SELECT of the
network's version per call once the snapshot is warm.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.geo.distance import rank_nearest, sphere_km
from portal.locator.places import Place
from portal.network.models import Operator, Site
from portal.network.snapshot import NetworkSnapshot, OperatorView, SiteView, network_snapshot
from portal.network.territory import Lot

__all__ = ["Competence", "Location", "NearbySite", "Result", "locate", "nearest_sites", "sphere_km"]


class Result(StrEnum):
    FOUND = "found"
    AMBIGUOUS = "ambiguous"
    NOT_COVERED = "not_covered"


@dataclass(frozen=True, slots=True)
class NearbySite:
    site: Site
    distance_km: float


@dataclass(frozen=True, slots=True)
class NearbySiteView:
    """A site of the in-memory network and its distance, as the public pages show it."""

    site: SiteView
    distance_km: float


@dataclass(frozen=True, slots=True)
class Competence:
    """One competent lot, its operator (None if no active operator holds it) and sites."""

    lot: Lot
    operator: OperatorView | None
    sites: tuple[NearbySiteView, ...]


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
    """The operator's active sites nearest to a point, as ORM rows with their hours loaded
    (for the slot search, which works in the session)."""
    rows = session.execute(
        select(Site.id, Site.latitude, Site.longitude).where(
            Site.operator_id == operator.id, Site.active.is_(True)
        )
    ).all()
    points = ((r.id, r.latitude, r.longitude) for r in rows)
    exact = rank_nearest(latitude, longitude, points, limit)
    if not exact:
        return ()
    sites = {
        site.id: site
        for site in session.scalars(
            select(Site)
            .where(Site.id.in_([sid for _, sid in exact]))
            .options(selectinload(Site.hours))
        )
    }
    return tuple(NearbySite(sites[sid], round(km, 1)) for km, sid in exact)


def competence_at(network: NetworkSnapshot, place: Place, sites_shown: int) -> Competence | None:
    lot = place.lot
    if lot is None:
        return None
    operator = network.operator_by_lot.get(lot.number)
    if operator is None:
        return Competence(lot, None, ())
    points = network.points.get(operator.id, ())
    exact = rank_nearest(place.latitude, place.longitude, points, sites_shown)
    sites = tuple(NearbySiteView(network.sites[sid], round(km, 1)) for km, sid in exact)
    return Competence(lot, operator, sites)


def locate(
    session: Session, home: Place, work: Place | None = None, *, sites_shown: int = 5
) -> Location:
    network = network_snapshot(session)
    return Location(
        home=home,
        work=work,
        home_competence=competence_at(network, home, sites_shown),
        work_competence=competence_at(network, work, sites_shown) if work else None,
    )
