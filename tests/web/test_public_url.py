"""The links of every e-mail start with the public address: PUBLIC_URL (or PUBLIC_BASE_URL,
its older name); in development without either, the address the browser used (`make run` on
another $PORT); in production never the Host header (issue 10)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from portal import config
from portal.extensions import db
from portal.mail.models import OutboxMessage
from portal.urls import public_url
from tests.mail_data import text_as_sent
from tests.other_apps import other_app
from tests.workspace_data import person


def _as_make_run(monkeypatch: pytest.MonkeyPatch, port: str | None) -> None:
    """The environment `make run PORT=…` gives the server: no public address set."""
    for name in ("PUBLIC_URL", "PUBLIC_BASE_URL", "TRUSTED_HOSTS", "PORT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PORTAL_ENV", "development")
    if port:
        monkeypatch.setenv("PORT", port)


def _sign_in_link(app: Flask, base_url: str) -> str:
    with app.app_context():
        email = person(db.session).email
        db.session.commit()
    response = app.test_client().post("/mon-espace/lien", data={"email": email}, base_url=base_url)
    assert response.status_code == 303
    with app.app_context():
        message = db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.to_address == email.lower())
            .order_by(OutboxMessage.id.desc())
        ).first()
        assert message is not None
        found = re.search(r"https?://\S+/mon-espace/connexion/\S+", text_as_sent(app, message))
        assert found is not None
        return found.group(0)


def test_make_run_on_another_port_mails_links_to_that_port(
    app: Flask, monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: Path
) -> None:
    _as_make_run(monkeypatch, "5097")
    loaded = config.load(tmp_path)
    assert loaded["PUBLIC_BASE_URL"] == "http://127.0.0.1:5097"
    with other_app(
        database_url, tmp_path, PUBLIC_URL_FROM_REQUEST=loaded["PUBLIC_URL_FROM_REQUEST"]
    ) as served:
        link = _sign_in_link(served, "http://127.0.0.1:5097")
        assert link.startswith("http://127.0.0.1:5097/mon-espace/connexion/")
        # Opened as « localhost », the link follows the browser's own address.
        assert _sign_in_link(served, "http://localhost:5097").startswith("http://localhost:5097/")
        # Outside a request (cron), the loopback address on $PORT.
        with served.app_context():
            assert public_url("space.home") == "http://127.0.0.1:5097/mon-espace"


def test_public_url_wins_and_the_older_name_is_still_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _as_make_run(monkeypatch, "5097")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://old.example.fr/")
    assert config.load(tmp_path)["PUBLIC_BASE_URL"] == "https://old.example.fr"
    assert config.load(tmp_path)["PUBLIC_URL_FROM_REQUEST"] is False
    monkeypatch.setenv("PUBLIC_URL", "https://cep.example.fr")
    assert config.load(tmp_path)["PUBLIC_BASE_URL"] == "https://cep.example.fr"
    _as_make_run(monkeypatch, None)
    assert config.load(tmp_path)["PUBLIC_BASE_URL"] == "http://127.0.0.1:5000"


def test_production_without_a_public_url_never_follows_the_host(
    app: Flask, monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: Path
) -> None:
    _as_make_run(monkeypatch, "5097")
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("TRUSTED_HOSTS", "cep.example.fr")
    loaded = config.load(tmp_path)
    assert loaded["PUBLIC_URL_FROM_REQUEST"] is False
    # The server itself runs as in development (no SMS provider here), with that setting.
    monkeypatch.setenv("PORTAL_ENV", "development")
    with other_app(
        database_url,
        tmp_path,
        PUBLIC_URL_FROM_REQUEST=loaded["PUBLIC_URL_FROM_REQUEST"],
        TRUSTED_HOSTS=None,
    ) as served:
        link = _sign_in_link(served, "http://evil.example")
        assert "evil.example" not in link
        assert link.startswith("http://127.0.0.1:5097/")
