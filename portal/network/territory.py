"""The 18 regional lots of the framework agreement and the territories outside them.

CCTP 1.2.2 (L213-242): one lot per region; lot 19 is a back-up lot with no territory.
The competent operator is the one of the person's home or workplace (CCTP 1.2.4, L303-305).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Lot:
    number: int
    name: str
    region_code: str
    # Appointments are shown in the lot's local time (CCTP 3.3: hours are set per territory).
    timezone: str = "Europe/Paris"

    def as_json(self) -> dict[str, object]:
        return {"number": self.number, "name": self.name, "region_code": self.region_code}


LOTS: tuple[Lot, ...] = (
    Lot(1, "Île-de-France", "11"),
    Lot(2, "Auvergne-Rhône-Alpes", "84"),
    Lot(3, "Hauts-de-France", "32"),
    Lot(4, "Nouvelle-Aquitaine", "75"),
    Lot(5, "Grand Est", "44"),
    Lot(6, "Occitanie", "76"),
    Lot(7, "Provence-Alpes-Côte d'Azur", "93"),
    Lot(8, "Pays de la Loire", "52"),
    Lot(9, "Normandie", "28"),
    Lot(10, "Bretagne", "53"),
    Lot(11, "Bourgogne-Franche-Comté", "27"),
    Lot(12, "Centre-Val de Loire", "24"),
    Lot(13, "La Réunion", "04", "Indian/Reunion"),
    Lot(14, "Guadeloupe", "01", "America/Guadeloupe"),
    Lot(15, "Martinique", "02", "America/Martinique"),
    Lot(16, "Corse", "94"),
    Lot(17, "Guyane", "03", "America/Cayenne"),
    Lot(18, "Mayotte", "06", "Indian/Mayotte"),
)

LOT_BY_NUMBER = {lot.number: lot for lot in LOTS}
LOT_BY_REGION = {lot.region_code: lot for lot in LOTS}

# Collectivités d'outre-mer and foreign codes that look French: no lot covers them; the
# national CEP operators (APEC, France Travail, Cap emploi, Missions locales) remain open.
OUTSIDE_LOTS_BY_POSTAL_PREFIX = {
    "975": "Saint-Pierre-et-Miquelon",
    "97133": "Saint-Barthélemy",
    "97150": "Saint-Martin",
    "977": "Saint-Barthélemy",
    "978": "Saint-Martin",
    "980": "Monaco",
    "986": "Wallis-et-Futuna",
    "987": "Polynésie française",
    "988": "Nouvelle-Calédonie",
}


def lot_for_region(region_code: str | None) -> Lot | None:
    if region_code is None:
        return None
    return LOT_BY_REGION.get(region_code)


def territory_outside_lots(postal_code: str) -> str | None:
    """The name of the territory outside every lot that a postal code belongs to, if any."""
    for length in (5, 3):
        name = OUTSIDE_LOTS_BY_POSTAL_PREFIX.get(postal_code[:length])
        if name:
            return name
    return None
