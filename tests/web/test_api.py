"""The public JSON API v1: the contract partner sites rely on."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient


def get(client: FlaskClient, url: str, **headers: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    response = client.get(url, headers=headers)
    assert response.is_json
    return response.status_code, response.get_json()


def test_locate_finds_the_lot_operator_and_sites_by_distance(client: FlaskClient) -> None:
    status, body = get(client, "/api/v1/locate?postal_code=35400")
    assert status == 200
    assert body["result"] == "found"
    assert body["lot"] == {"number": 10, "name": "Bretagne", "region_code": "53"}
    assert body["operator"]["name"] == "CEP Bretagne — opérateur de démonstration"
    assert body["candidates"] == []
    sites = body["sites"]
    assert len(sites) == 5
    distances = [s["distance_km"] for s in sites]
    assert distances == sorted(distances)
    first = sites[0]
    assert first["commune"] == "Saint-Malo" and first["distance_km"] == 0.0
    assert set(first) >= {
        "id",
        "name",
        "commune",
        "postal_code",
        "distance_km",
        "modalities",
        "hours",
        "step_free_access",
        "phone",
        "email",
    }
    assert first["modalities"] == ["presentiel", "telephone", "visio"]
    assert any(h["extended"] for h in first["hours"])
    assert "work_lot" not in body


def test_locate_with_a_workplace_in_another_lot_gives_both(client: FlaskClient) -> None:
    _, body = get(client, "/api/v1/locate?postal_code=60200&work_postal_code=75008")
    assert body["result"] == "found"
    assert body["lot"]["number"] == 3
    assert body["work_lot"]["number"] == 1
    assert body["work_operator"]["code"] == "01"
    # Sorted from the workplace: the nearest Île-de-France site is a few kilometres away.
    assert body["work_sites"][0]["distance_km"] < 5
    assert body["sites"][0]["commune"] == "Compiègne"


def test_a_cross_border_worker_from_monaco_is_found_through_the_workplace(
    client: FlaskClient,
) -> None:
    _, body = get(client, "/api/v1/locate?postal_code=98000&work_postal_code=06000")
    assert body["result"] == "found"
    assert body["lot"]["number"] == 7
    assert body["work_lot"]["number"] == 7


def test_an_ambiguous_postal_code_lists_candidates_in_each_lot(client: FlaskClient) -> None:
    status, body = get(client, "/api/v1/locate?postal_code=01590")
    assert status == 200
    assert body["result"] == "ambiguous"
    assert body["field"] == "home"
    lots = {c["lot"]["number"] for c in body["candidates"]}
    assert len(lots) == 2
    insee = body["candidates"][0]["insee"]
    _, resolved = get(client, f"/api/v1/locate?postal_code=01590&commune={insee}")
    assert resolved["result"] == "found"
    assert resolved["lot"] == body["candidates"][0]["lot"]


@pytest.mark.parametrize(
    ("code", "territory"), [("98000", "Monaco"), ("97500", "Saint-Pierre-et-Miquelon")]
)
def test_territories_outside_the_lots_are_not_covered(
    client: FlaskClient, code: str, territory: str
) -> None:
    status, body = get(client, f"/api/v1/locate?postal_code={code}")
    assert status == 200
    assert body["result"] == "not_covered"
    assert body["lot"] is None and body["sites"] == []
    assert body["territory"] == territory
    assert "Apec" in body["message"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("postal_code=abc", "n'est pas un code postal"),
        ("postal_code=3500", "n'est pas un code postal"),
        ("", "postal_code est requis"),
        ("postal_code=00000", "Aucune commune ne porte le code postal 00000"),
        ("postal_code=35400&commune=29019", "ne porte pas ce code postal"),
        ("postal_code=35400&commune=XYZ", "n'est pas un code de commune INSEE"),
        ("postal_code=35400&work_postal_code=1", "n'est pas un code postal"),
        ("postal_code=" + "9" * 50, "trop long"),
    ],
)
def test_malformed_input_answers_400_with_a_message(
    client: FlaskClient, query: str, message: str
) -> None:
    status, body = get(client, f"/api/v1/locate?{query}")
    assert status == 400
    assert body["result"] == "invalid"
    assert message in body["message"]


def test_messages_follow_the_requested_language(client: FlaskClient) -> None:
    _, fr = get(client, "/api/v1/locate?postal_code=abc")
    _, en = get(client, "/api/v1/locate?postal_code=abc&lang=en")
    _, accept = get(
        client, "/api/v1/locate?postal_code=abc", **{"Accept-Language": "en-GB,en;q=0.8"}
    )
    assert "code postal" in fr["message"]
    assert "postcode" in en["message"] or "postal code" in en["message"]
    assert accept["message"] == en["message"]


@pytest.mark.parametrize(
    ("query", "route", "alternatives"),
    [
        ("situation=salarie_prive&age=40", "operateur_regional", []),
        ("situation=salarie_prive&age=40&cadre=1", "apec", ["operateur_regional"]),
        ("situation=interimaire&age=19", "mission_locale", ["operateur_regional"]),
        ("situation=independant&age=50&rqth=1", "cap_emploi", ["operateur_regional"]),
        (
            "situation=demandeur_emploi_avec_activite&age=45",
            "france_travail",
            ["operateur_regional"],
        ),
        ("situation=demandeur_emploi_sans_activite&age=45", "france_travail", []),
        ("situation=agent_public&age=45", "non_eligible", []),
        ("situation=salarie_prive&age=45&suivi_autre_operateur=1", "non_eligible", []),
    ],
)
def test_orientation_routes_as_the_contract_says(
    client: FlaskClient, query: str, route: str, alternatives: list[str]
) -> None:
    status, body = get(client, f"/api/v1/orientation?{query}")
    assert status == 200
    assert body["route"] == route
    assert body["alternatives"] == alternatives
    assert len(body["explanation"]) > 30


@pytest.mark.parametrize(
    "query",
    [
        "situation=pirate&age=40",
        "situation=salarie_prive",
        "situation=salarie_prive&age=abc",
        "situation=salarie_prive&age=7",
        "situation=salarie_prive&age=40&cadre=2",
        "situation=salarie_prive&age=40&rqth=yes",
    ],
)
def test_orientation_rejects_unknown_values(client: FlaskClient, query: str) -> None:
    status, body = get(client, f"/api/v1/orientation?{query}")
    assert status == 400
    assert body["result"] == "invalid" and body["message"]


def test_deadline_api(client: FlaskClient) -> None:
    response = client.get("/api/v1/deadline?requested_on=2026-02-20&commune=57463")
    assert response.status_code == 200
    assert response.json == {
        "deadline": "2026-04-07",
        "working_days": 30,
        "territory": "alsace-moselle",
        "territory_name": "Alsace-Moselle",
        "requested_on": "2026-02-20",
        "commune": "57463",
    }


@pytest.mark.parametrize(
    "query",
    [
        "commune=57463",
        "requested_on=2026-02-30&commune=57463",
        "requested_on=20-02-2026&commune=57463",
        "requested_on=1990-01-01&commune=57463",
        "requested_on=2026-02-20",
        "requested_on=2026-02-20&commune=99999",
        "requested_on=2026-02-20&commune=abc",
    ],
)
def test_deadline_api_rejects_bad_input_with_a_message(client: FlaskClient, query: str) -> None:
    response = client.get(f"/api/v1/deadline?{query}", headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert response.json is not None and response.json["message"]
