"""Staff passwords and sign-in, with a rate limit kept in the database.

Plain Python over a Session: flushes, never commits. The attempts live in `login_attempt`
because the limit must hold across every gunicorn worker and host; an in-memory counter
would reset per process.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from portal.auth.models import LoginAttempt
from portal.network.models import StaffMember

# Shorter passwords are refused by `flask cep set-password`.
MIN_PASSWORD_LENGTH = 12
EMAIL_MAX_LENGTH = 254  # RFC 5321, and the column's length


class AuthErrorCode(StrEnum):
    INVALID_CREDENTIALS = "invalid_credentials"
    TOO_MANY_ATTEMPTS = "too_many_attempts"
    UNKNOWN_STAFF = "unknown_staff"
    WEAK_PASSWORD = "weak_password"  # noqa: S105 (an error code, not a password)


class AuthError(Exception):
    def __init__(self, code: AuthErrorCode) -> None:
        super().__init__(code.value)
        self.code = code


class TooManyAttempts(AuthError):
    """Sign-in is suspended for this e-mail or address until `retry_at` (UTC)."""

    def __init__(self, retry_at: datetime) -> None:
        super().__init__(AuthErrorCode.TOO_MANY_ATTEMPTS)
        self.retry_at = retry_at


@dataclass(frozen=True, slots=True)
class RateLimit:
    """Failures allowed per e-mail and per address within the window (config LOGIN_*)."""

    max_failures_per_email: int
    max_failures_per_address: int
    window: timedelta


def normalise_email(email: str) -> str:
    return email.strip().lower()[:EMAIL_MAX_LENGTH]


def hash_password(password: str) -> str:
    return generate_password_hash(password)


@functools.cache
def _unknown_member_hash() -> str:
    # Checked against when the e-mail names nobody, so that an unknown address takes as long
    # to answer as a wrong password: the timing does not tell who has an account.
    return generate_password_hash("no member has this password")


def _failure_times(
    session: Session, *, since: datetime, limit: int, email: str | None, address: str | None
) -> list[datetime]:
    query = select(LoginAttempt.attempted_at).where(
        LoginAttempt.succeeded.is_(False), LoginAttempt.attempted_at > since
    )
    if email is not None:
        query = query.where(LoginAttempt.email == email)
    if address is not None:
        query = query.where(LoginAttempt.remote_address == address)
    query = query.order_by(LoginAttempt.attempted_at.desc()).limit(limit)
    return list(session.scalars(query))


def blocked_until(
    session: Session, *, email: str, address: str, now: datetime, limit: RateLimit
) -> datetime | None:
    """When sign-in opens again for this e-mail and address; None when it is open now.

    Once the limit of failures is reached within the window, sign-in waits until the oldest
    of those failures leaves the window. A successful sign-in clears the e-mail's count
    (not the address's: an office shares one address).
    """
    window_start = now - limit.window
    last_success = session.scalar(
        select(func.max(LoginAttempt.attempted_at)).where(
            LoginAttempt.email == email,
            LoginAttempt.succeeded.is_(True),
            LoginAttempt.attempted_at > window_start,
        )
    )
    retry_at: datetime | None = None
    for times, allowed in (
        (
            _failure_times(
                session,
                since=max(window_start, last_success) if last_success else window_start,
                limit=limit.max_failures_per_email,
                email=email,
                address=None,
            ),
            limit.max_failures_per_email,
        ),
        (
            _failure_times(
                session,
                since=window_start,
                limit=limit.max_failures_per_address,
                email=None,
                address=address,
            ),
            limit.max_failures_per_address,
        ),
    ):
        if len(times) >= allowed:
            opens_at = min(times) + limit.window
            retry_at = opens_at if retry_at is None else max(retry_at, opens_at)
    return retry_at


def authenticate(
    session: Session, *, email: str, password: str, address: str, now: datetime, limit: RateLimit
) -> StaffMember:
    """The active staff member with this e-mail and password, and the attempt recorded.

    Raises TooManyAttempts (nothing recorded, the password is not even checked) or
    AuthError(INVALID_CREDENTIALS), the same for an unknown e-mail, a wrong password, a
    member without a password and an inactive member.
    """
    email = normalise_email(email)
    retry_at = blocked_until(session, email=email, address=address, now=now, limit=limit)
    if retry_at is not None:
        raise TooManyAttempts(retry_at)
    staff = session.scalars(
        select(StaffMember).where(func.lower(StaffMember.email) == email)
    ).one_or_none()
    if staff is None or not staff.password_hash:
        check_password_hash(_unknown_member_hash(), password)
        succeeded = False
    else:
        succeeded = check_password_hash(staff.password_hash, password) and staff.active
    session.add(
        LoginAttempt(email=email, remote_address=address, succeeded=succeeded, attempted_at=now)
    )
    session.flush()
    if not succeeded or staff is None:
        raise AuthError(AuthErrorCode.INVALID_CREDENTIALS)
    return staff


def set_password(session: Session, *, email: str, password: str) -> StaffMember:
    """A new password for a member; every session open with the old one is signed out."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError(AuthErrorCode.WEAK_PASSWORD)
    staff = session.scalars(
        select(StaffMember).where(func.lower(StaffMember.email) == normalise_email(email))
    ).one_or_none()
    if staff is None:
        raise AuthError(AuthErrorCode.UNKNOWN_STAFF)
    staff.password_hash = hash_password(password)
    staff.session_version += 1
    session.flush()
    return staff
