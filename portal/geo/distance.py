"""Distances for the locator: a spherical prefilter, then the WGS-84 geodesic (Karney's
algorithm, as geopy's `geodesic`, through pyproj's compiled `Geod`) for the few sites that can
rank among the nearest.

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

from geopy.distance import ELLIPSOIDS
from pyproj import Geod

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)
# The sphere overstates a geodesic by at most this factor (R over the smallest radius of
# curvature of the ellipsoid, b² / a = 6335.44 km), rounded up.
SPHERE_OVER_GEODESIC = 1.0057
_SLACK_KM = 1e-6  # floating-point rounding
_SLACK_CHORD2 = 1e-12  # the same, on the squared chord of the unit sphere


def sphere_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance: a cheap prefilter before the exact geodesic."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


# geopy's `geodesic(a, b)` is Karney's inverse problem on geopy's WGS-84 ellipsoid, solved by
# geographiclib in pure Python (73 µs a call through geopy, 40 µs called directly). pyproj's
# `Geod` solves the same problem with the C version of the same library (PROJ's geodesic.c),
# on the same ellipsoid: the same metres to a nanometre, in about 1 µs. Built once, read-only.
_A, _B, _F = ELLIPSOIDS["WGS-84"]  # kilometres
_WGS84 = Geod(a=_A * 1000, f=_F)


def geodesic_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    # pyproj takes longitudes first and answers in metres.
    return float(_WGS84.inv(lon1, lat1, lon2, lat2)[2]) / 1000


class PointSet:
    """Points (id, latitude, longitude) with their unit vectors on the sphere, computed once
    (the network snapshot keeps one per operator): the prefilter then ranks by the squared
    chord between unit vectors, which orders points as the haversine does, with three
    multiplications instead of five trigonometric calls a point."""

    __slots__ = ("rows",)

    def __init__(self, points: Iterable[tuple[int, float, float]]) -> None:
        self.rows = tuple(
            (*unit_vector(lat, lon), point_id, lat, lon) for point_id, lat, lon in points
        )

    def __len__(self) -> int:
        return len(self.rows)


def unit_vector(latitude: float, longitude: float) -> tuple[float, float, float]:
    phi, lam = math.radians(latitude), math.radians(longitude)
    return math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi)


def rank_nearest(
    latitude: float,
    longitude: float,
    points: PointSet | Iterable[tuple[int, float, float]],
    limit: int,
) -> list[tuple[float, int]]:
    """The `limit` points (id, latitude, longitude) nearest to a place on the ellipsoid, as
    (geodesic km, id) ordered by distance then id: the same list as measuring every point."""
    if limit <= 0:
        return []
    rows = (points if isinstance(points, PointSet) else PointSet(points)).rows
    if not rows:
        return []
    x, y, z = unit_vector(latitude, longitude)
    # The squared chord c² grows with the spherical distance d: c = 2 sin(d / 2R).
    rough = sorted(
        ((px - x) ** 2 + (py - y) ** 2 + (pz - z) ** 2, point_id, lat, lon)
        for px, py, pz, point_id, lat, lon in rows
    )
    exact: dict[int, float] = {
        point_id: geodesic_km(latitude, longitude, lat, lon)
        for _, point_id, lat, lon in rough[:limit]
    }
    bound_km = max(exact.values()) * SPHERE_OVER_GEODESIC + _SLACK_KM
    half_angle = min(bound_km / (2 * EARTH_RADIUS_KM), math.pi / 2)
    bound = (2 * math.sin(half_angle)) ** 2 + _SLACK_CHORD2
    for chord2, point_id, lat, lon in rough[limit:]:
        if chord2 > bound:
            break
        exact[point_id] = geodesic_km(latitude, longitude, lat, lon)
    return heapq.nsmallest(limit, ((km, point_id) for point_id, km in exact.items()))
