"""The locator's distance prefilter: the haversine never drops a site that the exact
(geodesic) ranking would keep, wherever the person and the sites are, and it spares most of
the geodesic computations."""

from __future__ import annotations

import random

import pytest
from geopy.distance import geodesic
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.geo import distance
from portal.geo.distance import SPHERE_OVER_GEODESIC, geodesic_km, rank_nearest, sphere_km

# Metropolitan France with Corsica, and the overseas départements (the network's extent).
AREAS = {
    "metropole": ((41.3, 51.1), (-5.2, 9.6)),
    "guadeloupe": ((15.8, 16.6), (-61.9, -61.0)),
    "guyane": ((2.1, 5.8), (-54.6, -51.6)),
    "reunion": ((-21.4, -20.8), (55.2, 55.9)),
    "mayotte": ((-13.1, -12.6), (45.0, 45.3)),
}


def exact_ranking(lat: float, lon: float, points: list[tuple[int, float, float]], k: int) -> list:
    return sorted((geodesic_km(lat, lon, plat, plon), pid) for pid, plat, plon in points)[:k]


def random_points(
    rng: random.Random, box: tuple[tuple[float, float], tuple[float, float]], count: int
) -> list[tuple[int, float, float]]:
    (lat0, lat1), (lon0, lon1) = box
    return [(i, rng.uniform(lat0, lat1), rng.uniform(lon0, lon1)) for i in range(count)]


@pytest.mark.parametrize("area", sorted(AREAS))
def test_the_prefilter_keeps_every_site_of_the_exact_ranking_over_many_random_points(
    area: str,
) -> None:
    rng = random.Random(f"locator-{area}")
    box = AREAS[area]
    for _ in range(150):
        points = random_points(rng, box, rng.randint(1, 150))
        (lat0, lat1), (lon0, lon1) = box
        lat, lon = rng.uniform(lat0, lat1), rng.uniform(lon0, lon1)
        k = rng.choice([1, 3, 5, 8])
        assert rank_nearest(lat, lon, points, k) == exact_ranking(lat, lon, points, k)


@settings(max_examples=300, deadline=None)
@given(
    origin=st.tuples(st.floats(-80, 80), st.floats(-180, 180)),
    offsets=st.lists(
        st.tuples(st.floats(-3, 3), st.floats(-3, 3)), min_size=1, max_size=40, unique=True
    ),
    k=st.integers(1, 6),
)
def test_the_prefilter_is_exact_anywhere_on_earth(
    origin: tuple[float, float], offsets: list[tuple[float, float]], k: int
) -> None:
    lat, lon = origin
    points = [
        (i, max(-89.0, min(89.0, lat + dlat)), ((lon + dlon + 180) % 360) - 180)
        for i, (dlat, dlon) in enumerate(offsets)
    ]
    assert rank_nearest(lat, lon, points, k) == exact_ranking(lat, lon, points, k)


def test_the_tightest_case_north_south_against_east_west_at_the_equator() -> None:
    # At the equator the sphere overstates north-south distances most (0.56 %) and
    # understates east-west ones (0.11 %): the site due north is nearer on the ellipsoid.
    east = (1, 0.0, 0.5)
    north = (2, 0.5022, 0.0)
    assert sphere_km(0, 0, 0.5022, 0) > sphere_km(0, 0, 0, 0.5)
    assert geodesic_km(0, 0, 0.5022, 0) < geodesic_km(0, 0, 0, 0.5)
    assert [pid for _, pid in rank_nearest(0.0, 0.0, [east, north], 1)] == [2]


def test_the_bound_holds_for_random_pairs() -> None:
    rng = random.Random(13)
    for _ in range(3000):
        lat1, lon1 = rng.uniform(-85, 85), rng.uniform(-180, 180)
        lat2, lon2 = lat1 + rng.uniform(-5, 5), lon1 + rng.uniform(-5, 5)
        lat2 = max(-89.0, min(89.0, lat2))
        exact = geodesic_km(lat1, lon1, lat2, lon2)
        assert sphere_km(lat1, lon1, lat2, lon2) <= exact * SPHERE_OVER_GEODESIC + 1e-6


def test_only_a_few_sites_are_measured_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    exact = distance.geodesic_km

    def counted(*args: float) -> float:
        nonlocal calls
        calls += 1
        return exact(*args)

    monkeypatch.setattr(distance, "geodesic_km", counted)
    rng = random.Random(2026)
    requests = 200
    for _ in range(requests):
        points = random_points(rng, AREAS["metropole"], 110)
        rank_nearest(rng.uniform(43, 50), rng.uniform(-1, 7), points, 5)
    assert calls / requests < 7  # of 110 sites, 5 always measured


@settings(max_examples=300, deadline=None)
@given(
    st.floats(-21.5, 51.2), st.floats(-61.9, 55.9), st.floats(-21.5, 51.2), st.floats(-61.9, 55.9)
)
def test_the_geodesic_is_geopys(lat1: float, lon1: float, lat2: float, lon2: float) -> None:
    # The same problem on the same ellipsoid, compiled: equal to within a micrometre.
    ours = geodesic_km(lat1, lon1, lat2, lon2)
    assert ours == pytest.approx(geodesic((lat1, lon1), (lat2, lon2)).km, abs=1e-9)


def test_nothing_to_rank() -> None:
    assert rank_nearest(48.0, 2.0, [], 5) == []
    assert rank_nearest(48.0, 2.0, [(1, 48.1, 2.1)], 0) == []
