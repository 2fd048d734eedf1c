"""Place resolution on the real gazetteer: the locator's edge cases."""

from __future__ import annotations

import pytest

from portal.geo.gazetteer import get_gazetteer
from portal.locator import places
from portal.locator.places import Ambiguous, Place, PlaceError, PlaceErrorCode

G = get_gazetteer()


@pytest.mark.parametrize("code", ["37160", "05700", "01410", "48250", "01590"])
def test_a_postal_code_across_two_regions_asks_for_the_commune(code: str) -> None:
    found = places.by_postal_code(G, code)
    assert isinstance(found, Ambiguous)
    assert len({c.region for c in found.candidates}) == 2


def test_a_postal_code_of_several_communes_in_one_region_is_found_at_their_centre() -> None:
    found = places.by_postal_code(G, "22100")  # Dinan and its neighbours, all in Bretagne
    assert isinstance(found, Place)
    assert len(found.communes) > 1
    assert found.lot is not None and found.lot.number == 10
    lats = [c.latitude for c in found.communes]
    assert min(lats) <= found.latitude <= max(lats)


@pytest.mark.parametrize(
    ("code", "territory"),
    [
        ("98000", "Monaco"),
        ("97500", "Saint-Pierre-et-Miquelon"),
        ("97133", "Saint-Barthélemy"),
        ("97150", "Saint-Martin"),
        ("98800", "Nouvelle-Calédonie"),
        ("98714", "Polynésie française"),
    ],
)
def test_territories_outside_every_lot_are_named(code: str, territory: str) -> None:
    found = places.by_postal_code(G, code)
    assert isinstance(found, Place)
    assert found.lot is None
    assert found.outside_lots == territory


@pytest.mark.parametrize(
    ("code", "lot"),
    [
        ("20000", 16),
        ("20200", 16),
        ("97400", 13),
        ("97110", 14),
        ("97200", 15),
        ("97300", 17),
        ("97600", 18),
        ("75001", 1),
        ("13008", 7),
        ("69003", 2),
    ],
)
def test_corsica_overseas_and_arrondissements_belong_to_their_lot(code: str, lot: int) -> None:
    found = places.by_postal_code(G, code)
    assert isinstance(found, Place)
    assert found.lot is not None and found.lot.number == lot


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("3500", PlaceErrorCode.MALFORMED_POSTAL_CODE),
        ("350000", PlaceErrorCode.MALFORMED_POSTAL_CODE),
        ("00000", PlaceErrorCode.UNKNOWN_POSTAL_CODE),
        ("", PlaceErrorCode.EMPTY),
        ("Xyzzyville", PlaceErrorCode.UNKNOWN_COMMUNE),
        ("%%%", PlaceErrorCode.UNKNOWN_COMMUNE),
    ],
)
def test_bad_input_raises_a_typed_error(text: str, code: PlaceErrorCode) -> None:
    with pytest.raises(PlaceError) as error:
        places.from_text(G, text)
    assert error.value.code is code


def test_text_resolution_accepts_names_labels_and_spaced_postal_codes() -> None:
    malo = places.from_text(G, "st-malo")
    assert isinstance(malo, Place) and malo.commune is not None
    assert malo.commune.insee == "35288"
    label = places.from_text(G, "Saint-Malo (35400)")
    assert isinstance(label, Place) and label.commune == malo.commune
    spaced = places.from_text(G, "35 400")
    assert isinstance(spaced, Place) and spaced.postal_code == "35400"


def test_a_name_shared_by_several_communes_asks_which_one() -> None:
    found = places.from_text(G, "Saint-Denis")
    assert isinstance(found, Ambiguous)
    assert {"93066", "97411"} <= {c.insee for c in found.candidates}


def test_insee_lookup_checks_the_postal_code() -> None:
    assert places.by_insee(G, "2a004").commune.name == "Ajaccio"  # type: ignore[union-attr]
    with pytest.raises(PlaceError) as error:
        places.by_insee(G, "35238", "29200")
    assert error.value.code is PlaceErrorCode.COMMUNE_NOT_IN_POSTAL_CODE
    with pytest.raises(PlaceError) as malformed:
        places.by_insee(G, "ABCDE")
    assert malformed.value.code is PlaceErrorCode.MALFORMED_INSEE
