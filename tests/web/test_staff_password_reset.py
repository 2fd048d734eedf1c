"""« Mot de passe oublié ? »: the same answer for anybody, a single-use link built from
PUBLIC_BASE_URL (never the Host header) valid 30 minutes, the new password typed twice, and
every other session of the member signed out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.auth.links import create_staff_link
from portal.auth.models import StaffLink, StaffLinkPurpose
from portal.db import utcnow
from portal.extensions import db
from portal.mail.models import OutboxMessage
from tests.web.test_staff_sign_in import (
    ADVISOR,
    PASSWORD,
    member,
    sign_in,
    staff_link_in_outbox,
    staff_passwords,  # noqa: F401 (the fixture, used by the whole module)
    text_of,
)

NEW = "une nouvelle phrase de passe"

pytestmark = pytest.mark.usefixtures("staff_passwords")


def ask(client: FlaskClient, email: str, **headers: str) -> str:
    response = client.post("/pro/mot-de-passe-oublie", data={"email": email}, headers=headers)
    assert response.status_code == 303 and response.headers["Location"] == "/pro/lien-envoye"
    return text_of(client.get("/pro/lien-envoye").data)


def test_the_sign_in_page_offers_a_forgotten_password_link(client: FlaskClient) -> None:
    page = client.get("/pro/connexion").data.decode()
    assert 'href="/pro/mot-de-passe-oublie">Mot de passe oublié ?</a>' in page
    form = client.get("/pro/mot-de-passe-oublie")
    assert form.status_code == 200
    assert "Adresse e-mail professionnelle" in text_of(form.data)


def test_the_answer_is_the_same_for_a_known_and_an_unknown_address(
    app: Flask, client: FlaskClient
) -> None:
    unknown = "inconnu@lot10.cep-demo.example"
    assert ask(client, unknown) == ask(client, ADVISOR)
    assert "Si cette adresse est celle d'un compte" in ask(client, unknown)
    with app.app_context():
        recipients = db.session.scalars(
            select(OutboxMessage.to_address).where(OutboxMessage.topic == "staff:reset")
        ).all()
    assert ADVISOR in recipients and unknown not in recipients


def test_an_empty_address_is_asked_for_again(client: FlaskClient) -> None:
    response = client.post("/pro/mot-de-passe-oublie", data={"email": "  "})
    assert response.status_code == 422
    assert "Indiquez votre adresse e-mail." in text_of(response.data)


def test_the_whole_reset_signs_in_and_ends_every_other_session(
    app: Flask, client: FlaskClient
) -> None:
    elsewhere = app.test_client()
    sign_in(elsewhere, ADVISOR)
    assert elsewhere.get("/pro/").status_code == 200

    # A forged Host header is refused outright (TRUSTED_HOSTS), and nothing is mailed.
    def resets() -> int:
        with app.app_context():
            query = select(func.count()).where(OutboxMessage.topic == "staff:reset")
            return db.session.scalar(query) or 0

    before = resets()
    forged = client.post(
        "/pro/mot-de-passe-oublie", data={"email": ADVISOR}, headers={"Host": "evil.example"}
    )
    assert forged.status_code == 400
    assert resets() == before
    ask(client, ADVISOR)
    link = staff_link_in_outbox(app, ADVISOR, "staff:reset")
    with app.app_context():
        message = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.topic == "staff:reset")
        ).first()
        assert message is not None and "evil.example" not in message.body_text
        stored = db.session.scalars(select(StaffLink)).one()
        assert len(stored.token_sha256) == 64 and link.rsplit("/", 1)[1] not in message.subject

    page = client.get(link)
    assert page.status_code == 200
    assert "Choisir un nouveau mot de passe" in text_of(page.data)
    assert client.get(link).status_code == 200  # opening the link uses nothing up
    token = link.rsplit("/", 1)[1]
    response = client.post(
        "/pro/mot-de-passe", data={"token": token, "password": NEW, "confirm": NEW}
    )
    assert response.status_code == 303 and response.headers["Location"] == "/pro/"
    home = client.get("/pro/")
    assert home.status_code == 200
    assert "Votre nouveau mot de passe est enregistré." in text_of(home.data)
    assert elsewhere.get("/pro/").status_code == 303  # the other browser is signed out

    # The link is spent; the old password is gone, the new one works.
    again = app.test_client().get(link)
    assert again.status_code == 404 and "Ce lien n'est plus valable" in text_of(again.data)
    reuse = app.test_client().post(
        "/pro/mot-de-passe", data={"token": token, "password": NEW, "confirm": NEW}
    )
    assert reuse.status_code == 404
    assert sign_in(app.test_client(), ADVISOR, PASSWORD).status_code == 422
    assert sign_in(app.test_client(), ADVISOR, NEW).status_code == 303


def test_mismatched_or_short_passwords_are_refused_in_french_and_english(
    app: Flask, client: FlaskClient
) -> None:
    ask(client, ADVISOR)
    token = staff_link_in_outbox(app, ADVISOR, "staff:reset").rsplit("/", 1)[1]
    cases = [
        (
            "",
            {"password": NEW, "confirm": NEW + "!"},
            "Les deux mots de passe ne sont pas identiques.",
        ),
        ("", {"password": "court", "confirm": "court"}, "au moins 12 caractères"),
        ("?lang=en", {"password": NEW, "confirm": "autre"}, "The two passwords are not the same."),
        ("?lang=en", {"password": "short", "confirm": "short"}, "at least 12 characters"),
    ]
    for query, data, message in cases:
        response = client.post(f"/pro/mot-de-passe{query}", data={"token": token, **data})
        assert response.status_code == 422
        page = text_of(response.data)
        assert message in page
        assert f'value="{data["password"]}"' not in response.data.decode()  # never sent back
    # Nothing was used up: the right form still goes through.
    ok = client.post("/pro/mot-de-passe", data={"token": token, "password": NEW, "confirm": NEW})
    assert ok.status_code == 303


def test_an_expired_link_is_refused(app: Flask) -> None:
    with app.app_context():
        token = create_staff_link(
            db.session,
            staff=member(ADVISOR),
            purpose=StaffLinkPurpose.RESET,
            now=utcnow() - timedelta(minutes=31),
            minutes=30,
            max_per_hour=10,
        )
        db.session.commit()
    assert token is not None
    client = app.test_client()
    assert client.get(f"/pro/mot-de-passe/{token}").status_code == 404
    response = client.post(
        "/pro/mot-de-passe", data={"token": token, "password": NEW, "confirm": NEW}
    )
    assert response.status_code == 404
    assert "Ce lien n'est plus valable" in text_of(response.data)


def test_requests_are_limited_per_address_and_hour(app: Flask, client: FlaskClient) -> None:
    for _ in range(7):
        ask(client, ADVISOR)
    with app.app_context():
        count = db.session.scalar(
            select(func.count(StaffLink.id)).where(StaffLink.staff_member_id == member(ADVISOR).id)
        )
    assert count == app.config["STAFF_LINKS_PER_HOUR"]
