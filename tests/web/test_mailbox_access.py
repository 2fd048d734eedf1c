"""/dev/mailbox: only with PORTAL_ENV=development, and only from this machine (issue 10)."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient


@pytest.fixture
def development(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "mailbox")
    monkeypatch.setitem(app.config, "PORTAL_ENV", "development")


@pytest.mark.parametrize("address", ["127.0.0.1", "127.0.0.2", "::1"])
def test_the_mailbox_opens_from_loopback_in_development(
    client: FlaskClient, development: None, address: str
) -> None:
    response = client.get("/dev/mailbox", environ_base={"REMOTE_ADDR": address})
    assert response.status_code == 200
    assert "Boîte aux lettres" in response.get_data(as_text=True)


@pytest.mark.parametrize("env", ["production", "staging", "test"])
def test_the_mailbox_is_closed_outside_development(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch, env: str
) -> None:
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "mailbox")
    monkeypatch.setitem(app.config, "PORTAL_ENV", env)
    assert client.get("/dev/mailbox").status_code == 404
    assert client.post("/dev/mailbox/send").status_code == 404


def test_the_mailbox_is_closed_to_another_machine(client: FlaskClient, development: None) -> None:
    outside = {"REMOTE_ADDR": "203.0.113.7"}
    response = client.get("/dev/mailbox", environ_base=outside)
    assert response.status_code == 404
    assert "Page introuvable" in response.get_data(as_text=True)


def test_a_forwarded_request_is_not_from_this_machine(
    client: FlaskClient, development: None
) -> None:
    # A reverse proxy on loopback connects from 127.0.0.1 for everyone; X-Forwarded-For can
    # neither open the page (a forged 127.0.0.1) nor be ignored (a real proxy's client).
    for header in ({"X-Forwarded-For": "127.0.0.1"}, {"Forwarded": "for=198.51.100.4"}):
        assert client.get("/dev/mailbox", headers=header).status_code == 404
