"""Flask-Login wiring: the session cookie names "id:session_version" of a staff member.

Raising a member's `session_version` (new password, deactivation) makes every cookie that
carries the old one name nobody: those sessions are signed out on their next request.
"""

from __future__ import annotations

from flask import Flask
from flask_login import LoginManager

from portal.extensions import db
from portal.network.models import StaffMember

login_manager = LoginManager()
login_manager.login_view = "auth.login"
# Views use `staff_required` (portal.auth.policies); should Flask-Login's own redirect ever
# run, it flashes nothing (its message is English only).
login_manager.login_message = ""


def staff_for_session(user_id: str) -> StaffMember | None:
    """The member a session cookie names, if that session still holds."""
    member_id, _, version = user_id.partition(":")
    try:
        key, expected = int(member_id), int(version)
    except ValueError:
        return None  # not a cookie of ours
    if not 0 < key < 2**31:
        return None
    staff = db.session.get(StaffMember, key)
    if staff is None or not staff.active or staff.session_version != expected:
        return None
    return staff


def init_login(app: Flask) -> None:
    login_manager.user_loader(staff_for_session)
    login_manager.init_app(app)
