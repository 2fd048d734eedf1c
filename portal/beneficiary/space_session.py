"""The beneficiary space's server-side session, as the web layer sees it.

Opening the space puts a random key in the session cookie (`SPACE_SESSION_KEY`) and a row
with its SHA-256 in `user_session`. Every request with a key checks the row: signed out
(here or everywhere) or past BENEFICIARY_SESSION_HOURS means the space is closed, so a cookie
copied before sign-out opens nothing.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, g, request, session

from portal.auth.models import SessionKind
from portal.auth.sessions import SessionPolicy, live_session, needs_saving, revoke_session
from portal.db import utcnow
from portal.extensions import db

# The session cookie's entry that holds the key of the space's server-side session.
SPACE_SESSION_KEY = "space_session"


def space_policy() -> SessionPolicy:
    # An absolute end, no idle timeout: a person reads their documents at their own pace.
    return SessionPolicy(lifetime=timedelta(hours=current_app.config["BENEFICIARY_SESSION_HOURS"]))


def signed_in_email() -> str | None:
    """The address whose space is open in this browser: its server-side session must still
    hold (not signed out, within BENEFICIARY_SESSION_HOURS). Looked up once per request."""
    if "space_email" not in g:
        key = session.get(SPACE_SESSION_KEY)
        record = (
            live_session(
                db.session,
                key=key,
                kind=SessionKind.BENEFICIARY,
                now=utcnow(),
                policy=space_policy(),
            )
            if isinstance(key, str)
            else None
        )
        g.space_email = record.email if record is not None else None
    email: str | None = g.space_email
    return email


def check_space_session() -> None:
    """Before every request carrying a space key: check it, save the touch or revocation at
    once (before the view runs, so nothing of the view is committed with it), and forget a
    dead key."""
    if SPACE_SESSION_KEY not in session or request.endpoint == "static":
        return
    email = signed_in_email()
    if needs_saving(db.session):
        db.session.commit()
    if email is None:
        session.pop(SPACE_SESSION_KEY, None)


def sign_out_here() -> None:
    """Close the space in this browser: its session row is revoked, the key forgotten."""
    key = session.pop(SPACE_SESSION_KEY, None)
    if isinstance(key, str):
        revoke_session(db.session, key=key, now=utcnow())
        db.session.commit()
    g.space_email = None
