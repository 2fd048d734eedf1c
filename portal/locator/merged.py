"""Home and workplace in the same lot: one list of sites, nearest of the two distances first.

Each list of the locator holds the k nearest sites of one place. The k nearest by the nearer of
the two distances are all in the union of both lists (a site missing from one list is further
from that place than its k-th site), so merging the two lists is enough.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from portal.locator.services import Location
from portal.network.snapshot import SiteView


class Near(StrEnum):
    HOME = "home"
    WORK = "work"


@dataclass(frozen=True, slots=True)
class RankedSite:
    site: SiteView
    distance_km: float
    near: Near  # the place the site is nearer to


def merged_sites(location: Location) -> tuple[RankedSite, ...] | None:
    """The sites once, ranked by the nearer of the two distances; None unless home and
    workplace are both given and served by the same lot."""
    home, work = location.home_competence, location.work_competence
    if home is None or work is None or location.lots_differ:
        return None
    best: dict[int, RankedSite] = {}
    for near, sites in ((Near.HOME, home.sites), (Near.WORK, work.sites)):
        for nearby in sites:
            seen = best.get(nearby.site.id)
            if seen is None or nearby.distance_km < seen.distance_km:
                best[nearby.site.id] = RankedSite(nearby.site, nearby.distance_km, near)
    shown = max(len(home.sites), len(work.sites))
    ranked = sorted(best.values(), key=lambda r: (r.distance_km, r.near != Near.HOME, r.site.id))
    return tuple(ranked[:shown])
