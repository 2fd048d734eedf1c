"""Single-use links e-mailed to staff: choose a new password, or sign in despite the throttle.

A link proves the person holds the member's mailbox. Only the SHA-256 of its token is kept;
it works once (the UPDATE that uses it only takes an unused, unexpired row), within
STAFF_LINK_MINUTES. Plain Python over a Session: flushes, never commits.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, or_, select, update
from sqlalchemy.orm import Session

from portal.auth.models import StaffLink, StaffLinkPurpose
from portal.network.models import StaffMember


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_staff_link(
    session: Session,
    *,
    staff: StaffMember,
    purpose: StaffLinkPurpose,
    now: datetime,
    minutes: int,
    max_per_hour: int,
) -> str | None:
    """A new link for an active member, within the hourly limit (links of any purpose);
    None otherwise. The caller answers the same either way."""
    if not staff.active:
        return None
    recent = session.scalar(
        select(func.count()).where(
            StaffLink.staff_member_id == staff.id,
            StaffLink.created_at > now - timedelta(hours=1),
        )
    )
    if (recent or 0) >= max_per_hour:
        return None
    token = secrets.token_urlsafe(32)
    session.add(
        StaffLink(
            staff_member_id=staff.id,
            purpose=purpose,
            token_sha256=token_hash(token),
            created_at=now,
            expires_at=now + timedelta(minutes=minutes),
        )
    )
    session.flush()
    return token


def _usable(
    token: str, purpose: StaffLinkPurpose, now: datetime
) -> tuple[ColumnElement[bool], ...]:
    return (
        StaffLink.token_sha256 == token_hash(token),
        StaffLink.purpose == purpose,
        StaffLink.used_at.is_(None),
        StaffLink.expires_at > now,
    )


def peek_staff_link(
    session: Session, *, token: str, purpose: StaffLinkPurpose, now: datetime
) -> StaffMember | None:
    """The active member a usable link names, without using it (the page that opens it)."""
    staff_id = session.scalar(
        select(StaffLink.staff_member_id).where(*_usable(token, purpose, now))
    )
    staff = session.get(StaffMember, staff_id) if staff_id is not None else None
    return staff if staff is not None and staff.active else None


def use_staff_link(
    session: Session, *, token: str, purpose: StaffLinkPurpose, now: datetime
) -> StaffMember | None:
    """The active member the link names, and the link used up; None when it is unknown,
    used, expired or names an inactive member. Two uses at once: one wins."""
    staff_id = session.execute(
        update(StaffLink)
        .where(*_usable(token, purpose, now))
        .values(used_at=now)
        .returning(StaffLink.staff_member_id)
    ).scalar_one_or_none()
    staff = session.get(StaffMember, staff_id) if staff_id is not None else None
    return staff if staff is not None and staff.active else None


def prune_staff_links(session: Session, *, before: datetime) -> int:
    """Delete links used or expired before `before`; how many (for the daily purge)."""
    result = session.execute(
        delete(StaffLink).where(or_(StaffLink.used_at < before, StaffLink.expires_at < before))
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
