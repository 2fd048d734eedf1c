"""A commune of the profile from what the advisor typed: one commune and one postcode.

The text is a postcode (« 35000 »), a name (« Saint-Malo »), or the label the suggestions
offer (« Saint-Malo (35400) »). The gazetteer (`portal.geo.gazetteer`) resolves it on the
server; when several communes or postcodes fit (« Saint-Denis », « Toulouse », « 29200 »),
the candidates come back, each as the label that resolves to it alone, and the advisor picks
one. Pure: no Flask, no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from portal.geo.gazetteer import Commune, Gazetteer, normalise

LABEL = re.compile(r"^(?P<name>.+?)\s*\((?P<postal_code>\d{5})\)$")
POSTAL_CODE = re.compile(r"^\d{5}$")
MAX_CANDIDATES = 12


@dataclass(frozen=True, slots=True)
class Located:
    """One commune with the postcode of the address."""

    insee: str
    name: str
    postal_code: str
    departement: str

    @property
    def label(self) -> str:
        return f"{self.name} ({self.postal_code})"


@dataclass(frozen=True, slots=True)
class Candidates:
    """Several communes or postcodes fit: their labels, to choose from."""

    labels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NotFound:
    malformed_postal_code: bool = False


def _pairs(communes: list[Commune], postal_code: str | None = None) -> list[Located]:
    """Every (commune, postcode) pair: a commune served by several postcodes gives several."""
    found = []
    for commune in communes:
        codes = (postal_code,) if postal_code else commune.postal_codes
        found += [Located(commune.insee, commune.name, c, commune.departement) for c in codes]
    return found


def _one_or_many(pairs: list[Located]) -> Located | Candidates | NotFound:
    if not pairs:
        return NotFound()
    if len(pairs) == 1:
        return pairs[0]
    return Candidates(tuple(dict.fromkeys(p.label for p in pairs[:MAX_CANDIDATES])))


def locate_commune(gazetteer: Gazetteer, text: str) -> Located | Candidates | NotFound:
    """Resolve the typed text (assumed not empty) to one commune and postcode."""
    text = " ".join(text.split())
    if re.fullmatch(r"[\d ]+", text):
        code = text.replace(" ", "")
        if not POSTAL_CODE.match(code):
            return NotFound(malformed_postal_code=True)
        return _one_or_many(_pairs(gazetteer.by_postal_code(code), code))
    label = LABEL.match(text)
    if label:
        wanted = normalise(label["name"])
        communes = gazetteer.by_postal_code(label["postal_code"])
        named = [c for c in communes if normalise(c.name) == wanted]
        if len(named) == 1:
            return _pairs(named, label["postal_code"])[0]
        text = label["name"]
    wanted = normalise(text)
    if not wanted:
        return NotFound()
    matches = gazetteer.search(text, limit=MAX_CANDIDATES * 4)
    exact = [c for c in matches if normalise(c.name) == wanted]
    return _one_or_many(_pairs(exact or matches))


def commune_label(name: str | None, postal_code: str | None) -> str:
    """How a stored commune is shown in its field again."""
    if not name:
        return ""
    return f"{name} ({postal_code})" if postal_code else name


__all__ = ["Candidates", "Located", "NotFound", "commune_label", "locate_commune"]
