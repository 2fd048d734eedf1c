"""Branded error pages in French and English, JSON errors on the API (portal/errors.py)."""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, abort
from flask.testing import FlaskClient

from tests.other_apps import other_app


def text_of(body: bytes) -> str:
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body.decode())))


@pytest.fixture(scope="module")
def failing_app(
    app: Flask, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    """An application whose test-only routes fail in every way; exceptions are not propagated,
    as in production."""
    with other_app(
        database_url, tmp_path_factory.mktemp("errors"), PROPAGATE_EXCEPTIONS=False
    ) as failing:
        yield _with_failing_routes(failing)


def _with_failing_routes(failing: Flask) -> Flask:

    @failing.get("/test-only/status/<int:status>")
    def status(status: int) -> str:
        abort(status)

    @failing.get("/test-only/boom")
    def boom() -> str:
        raise RuntimeError("a bug")

    @failing.get("/api/v1/test-only/boom")
    def api_boom() -> str:
        raise RuntimeError("a bug")

    return failing


PAGES = {
    400: ("Demande incomplète", "Incomplete request", "rechargez-la, puis réessayez"),
    403: ("Accès refusé", "Access denied", "connectez-vous à l'espace professionnel"),
    404: ("Page introuvable", "Page not found", "repartez de l'accueil"),
    405: ("Action impossible depuis cette adresse", "Not possible from this address", "boutons"),
    413: ("Envoi trop volumineux", "Upload too large", "un fichier plus petit"),
    429: ("Trop de demandes", "Too many requests", "Patientez quelques minutes"),
    500: ("Erreur du site", "Site error", "réessayez dans quelques minutes"),
}


@pytest.mark.parametrize("status", sorted(PAGES))
def test_each_error_has_a_branded_page_in_french_and_english(
    failing_app: Flask, status: int
) -> None:
    french, english, next_step = PAGES[status]
    client = failing_app.test_client()
    response = client.get(f"/test-only/status/{status}")
    assert response.status_code == status
    page = text_of(response.data)
    assert f"{french} — Conseil en évolution professionnelle" in page  # the title
    assert f"Erreur {status}" in page and next_step in page
    assert "médiateur de France compétences" in page  # the layout's footer
    assert "Retour à l'accueil" in page
    assert response.headers["Content-Security-Policy"]
    response = client.get(f"/test-only/status/{status}?lang=en")
    assert response.status_code == status
    page = text_of(response.data)
    assert f"{english} — " in page and f"Error {status}" in page
    assert "Back to the home page" in page


def test_a_bug_answers_the_branded_500_page(failing_app: Flask) -> None:
    response = failing_app.test_client().get("/test-only/boom")
    assert response.status_code == 500
    page = text_of(response.data)
    assert "Erreur du site" in page and "a bug" not in page
    assert "Votre dernière action n'a peut-être pas été enregistrée" in page


def test_a_wrong_method_keeps_its_allow_header(client: FlaskClient) -> None:
    response = client.delete("/rendez-vous/reserver")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]
    assert "Action impossible depuis cette adresse" in text_of(response.data)


def test_an_unknown_page_and_a_forged_link(client: FlaskClient) -> None:
    response = client.get("/nulle-part")
    assert response.status_code == 404
    assert "Page introuvable" in text_of(response.data)
    forged = client.get("/rendez-vous/gerer/not-a-token")
    assert forged.status_code == 404
    assert "Ce lien n'est pas valide" in text_of(forged.data)


def test_api_errors_are_json_in_the_clients_language(failing_app: Flask) -> None:
    client = failing_app.test_client()
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json == {
        "error": {
            "code": "not_found",
            "message": "Cette page n'existe pas ou n'est plus disponible.",
        }
    }
    english = client.get("/api/v1/nothing-here", headers={"Accept-Language": "en"})
    assert english.json == {
        "error": {
            "code": "not_found",
            "message": "This page does not exist or is no longer available.",
        }
    }
    wrong = client.post("/api/v1/orientation")
    assert wrong.status_code == 405 and wrong.json["error"]["code"] == "method_not_allowed"
    bug = client.get("/api/v1/test-only/boom", headers={"Accept-Language": "en"})
    assert bug.status_code == 500
    assert bug.json["error"]["code"] == "server_error"
    assert bug.json["error"]["message"].startswith("Something went wrong on our side")


def test_the_invalid_link_page_stays_for_a_tampered_token(
    app: Flask, database_url: str, tmp_path: Path
) -> None:
    with other_app(database_url, tmp_path) as english:
        response = english.test_client().get("/rendez-vous/gerer/abc?lang=en")
    assert response.status_code == 404
    assert "This link is not valid" in text_of(response.data)
