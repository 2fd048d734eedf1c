"""Flask-Login wiring over server-side sessions.

At sign-in the browser gets a random key in its session cookie (`STAFF_SESSION_KEY`), and
`user_session` a row with the key's SHA-256. Every request that carries a key looks the row
up before the view runs: revoked (sign-out, sign out everywhere, new password), past its
absolute end (STAFF_SESSION_MAX_HOURS) or idle (STAFF_SESSION_IDLE_MINUTES) means signed
out, so a cookie copied before sign-out opens nothing. The cookie's "id:session_version"
must still match the member too (deactivation, and sessions opened before this table).
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, current_app, request, session
from flask_login import LoginManager, current_user, logout_user

from portal.auth.models import SessionKind
from portal.auth.sessions import SessionPolicy, live_session, needs_saving
from portal.db import utcnow
from portal.extensions import db
from portal.network.models import StaffMember

login_manager = LoginManager()
login_manager.login_view = "auth.login"
# Views use `staff_required` (portal.auth.policies); should Flask-Login's own redirect ever
# run, it flashes nothing (its message is English only).
login_manager.login_message = ""

# The session cookie's entry that holds the key of the server-side session.
STAFF_SESSION_KEY = "staff_session"


def staff_session_policy() -> SessionPolicy:
    config = current_app.config
    return SessionPolicy(
        lifetime=timedelta(hours=config["STAFF_SESSION_MAX_HOURS"]),
        idle=timedelta(minutes=config["STAFF_SESSION_IDLE_MINUTES"]),
    )


def staff_for_session(user_id: str) -> StaffMember | None:
    """The member a session cookie names, if its server-side session still holds."""
    member_id, _, version = user_id.partition(":")
    try:
        key, expected = int(member_id), int(version)
    except ValueError:
        return None  # not a cookie of ours
    if not 0 < key < 2**31:
        return None
    session_key = session.get(STAFF_SESSION_KEY)
    if not isinstance(session_key, str):
        return None
    record = live_session(
        db.session,
        key=session_key,
        kind=SessionKind.STAFF,
        now=utcnow(),
        policy=staff_session_policy(),
    )
    if record is None or record.staff_member_id != key:
        return None
    staff = db.session.get(StaffMember, key)
    if staff is None or not staff.active or staff.session_version != expected:
        return None
    return staff


def check_staff_session() -> None:
    """Before every request carrying a staff key: load the member (which checks the
    server-side session), save the touch or the revocation at once — before the view, so
    that nothing of the view is committed with it — and forget a dead key."""
    if STAFF_SESSION_KEY not in session or request.endpoint == "static":
        return
    user = current_user._get_current_object()
    if needs_saving(db.session):
        db.session.commit()
    if not isinstance(user, StaffMember):
        logout_user()
        session.pop(STAFF_SESSION_KEY, None)


def init_login(app: Flask) -> None:
    login_manager.user_loader(staff_for_session)
    login_manager.init_app(app)
    app.before_request(check_staff_session)
