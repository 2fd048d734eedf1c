"""Distances for the locator: a spherical prefilter, then the WGS-84 geodesic (geographiclib,
the library under geopy) for the few sites that can rank among the nearest.

The haversine on a sphere of the mean radius differs from the geodesic on the WGS-84 ellipsoid
by at most R / (b² / a) − 1 ≈ 0.56 % one way (along a meridian at the equator, where the
ellipsoid curves least) and 0.45 % the other (near the poles). `rank_nearest` uses only the
first bound: once the geodesic of the k spherically nearest sites is known (their largest is
G), any site among the k geodesically nearest is within G on the ellipsoid, hence within
G × 1.0057 on the sphere; every site beyond that can be dropped unmeasured.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable

from geographiclib.geodesic import Geodesic
from geopy.distance import ELLIPSOIDS

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)
_A, _F = 6378.137, 1 / 298.257223563  # WGS-84
# The sphere overstates a geodesic by at most this factor (R over the smallest radius of
# curvature of the ellipsoid, b² / a = 6335.44 km), rounded up.
SPHERE_OVER_GEODESIC = 1.0057
_SLACK_KM = 1e-6  # floating-point rounding


def sphere_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance: a cheap prefilter before the exact geodesic."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


# geopy's `geodesic(a, b)` is geographiclib's `Inverse` on geopy's WGS-84 ellipsoid, asked
# for the distance alone; called here directly on the same ellipsoid, it skips geopy's `Point`
# parsing of both ends, half of the cost (73 → 40 µs), for the same metres. Built once,
# read-only.
_A, _B, _F = ELLIPSOIDS["WGS-84"]
_WGS84 = Geodesic(_A, _F)


def geodesic_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    # geopy gives its ellipsoids in kilometres: so is the distance.
    return float(_WGS84.Inverse(lat1, lon1, lat2, lon2, Geodesic.DISTANCE)["s12"])


def rank_nearest(
    latitude: float, longitude: float, points: Iterable[tuple[int, float, float]], limit: int
) -> list[tuple[float, int]]:
    """The `limit` points (id, latitude, longitude) nearest to a place on the ellipsoid, as
    (geodesic km, id) ordered by distance then id: the same list as measuring every point."""
    if limit <= 0:
        return []
    lat_r, cos_lat = math.radians(latitude), math.cos(math.radians(latitude))
    rough = []
    for point_id, lat, lon in points:
        p2 = math.radians(lat)
        h = (
            math.sin((p2 - lat_r) / 2) ** 2
            + cos_lat * math.cos(p2) * math.sin(math.radians(lon - longitude) / 2) ** 2
        )
        rough.append((2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h))), point_id, lat, lon))
    if not rough:
        return []
    rough.sort()
    exact: dict[int, float] = {
        point_id: geodesic_km(latitude, longitude, lat, lon)
        for _, point_id, lat, lon in rough[:limit]
    }
    bound = max(exact.values()) * SPHERE_OVER_GEODESIC + _SLACK_KM
    for km, point_id, lat, lon in rough[limit:]:
        if km > bound:
            break
        exact[point_id] = geodesic_km(latitude, longitude, lat, lon)
    return heapq.nsmallest(limit, ((km, point_id) for point_id, km in exact.items()))
