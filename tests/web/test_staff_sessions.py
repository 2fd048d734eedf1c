"""Staff sessions are server-side: sign-out, sign out everywhere, a new password, the idle and
the absolute timeouts end them, and a cookie copied before that opens nothing after."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.auth.models import UserSession
from portal.extensions import db
from tests.web.test_staff_sign_in import (
    MANAGER,
    member,
    sign_in,
    staff_passwords,  # noqa: F401 (the fixture, used by the whole module)
)

DOSSIER = "/pro/dossiers/1"  # the page of the finding

pytestmark = pytest.mark.usefixtures("staff_passwords")


def session_cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def replay(app: Flask, cookie: str) -> FlaskClient:
    """Another browser carrying a copy of the cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief


def sessions_of(app: Flask, email: str) -> list[UserSession]:
    with app.app_context():
        staff_id = member(email).id
        return list(
            db.session.scalars(
                select(UserSession)
                .where(UserSession.staff_member_id == staff_id)
                .order_by(UserSession.id)
            )
        )


def test_a_cookie_copied_before_sign_out_opens_nothing_after_it(
    app: Flask, client: FlaskClient
) -> None:
    assert sign_in(client, MANAGER).status_code == 303
    copied = session_cookie(client)
    assert replay(app, copied).get("/pro/").status_code == 200  # the copy works while signed in
    assert client.post("/pro/deconnexion").status_code == 303

    response = replay(app, copied).get(DOSSIER)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/pro/connexion?next={DOSSIER}"
    htmx = replay(app, copied).get("/pro/sites?q=ren", headers={"HX-Request": "true"})
    assert htmx.status_code == 401 and htmx.headers["HX-Redirect"].startswith("/pro/connexion")
    (record,) = sessions_of(app, MANAGER)
    assert record.revoked_at is not None
    assert len(record.key_sha256) == 64  # only the key's hash is stored


def test_sign_out_everywhere_ends_another_browsers_session(app: Flask, client: FlaskClient) -> None:
    other = app.test_client()
    sign_in(client, MANAGER)
    sign_in(other, MANAGER)
    home = client.get("/pro/").data.decode()
    assert "Se déconnecter partout" in home
    response = client.post("/pro/deconnexion-partout")
    assert response.status_code == 303 and response.headers["Location"] == "/pro/connexion"
    assert (
        "Vous êtes déconnecté(e) sur tous vos appareils."
        in client.get("/pro/connexion").data.decode()
    )
    for browser in (client, other):
        assert browser.get("/pro/").status_code == 303
    assert all(record.revoked_at is not None for record in sessions_of(app, MANAGER))


def test_sign_out_everywhere_needs_a_signed_in_member(client: FlaskClient) -> None:
    response = client.post("/pro/deconnexion-partout")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/pro/connexion")


def shift_session(app: Flask, email: str, **back: timedelta) -> None:
    """Time passes for the member's session: each named moment moves into the past."""
    with app.app_context():
        staff_id = member(email).id
        for record in db.session.scalars(
            select(UserSession).where(UserSession.staff_member_id == staff_id)
        ):
            for name, delta in back.items():
                setattr(record, name, getattr(record, name) - delta)
        db.session.commit()


def test_thirty_idle_minutes_sign_the_member_out(app: Flask, client: FlaskClient) -> None:
    sign_in(client, MANAGER)
    shift_session(app, MANAGER, last_seen_at=timedelta(minutes=29))
    assert client.get("/pro/").status_code == 200  # 29 minutes idle: still in, and seen now
    (record,) = sessions_of(app, MANAGER)
    assert record.revoked_at is None
    assert record.last_seen_at - record.created_at < timedelta(minutes=1)  # the touch is saved
    shift_session(app, MANAGER, last_seen_at=timedelta(minutes=30))
    response = client.get(DOSSIER)
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/pro/connexion")
    (record,) = sessions_of(app, MANAGER)
    assert record.revoked_at is not None


def test_ten_hours_after_sign_in_the_session_ends_even_in_use(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(client, MANAGER)
    # Signed in 10 hours ago, busy all along (seen a minute ago): the absolute end holds.
    shift_session(
        app,
        MANAGER,
        created_at=timedelta(hours=10),
        expires_at=timedelta(hours=10),
        last_seen_at=timedelta(minutes=1),
    )
    response = client.get("/pro/")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/pro/connexion")
