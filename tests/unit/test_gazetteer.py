"""The offline gazetteer: packaged data (counts, regions, coordinates) and lookups."""

from __future__ import annotations

import gzip
import math
from pathlib import Path

import pytest

from portal.geo.gazetteer import COLUMNS, Commune, Gazetteer, get_gazetteer, normalise

try:
    from geopy.distance import geodesic
except ImportError:  # pragma: no cover - geopy is a dependency of the portal
    geodesic = None

# (lat min, lat max, lon min, lon max) per "département family"
BOUNDS = {
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
LOT_REGIONS = {"11", "84", "32", "75", "44", "76", "93", "52", "28", "53", "27", "24"} | {
    "04",
    "01",
    "02",
    "94",
    "03",
    "06",
}
SOURCES = {"mairie", "contour", "geonames", "deleguees", "postal", "departement"}


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return get_gazetteer()


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    if geodesic is not None:
        return float(geodesic((lat1, lon1), (lat2, lon2)).km)
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def insee_codes(communes: list[Commune]) -> list[str]:
    return [c.insee for c in communes]


# --- normalise ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ST-ÉTIENNE", "saint etienne"),
        ("Saint-Étienne", "saint etienne"),
        ("  saint   etienne ", "saint etienne"),
        ("Ste-Marie", "sainte marie"),
        ("L'Haÿ-les-Roses", "l hay les roses"),
        ("L’Île-Rousse", "l ile rousse"),
        ("Œuilly", "oeuilly"),
        ("Stains", "stains"),  # "st" only as a whole word
        ("Paris 1er Arrondissement", "paris 1er arrondissement"),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


# --- data ----------------------------------------------------------------------------------


def test_counts(gazetteer: Gazetteer) -> None:
    communes = [c for c in gazetteer if c.kind == "commune"]
    arrondissements = [c for c in gazetteer if c.kind == "arrondissement"]
    assert 34_000 <= len(communes) <= 36_000
    assert len(arrondissements) == 20 + 9 + 16
    assert len(gazetteer) == len(communes) + len(arrondissements)
    assert sum(c.population for c in communes) > 65_000_000


def test_rows_are_consistent(gazetteer: Gazetteer) -> None:
    codes = [c.insee for c in gazetteer]
    assert codes == sorted(codes)
    assert len(set(codes)) == len(codes)
    for commune in gazetteer:
        assert commune.kind in {"commune", "arrondissement"}
        assert commune.coordinate_source in SOURCES
        assert commune.population >= 0
        assert all(len(code) == 5 and code.isdigit() for code in commune.postal_codes)
        assert commune.insee.startswith(commune.departement[:2])
        if commune.departement.startswith(("975", "977", "978", "98")):
            assert commune.region is None, commune
        else:
            assert commune.region in LOT_REGIONS, commune
        if commune.kind == "arrondissement":
            assert commune.parent in {"75056", "69123", "13055"}
            parent = gazetteer.by_insee(commune.parent)
            assert parent is not None and parent.kind == "commune"
        else:
            assert commune.parent is None


def test_coordinates_inside_their_departement_family(gazetteer: Gazetteer) -> None:
    outside = []
    for commune in gazetteer:
        family = commune.departement if commune.departement[:2] in ("97", "98") else "metro"
        lat_min, lat_max, lon_min, lon_max = BOUNDS[family]
        if not (lat_min <= commune.latitude <= lat_max and lon_min <= commune.longitude <= lon_max):
            outside.append(commune)
    assert outside == []


def test_corsica_is_in_corsica(gazetteer: Gazetteer) -> None:
    for dep in ("2A", "2B"):
        communes = gazetteer.communes_in_departement(dep)
        assert len(communes) > 100
        assert all(41.3 <= c.latitude <= 43.1 and 8.5 <= c.longitude <= 9.6 for c in communes)


@pytest.mark.parametrize(
    ("insee", "lat", "lon"),
    [
        ("75056", 48.8566, 2.3522),  # Paris
        ("13055", 43.2965, 5.3698),  # Marseille
        ("69123", 45.7640, 4.8357),  # Lyon
        ("31555", 43.6047, 1.4442),  # Toulouse
        ("06088", 43.7102, 7.2620),  # Nice
        ("67482", 48.5734, 7.7521),  # Strasbourg
        ("29019", 48.3904, -4.4861),  # Brest
        ("35288", 48.6493, -2.0257),  # Saint-Malo
        ("42218", 45.4397, 4.3872),  # Saint-Étienne
        ("59350", 50.6292, 3.0573),  # Lille
        ("2A004", 41.9192, 8.7386),  # Ajaccio
        ("97411", -20.8821, 55.4507),  # Saint-Denis (La Réunion)
        ("97611", -12.7806, 45.2279),  # Mamoudzou
        ("97209", 14.6161, -61.0588),  # Fort-de-France
        ("97302", 4.9372, -52.3260),  # Cayenne
        ("75115", 48.8421, 2.2997),  # Paris 15e
    ],
)
def test_big_city_coordinates(gazetteer: Gazetteer, insee: str, lat: float, lon: float) -> None:
    commune = gazetteer.by_insee(insee)
    assert commune is not None
    assert distance_km(commune.latitude, commune.longitude, lat, lon) < 5.0


# --- by_insee ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("insee", "name", "departement", "region"),
    [
        ("75056", "Paris", "75", "11"),
        ("2A004", "Ajaccio", "2A", "94"),
        ("2a004", "Ajaccio", "2A", "94"),
        ("2B033", "Bastia", "2B", "94"),
        ("97411", "Saint-Denis", "974", "04"),
        ("97611", "Mamoudzou", "976", "06"),
        ("97105", "Basse-Terre", "971", "01"),
        ("97209", "Fort-de-France", "972", "02"),
        ("97302", "Cayenne", "973", "03"),
    ],
)
def test_by_insee(
    gazetteer: Gazetteer, insee: str, name: str, departement: str, region: str
) -> None:
    commune = gazetteer.by_insee(insee)
    assert commune is not None
    assert (commune.name, commune.departement, commune.region) == (name, departement, region)
    assert commune.kind == "commune"


def test_by_insee_arrondissement(gazetteer: Gazetteer) -> None:
    commune = gazetteer.by_insee("75101")
    assert commune is not None
    assert commune.kind == "arrondissement"
    assert commune.parent == "75056"
    assert commune.region == "11"
    assert commune.postal_codes == ("75001",)


def test_by_insee_unknown(gazetteer: Gazetteer) -> None:
    assert gazetteer.by_insee("99999") is None
    assert gazetteer.by_insee("") is None


# --- by_postal_code ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("postal_code", "insee", "name"),
    [
        ("29200", "29019", "Brest"),
        ("35400", "35288", "Saint-Malo"),
        ("42000", "42218", "Saint-Étienne"),
        ("20000", "2A004", "Ajaccio"),
        ("97400", "97411", "Saint-Denis"),
        ("97600", "97611", "Mamoudzou"),
    ],
)
def test_by_postal_code(gazetteer: Gazetteer, postal_code: str, insee: str, name: str) -> None:
    found = gazetteer.by_postal_code(postal_code)
    assert found, postal_code
    assert (found[0].insee, found[0].name) == (insee, name)


@pytest.mark.parametrize(
    ("postal_code", "insee", "parent"),
    [
        ("75001", "75101", "75056"),
        ("75116", "75116", "75056"),
        ("69003", "69383", "69123"),
        ("13008", "13208", "13055"),
    ],
)
def test_postal_code_of_an_arrondissement(
    gazetteer: Gazetteer, postal_code: str, insee: str, parent: str
) -> None:
    found = gazetteer.by_postal_code(postal_code)
    assert insee_codes(found) == [insee]
    assert found[0].kind == "arrondissement"
    assert found[0].parent == parent


def test_postal_codes_sorted_by_population(gazetteer: Gazetteer) -> None:
    found = gazetteer.by_postal_code("37160")
    populations = [c.population for c in found]
    assert populations == sorted(populations, reverse=True)
    assert len(found) > 3


@pytest.mark.parametrize("postal_code", ["37160", "05700", "01410", "48250", "01590"])
def test_cross_region_postal_codes(gazetteer: Gazetteer, postal_code: str) -> None:
    found = gazetteer.by_postal_code(postal_code)
    assert len({c.region for c in found}) >= 2, [(c.name, c.region) for c in found]
    assert all(postal_code in c.postal_codes for c in found)


@pytest.mark.parametrize(
    ("postal_code", "departement", "names"),
    [
        ("97500", "975", {"Saint-Pierre", "Miquelon-Langlade"}),
        ("97133", "977", {"Saint-Barthélemy"}),
        ("97150", "978", {"Saint-Martin"}),
        ("98714", "987", {"Papeete"}),
    ],
)
def test_collectivites_d_outre_mer_have_no_region(
    gazetteer: Gazetteer, postal_code: str, departement: str, names: set[str]
) -> None:
    found = gazetteer.by_postal_code(postal_code)
    assert {c.name for c in found} == names
    assert all(c.region is None and c.departement == departement for c in found)


def test_monaco_is_not_french(gazetteer: Gazetteer) -> None:
    assert gazetteer.by_postal_code("98000") == []
    assert gazetteer.search("98000") == []
    assert gazetteer.search("Monaco") == []


def test_unknown_postal_code(gazetteer: Gazetteer) -> None:
    assert gazetteer.by_postal_code("00000") == []
    assert gazetteer.by_postal_code("") == []


# --- search --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["st etienne", "SAINT-ÉTIENNE", "saint-etienne", "St-Étienne", " saint étienne "]
)
def test_search_is_insensitive_to_accents_case_hyphens_and_abbreviations(
    gazetteer: Gazetteer, text: str
) -> None:
    found = gazetteer.search(text)
    assert found[0].insee == "42218"
    assert all(normalise(c.name).startswith("saint etienne") for c in found[:3])


def test_search_st_malo(gazetteer: Gazetteer) -> None:
    found = gazetteer.search("st malo")
    assert found[0].insee == "35288"
    assert found[0].label == "Saint-Malo (35400)"


@pytest.mark.parametrize("text", ["cherbourg", "Cherbourg-Octeville", "cherbourg oct"])
def test_search_finds_communes_nouvelles_by_former_name(gazetteer: Gazetteer, text: str) -> None:
    assert gazetteer.search(text)[0].insee == "50129"  # Cherbourg-en-Cotentin


def test_search_exact_name_first_then_population(gazetteer: Gazetteer) -> None:
    found = gazetteer.search("paris", limit=5)
    assert found[0].insee == "75056"
    assert all(c.kind == "arrondissement" for c in found[1:])
    populations = [c.population for c in found[1:]]
    assert populations == sorted(populations, reverse=True)
    # an exact name beats a more populous prefix match
    evry = gazetteer.search("Évry")
    assert (evry[0].name, evry[0].departement) == ("Évry", "89")
    assert evry[1].insee == "91228"  # Évry-Courcouronnes


def test_search_later_word(gazetteer: Gazetteer) -> None:
    assert "35288" in insee_codes(gazetteer.search("malo"))


def test_search_limit_and_no_duplicates(gazetteer: Gazetteer) -> None:
    for text in ("saint", "la", "sainte marie", "mont", "35", "13"):
        found = gazetteer.search(text, limit=25)
        assert len(found) == 25, text
        assert len(set(insee_codes(found))) == 25, text
    assert len(gazetteer.search("saint")) == 10
    assert gazetteer.search("saint", limit=0) == []


def test_search_nothing(gazetteer: Gazetteer) -> None:
    assert gazetteer.search("") == []
    assert gazetteer.search("  -  ") == []
    assert gazetteer.search("xqzw") == []


@pytest.mark.parametrize("prefix", ["29", "292", "2920", "29200", "350", "971"])
def test_search_by_postal_code_prefix(gazetteer: Gazetteer, prefix: str) -> None:
    found = gazetteer.search(prefix)
    assert found
    assert all(any(code.startswith(prefix) for code in c.postal_codes) for c in found)


def test_search_by_postal_code_ranks_exact_code_then_population(gazetteer: Gazetteer) -> None:
    assert gazetteer.search("29200")[0].insee == "29019"
    assert gazetteer.search("29")[0].insee == "29019"  # Brest, the most populous
    paris = gazetteer.search("750", limit=20)
    assert len(paris) == 20
    assert all(c.kind == "arrondissement" and c.parent == "75056" for c in paris)


# --- by area -------------------------------------------------------------------------------


def test_communes_in_region(gazetteer: Gazetteer) -> None:
    ile_de_france = gazetteer.communes_in_region("11")
    assert "75056" in insee_codes(ile_de_france)
    assert all(c.kind == "commune" and c.region == "11" for c in ile_de_france)
    assert 1_200 < len(ile_de_france) < 1_300
    corse = gazetteer.communes_in_region("94")
    assert {c.departement for c in corse} == {"2A", "2B"}
    assert gazetteer.communes_in_region("975") == []
    assert len(gazetteer.communes_in_region("06")) == 17  # Mayotte
    total = sum(len(gazetteer.communes_in_region(region)) for region in LOT_REGIONS)
    communes = sum(1 for c in gazetteer if c.kind == "commune")
    assert total == communes - sum(1 for c in gazetteer if c.region is None)


def test_communes_in_departement(gazetteer: Gazetteer) -> None:
    finistere = gazetteer.communes_in_departement("29")
    assert "29019" in insee_codes(finistere)
    assert all(c.departement == "29" for c in finistere)
    assert insee_codes(gazetteer.communes_in_departement("2a")) == insee_codes(
        gazetteer.communes_in_departement("2A")
    )
    assert insee_codes(gazetteer.communes_in_departement("75")) == ["75056"]
    assert gazetteer.communes_in_departement("99") == []


# --- loading -------------------------------------------------------------------------------


def test_get_gazetteer_is_a_singleton() -> None:
    assert get_gazetteer() is get_gazetteer()


def write_data(path: Path, rows: list[str], header: tuple[str, ...] = COLUMNS) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        stream.write("\t".join(header) + "\n")
        for row in rows:
            stream.write(row + "\n")
    return path


def test_load_a_given_file(tmp_path: Path) -> None:
    path = write_data(
        tmp_path / "mini.tsv.gz",
        [
            "13055\tMarseille\t13001 13002\t13\t93\t870000\t43.29695\t5.38107"
            "\tcommune\t\tgeonames\t",
            "13201\tMarseille 1er Arrondissement\t13001\t13\t93\t40000\t43.29814\t5.38407"
            "\tarrondissement\t13055\tgeonames\t",
            "50129\tCherbourg-en-Cotentin\t50100 50110\t50\t28\t78000\t49.63984\t-1.61636"
            "\tcommune\t\tgeonames\tCherbourg-Octeville|Tourlaville",
            "97502\tSaint-Pierre\t97500\t975\t\t5194\t46.77914\t-56.1773\tcommune\t\tgeonames\t",
        ],
    )
    mini = Gazetteer.load(path)
    assert len(mini) == 4
    assert insee_codes(mini.by_postal_code("13001")) == ["13201"]
    assert insee_codes(mini.by_postal_code("13002")) == ["13055"]
    assert insee_codes(mini.search("tourlaville")) == ["50129"]
    assert mini.aliases("50129") == ("Cherbourg-Octeville", "Tourlaville")
    saint_pierre = mini.by_insee("97502")
    assert saint_pierre is not None and saint_pierre.region is None
    assert mini.communes_in_region("93") == [mini.by_insee("13055")]


def test_load_rejects_an_unexpected_header(tmp_path: Path) -> None:
    path = write_data(tmp_path / "bad.tsv.gz", [], header=("code", "name"))
    with pytest.raises(ValueError, match="header"):
        Gazetteer.load(path)
