"""Links that leave the request are built from PUBLIC_BASE_URL, never from the Host header;
an unknown Host is refused (issue 10, « Phishing sent by the portal »)."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from portal import config
from portal.booking.tokens import request_id_from_token
from portal.mail.models import OutboxMessage
from tests.mail_data import text_as_sent
from tests.other_apps import other_app

RENNES = "35238"
PUBLIC = "https://cep.example.fr"


def _person(slot: str) -> dict[str, str]:
    return {
        "key": uuid.uuid4().hex,
        "commune": RENNES,
        "slot": slot,
        "last_name": "Martin",
        "first_name": "Léa",
        "email": f"lea.{uuid.uuid4().hex[:8]}@example.org",
        "phone": "06 12 34 56 78",
        "birth_date": "1990-05-04",
        "modality": "presentiel",
        "consent": "y",
    }


def test_a_booking_posted_with_a_forged_host_mails_the_public_link(
    app: Flask, database_url: str, tmp_path: Path
) -> None:
    # Host checking off, to prove that the link no longer depends on it at all.
    with other_app(database_url, tmp_path, TRUSTED_HOSTS=None, PUBLIC_BASE_URL=PUBLIC) as app:
        _book_with_a_forged_host(app)


def _book_with_a_forged_host(app: Flask) -> None:
    client = app.test_client()
    evil = {"Host": "evil.example"}
    search = client.get(f"/rendez-vous?commune={RENNES}", headers=evil).get_data(as_text=True)
    slot = re.findall(r"/rendez-vous/creneau/(\d+)\?", search)[-1]
    data = _person(slot)
    response = client.post("/rendez-vous/reserver", data=data, headers=evil)
    assert response.status_code == 303
    token = response.headers["Location"].rsplit("/", 1)[-1]
    with app.app_context():
        from portal.extensions import db

        mail = db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.to_address == data["email"])
        )
        assert mail is not None
        # The link as delivered (its token is sealed in the outbox) names the same booking.
        sent = re.search(re.escape(PUBLIC) + r"/rendez-vous/gerer/(\S+)", text_as_sent(app, mail))
        assert sent is not None
        secret = app.config["SECRET_KEY"]
        assert request_id_from_token(secret, sent[1]) == request_id_from_token(secret, token)
        assert f'href="{PUBLIC}/rendez-vous/gerer/' in mail.body_html
        assert "evil.example" not in mail.body_text + mail.body_html
        invitation = next(a for a in mail.attachments if a.filename.endswith(".ics"))
        assert b"evil.example" not in invitation.content
    ics = client.get(f"/rendez-vous/gerer/{token}/rendez-vous.ics", headers=evil)
    assert ics.status_code == 200
    unfolded = ics.data.replace(b"\r\n ", b"")
    assert f"{PUBLIC}/rendez-vous/gerer/".encode() in unfolded
    assert b"evil.example" not in unfolded


def test_an_unknown_host_is_refused(app: Flask) -> None:
    client = app.test_client()
    response = client.post("/rendez-vous/reserver", data={}, headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "Hôte inconnu" in response.get_data(as_text=True)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/", headers={"Host": "localhost:5000"}).status_code == 200


def test_trusted_hosts_default_to_the_public_host(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://cep.example.fr")
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.delenv("TRUSTED_HOSTS", raising=False)
    assert config.load(tmp_path)["TRUSTED_HOSTS"] == ["cep.example.fr"]
    monkeypatch.setenv("PORTAL_ENV", "development")
    assert config.load(tmp_path)["TRUSTED_HOSTS"] == ["cep.example.fr", "localhost", "127.0.0.1"]
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("TRUSTED_HOSTS", "cep.example.fr, .cep.example.fr")
    assert config.load(tmp_path)["TRUSTED_HOSTS"] == ["cep.example.fr", ".cep.example.fr"]
