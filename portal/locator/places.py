"""Turning what a person typed (a postal code, a commune name) into a place on the map."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from portal.geo.gazetteer import Commune, Gazetteer, normalise
from portal.network.territory import Lot, lot_for_region, territory_outside_lots

POSTAL_CODE = re.compile(r"^\d{5}$")
INSEE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$", re.IGNORECASE)
# "Saint-Malo (35400)": the label the autocomplete offers.
LABEL = re.compile(r"^(?P<name>.+?)\s*\((?P<postal_code>\d{5})\)$")
MAX_CANDIDATES = 12


class PlaceErrorCode(StrEnum):
    EMPTY = "empty"
    MALFORMED_POSTAL_CODE = "malformed_postal_code"
    MALFORMED_INSEE = "malformed_insee"
    UNKNOWN_POSTAL_CODE = "unknown_postal_code"
    UNKNOWN_COMMUNE = "unknown_commune"
    COMMUNE_NOT_IN_POSTAL_CODE = "commune_not_in_postal_code"


class PlaceError(Exception):
    def __init__(self, code: PlaceErrorCode, value: str = "") -> None:
        super().__init__(f"{code}: {value}")
        self.code = code
        self.value = value


@dataclass(frozen=True, slots=True)
class Place:
    """A located place: one commune, or the communes of one postal code inside one lot."""

    communes: tuple[Commune, ...]
    postal_code: str | None
    latitude: float
    longitude: float
    outside_lots: str | None = None  # "Monaco", "Saint-Pierre-et-Miquelon"…

    @property
    def commune(self) -> Commune | None:
        return self.communes[0] if len(self.communes) == 1 else None

    @property
    def approximate(self) -> bool:
        """Its position is not a commune's own (town hall or outline): distances are rough."""
        return not self.communes or any(c.approximate for c in self.communes)

    @property
    def lot(self) -> Lot | None:
        return lot_for_region(self.communes[0].region) if self.communes else None

    @property
    def label(self) -> str:
        if self.commune is not None:
            code = self.postal_code or self.commune.postal_codes[0]
            return f"{self.commune.name} ({code})"
        if self.communes:
            return (
                f"{self.postal_code} — "
                + ", ".join(c.name for c in self.communes[:3])
                + ("…" if len(self.communes) > 3 else "")
            )
        return f"{self.postal_code} — {self.outside_lots}"


@dataclass(frozen=True, slots=True)
class Ambiguous:
    """Several communes fit and they lead to different answers: the person must pick one."""

    query: str
    candidates: tuple[Commune, ...]


def _place_of_communes(communes: list[Commune], postal_code: str | None) -> Place:
    weight = sum(max(c.population, 1) for c in communes)
    lat = sum(c.latitude * max(c.population, 1) for c in communes) / weight
    lon = sum(c.longitude * max(c.population, 1) for c in communes) / weight
    return Place(tuple(communes), postal_code, lat, lon)


def from_commune(commune: Commune, postal_code: str | None = None) -> Place:
    outside = None if lot_for_region(commune.region) else _outside_name(commune)
    return Place((commune,), postal_code, commune.latitude, commune.longitude, outside)


def _outside_name(commune: Commune) -> str:
    code = commune.postal_codes[0] if commune.postal_codes else ""
    return territory_outside_lots(code) or commune.name


def by_postal_code(gazetteer: Gazetteer, postal_code: str) -> Place | Ambiguous:
    postal_code = postal_code.strip()
    if not POSTAL_CODE.match(postal_code):
        raise PlaceError(PlaceErrorCode.MALFORMED_POSTAL_CODE, postal_code)
    communes = gazetteer.by_postal_code(postal_code)
    if not communes:
        outside = territory_outside_lots(postal_code)
        if outside:
            return Place((), postal_code, 0.0, 0.0, outside)
        raise PlaceError(PlaceErrorCode.UNKNOWN_POSTAL_CODE, postal_code)
    lots = {lot_for_region(c.region) for c in communes}
    if len(lots) > 1:
        # 37160, 01410, 05700… span two regions: the answer depends on the commune.
        return Ambiguous(postal_code, tuple(communes))
    if lots == {None}:
        return from_commune(communes[0], postal_code)
    return _place_of_communes(communes, postal_code)


def by_insee(gazetteer: Gazetteer, insee: str, postal_code: str | None = None) -> Place:
    insee = insee.strip()
    if not INSEE_CODE.match(insee):
        raise PlaceError(PlaceErrorCode.MALFORMED_INSEE, insee)
    commune = gazetteer.by_insee(insee)
    if commune is None:
        raise PlaceError(PlaceErrorCode.UNKNOWN_COMMUNE, insee)
    if postal_code is not None:
        if not POSTAL_CODE.match(postal_code.strip()):
            raise PlaceError(PlaceErrorCode.MALFORMED_POSTAL_CODE, postal_code)
        if postal_code.strip() not in commune.postal_codes:
            raise PlaceError(PlaceErrorCode.COMMUNE_NOT_IN_POSTAL_CODE, insee)
    return from_commune(commune, postal_code)


def from_text(gazetteer: Gazetteer, text: str) -> Place | Ambiguous:
    """Resolve free text: a postal code, a commune name, or an autocomplete label."""
    text = " ".join(text.split())
    if not text:
        raise PlaceError(PlaceErrorCode.EMPTY)
    if re.fullmatch(r"[\d\s]+", text):
        return by_postal_code(gazetteer, text.replace(" ", ""))
    label = LABEL.match(text)
    if label:
        wanted = normalise(label["name"])
        communes = gazetteer.by_postal_code(label["postal_code"])
        named = [c for c in communes if normalise(c.name) == wanted]
        if len(named) == 1:
            return from_commune(named[0], label["postal_code"])
        text = label["name"]
    wanted = normalise(text)
    if not wanted:
        raise PlaceError(PlaceErrorCode.UNKNOWN_COMMUNE, text)
    matches = gazetteer.search(text, limit=MAX_CANDIDATES * 4)
    exact = [c for c in matches if normalise(c.name) == wanted]
    if len(exact) == 1:
        return from_commune(exact[0])
    if exact:
        return Ambiguous(text, tuple(exact[:MAX_CANDIDATES]))
    if matches:
        return Ambiguous(text, tuple(matches[:MAX_CANDIDATES]))
    raise PlaceError(PlaceErrorCode.UNKNOWN_COMMUNE, text)
