"""Server-side sessions: a signed-out cookie names a dead row, so it opens nothing.

The browser keeps a random key (in Flask's signed session cookie); the database keeps only
its SHA-256, who it belongs to and when it ends. Every request with a key looks its row up:
revoked, past its absolute end, or idle for too long means signed out. Plain Python over a
Session: flushes, never commits.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from portal.auth.models import SessionKind, UserSession

# `last_seen_at` is written at most this often per session, not on every request: the idle
# timeout (30 minutes) only needs it to the minute.
TOUCH_EVERY = timedelta(minutes=1)

# Set in `Session.info` when `live_session` wrote to its row (read by `needs_saving`).
_CHANGED = "portal.auth.user_session_changed"


@dataclass(frozen=True, slots=True)
class SessionPolicy:
    """How long a session lives: `lifetime` from sign-in, and `idle` without a request
    (None: no idle timeout, as for the beneficiary space)."""

    lifetime: timedelta
    idle: timedelta | None = None


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def open_session(
    session: Session,
    *,
    kind: SessionKind,
    now: datetime,
    policy: SessionPolicy,
    staff_member_id: int | None = None,
    email: str | None = None,
) -> str:
    """A new session row; returns the key for the browser (never stored)."""
    key = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            key_sha256=key_hash(key),
            kind=kind,
            staff_member_id=staff_member_id,
            email=email,
            created_at=now,
            last_seen_at=now,
            expires_at=now + policy.lifetime,
        )
    )
    session.flush()
    return key


def live_session(
    session: Session, *, key: str, kind: SessionKind, now: datetime, policy: SessionPolicy
) -> UserSession | None:
    """The session this key names, if it still holds at `now`; its `last_seen_at` moves on
    when it is more than TOUCH_EVERY old. None for a revoked, expired or idle session (an
    idle or expired one is revoked on the way, so that it cannot come back)."""
    if not key:
        return None
    found = session.scalars(
        select(UserSession).where(UserSession.key_sha256 == key_hash(key), UserSession.kind == kind)
    ).one_or_none()
    if found is None or found.revoked_at is not None:
        return None
    idle_out = policy.idle is not None and now - found.last_seen_at >= policy.idle
    if now >= found.expires_at or idle_out:
        found.revoked_at = now
        session.flush()
        session.info[_CHANGED] = True
        return None
    if now - found.last_seen_at >= TOUCH_EVERY:
        found.last_seen_at = now
        session.flush()
        session.info[_CHANGED] = True
    return found


def needs_saving(session: Session) -> bool:
    """True (once) when `live_session` wrote to its row (a touch or a revocation) since the
    last call: the caller should commit it."""
    return bool(session.info.pop(_CHANGED, False))


def revoke_session(session: Session, *, key: str, now: datetime) -> None:
    """Sign-out: the row this key names ends now."""
    session.execute(
        update(UserSession)
        .where(UserSession.key_sha256 == key_hash(key), UserSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def revoke_staff_sessions(session: Session, *, staff_member_id: int, now: datetime) -> int:
    """Every open session of a staff member ends (sign out everywhere, new password)."""
    result = session.execute(
        update(UserSession)
        .where(
            UserSession.staff_member_id == staff_member_id,
            UserSession.kind == SessionKind.STAFF,
            UserSession.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def revoke_beneficiary_sessions(session: Session, *, email: str, now: datetime) -> int:
    """Every open space of this address ends (sign out everywhere)."""
    result = session.execute(
        update(UserSession)
        .where(
            UserSession.email == email,
            UserSession.kind == SessionKind.BENEFICIARY,
            UserSession.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def prune_user_sessions(session: Session, *, before: datetime) -> int:
    """Delete sessions revoked, or past their absolute end, before `before`; how many.
    For the daily purge: a live session is never touched."""
    result = session.execute(
        delete(UserSession).where(
            or_(UserSession.revoked_at < before, UserSession.expires_at < before)
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
