"""A lost CSRF token (cookie lost, session expired) gives the form back with what the person
typed and a message in their language; nothing is done (portal/csrf.py). Every other unsafe
request without a token is refused."""

from __future__ import annotations

import html as htmllib
import re
import uuid
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import func, select, update
from werkzeug.routing.converters import NumberConverter

from portal.booking.models import AppointmentRequest
from portal.csrf import refill_on_lost_token
from portal.network.models import Operator
from portal.orientation.models import OrientationContact
from portal.people.models import Beneficiary
from tests.other_apps import other_app

RENNES = "35238"
FR = "Votre session a expiré ; vérifiez vos informations et envoyez à nouveau."
EN = "Your session has expired; check your details and send again."


def text_of(body: bytes) -> str:
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body.decode())))


def token_in(body: bytes) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', body.decode())
    assert found is not None
    return found.group(1)


@pytest.fixture(scope="module")
def strict(
    app: Flask, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    instance = tmp_path_factory.mktemp("csrf")
    with other_app(database_url, instance, WTF_CSRF_ENABLED=True) as strict:
        yield _with_a_careless_view(strict)


def _with_a_careless_view(strict: Flask) -> Flask:

    @strict.post("/test-only/acts-without-validating")
    @refill_on_lost_token
    def acts() -> str:
        from portal.extensions import db

        db.session.execute(update(Operator).where(Operator.id == -1).values(name="x"))
        return "done"

    return strict


def _requests_of(app: Flask, email: str) -> int:
    """Requests made for this address (the form key is re-issued to a new session, so the
    person is found by what they typed, not by the key)."""
    from portal.extensions import db

    with app.app_context():
        query = (
            select(func.count(AppointmentRequest.id))
            .join(Beneficiary, AppointmentRequest.beneficiary_id == Beneficiary.id)
            .where(Beneficiary.email == email)
        )
        return db.session.scalar(query) or 0


def _booking(strict: Flask) -> tuple[str, dict[str, str]]:
    """The booking form's page as a person opened it, and what they typed in it."""
    client = strict.test_client()
    search = client.get(f"/rendez-vous?commune={RENNES}").data.decode()
    slot = re.findall(r"/rendez-vous/creneau/(\d+)\?", search)[-1]
    page = client.get(f"/rendez-vous/creneau/{slot}?commune={RENNES}")
    typed = {
        "key": uuid.uuid4().hex,
        "commune": RENNES,
        "slot": slot,
        "last_name": "Le Goff-Perdu",
        "first_name": "Maëlle",
        "email": f"maelle.{uuid.uuid4().hex[:8]}@example.org",
        "phone": "06 98 76 54 32",
        "birth_date": "1985-11-02",
        "modality": "presentiel",
        "comment": "Je souhaite changer de métier.",
        "consent": "y",
    }
    return token_in(page.data), typed


def test_a_lost_session_cookie_gives_the_booking_form_back_in_french(strict: Flask) -> None:
    stale, typed = _booking(strict)
    client = strict.test_client()  # the cookie is gone: a new browser session
    response = client.post("/rendez-vous/reserver", data={**typed, "csrf_token": stale})
    assert response.status_code == 422
    html = response.data.decode()
    assert FR in text_of(response.data)
    for name in ("last_name", "first_name", "email", "phone", "birth_date"):
        assert f'value="{htmllib.escape(typed[name], quote=True)}"' in html, name
    assert "Je souhaite changer de métier." in html
    assert "CSRF" not in text_of(response.data)  # no technical message
    assert _requests_of(strict, typed["email"]) == 0
    # The page came back with a fresh token: sending again books.
    fresh = token_in(response.data)
    again = client.post("/rendez-vous/reserver", data={**typed, "csrf_token": fresh})
    assert again.status_code == 303
    assert _requests_of(strict, typed["email"]) == 1


def test_an_expired_token_gives_the_booking_form_back_in_english(strict: Flask) -> None:
    _stale, typed = _booking(strict)
    client = strict.test_client()
    client.get("/langue/en")
    response = client.post("/rendez-vous/reserver", data={**typed, "csrf_token": "expired.token"})
    assert response.status_code == 422
    assert EN in text_of(response.data)
    assert 'value="Le Goff-Perdu"' in response.data.decode()
    assert _requests_of(strict, typed["email"]) == 0


def _contacts(app: Flask) -> int:
    from portal.extensions import db

    with app.app_context():
        return db.session.scalar(select(func.count(OrientationContact.id))) or 0


@pytest.mark.parametrize(("lang", "message"), [("fr", FR), ("en", EN)])
def test_the_front_door_questionnaire_comes_back_filled_in(
    strict: Flask, lang: str, message: str
) -> None:
    client = strict.test_client()
    client.get(f"/langue/{lang}")
    before = _contacts(strict)
    answers = {
        "home": "Brest",
        "work": "Quimper",
        "situation": "salarie_prive",
        "cadre": "0",
        "age": "41",
        "rqth": "1",
        "suivi": "0",
    }
    response = client.post("/", data=answers)
    assert response.status_code == 422
    html = response.data.decode()
    assert message in text_of(response.data)
    assert 'value="Brest"' in html and 'value="Quimper"' in html and 'value="41"' in html
    assert re.search(r'value="salarie_prive"[^>]*checked', html)
    assert _contacts(strict) == before
    again = client.post("/", data={**answers, "csrf_token": token_in(response.data)})
    assert again.status_code == 303 and again.headers["Location"] == "/resultat"


def test_a_staff_sign_in_with_a_lost_token_keeps_the_address_not_the_password(
    strict: Flask,
) -> None:
    client = strict.test_client()
    typed = {"email": "conseiller1@lot16.cep-demo.example", "password": "un mot de passe"}
    response = client.post("/pro/connexion", data={**typed, "csrf_token": "expired.token"})
    assert response.status_code == 422
    assert FR in text_of(response.data)
    html = response.data.decode()
    assert 'value="conseiller1@lot16.cep-demo.example"' in html
    assert "un mot de passe" not in html  # a password is never sent back
    assert "CSRF" not in text_of(response.data)


def test_a_marked_view_that_would_write_without_validating_is_stopped(strict: Flask) -> None:
    response = strict.test_client().post("/test-only/acts-without-validating")
    assert response.status_code == 400
    assert "Session expirée" in text_of(response.data)


def test_every_post_endpoint_refuses_a_request_without_a_token(strict: Flask) -> None:
    client = strict.test_client()
    checked = []
    for rule in strict.url_map.iter_rules():
        if "POST" not in (rule.methods or ()) or rule.endpoint.startswith("api."):
            continue
        values = {
            name: 1 if isinstance(rule._converters[name], NumberConverter) else "x"
            for name in rule.arguments
        }
        path = rule.build(values, append_unknown=False)
        assert path is not None
        response = client.post(path[1], data={"last_name": "X"})
        assert response.status_code >= 400, f"{rule.rule} answered {response.status_code}"
        checked.append(rule.rule)
    assert "/rendez-vous/reserver" in checked and "/pro/connexion" in checked
    assert len(checked) > 20
