"""Staff passwords and sign-in, with a throttle kept in the database.

Plain Python over a Session: flushes, never commits. The attempts live in `login_attempt`
because the throttle must hold across every gunicorn worker and host; an in-memory counter
would reset per process.

The throttle slows guessing down without letting anyone lock a member out: failures count
per (e-mail, address) pair, so someone else's failures from elsewhere never delay a member;
an address with many failures across e-mails (an office, everyone behind a proxy) is slowed,
not closed; and a member who proves they hold their mailbox (an e-mailed link) passes.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from portal.auth.models import LoginAttempt
from portal.auth.sessions import revoke_staff_sessions
from portal.db import utcnow
from portal.network.models import StaffMember

# Shorter passwords are refused (ANSSI recommends at least 12 characters for a password
# protected by a throttle: « Recommandations relatives à l'authentification multifacteur et
# aux mots de passe », 2021, R21).
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
    """Sign-in from this address for this e-mail waits until `retry_at` (UTC)."""

    def __init__(self, retry_at: datetime) -> None:
        super().__init__(AuthErrorCode.TOO_MANY_ATTEMPTS)
        self.retry_at = retry_at


@dataclass(frozen=True, slots=True)
class Throttle:
    """Growing delays after failed sign-ins (config LOGIN_*).

    After `free_failures` failures of one (e-mail, address) pair, the next try waits 2^n
    seconds after the last failure (n failures), at most `max_delay`. An address with
    `address_free_failures` failures across e-mails waits too, on the same curve. Failures
    older than `window` are forgotten; a success clears its pair.
    """

    free_failures: int
    address_free_failures: int
    max_delay: timedelta
    window: timedelta

    def delay(self, failures: int, free: int) -> timedelta:
        if failures < free:
            return timedelta(0)
        # 2^n seconds, n counted from the first delayed try (3 failures → 8 s, 4 → 16 s…).
        exponent = failures - free + 3
        return min(timedelta(seconds=2 ** min(exponent, 30)), self.max_delay)


def normalise_email(email: str) -> str:
    return email.strip().lower()[:EMAIL_MAX_LENGTH]


def hash_password(password: str) -> str:
    return generate_password_hash(password)


@functools.cache
def _unknown_member_hash() -> str:
    # Checked against when the e-mail names nobody, so that an unknown address takes as long
    # to answer as a wrong password: the timing does not tell who has an account.
    return generate_password_hash("no member has this password")


def _failures(
    session: Session, *, since: datetime, email: str | None, address: str
) -> tuple[int, datetime | None]:
    """How many failures from `address` (for `email` when given) since `since`, and the last."""
    query = select(func.count(), func.max(LoginAttempt.attempted_at)).where(
        LoginAttempt.succeeded.is_(False),
        LoginAttempt.attempted_at > since,
        LoginAttempt.remote_address == address,
    )
    if email is not None:
        query = query.where(LoginAttempt.email == email)
    count, last = session.execute(query).one()
    return int(count or 0), last


def throttled_until(
    session: Session, *, email: str, address: str, now: datetime, throttle: Throttle
) -> datetime | None:
    """When this address may try this e-mail again; None when it may now."""
    window_start = now - throttle.window
    last_success = session.scalar(
        select(func.max(LoginAttempt.attempted_at)).where(
            LoginAttempt.email == email,
            LoginAttempt.remote_address == address,
            LoginAttempt.succeeded.is_(True),
            LoginAttempt.attempted_at > window_start,
        )
    )
    since = max(window_start, last_success) if last_success else window_start
    retry_at: datetime | None = None
    for count, last, free in (
        (*_failures(session, since=since, email=email, address=address), throttle.free_failures),
        (
            *_failures(session, since=window_start, email=None, address=address),
            throttle.address_free_failures,
        ),
    ):
        wait = throttle.delay(count, free)
        if last is not None and wait and last + wait > now:
            retry_at = last + wait if retry_at is None else max(retry_at, last + wait)
    return retry_at


def find_staff(session: Session, email: str) -> StaffMember | None:
    return session.scalars(
        select(StaffMember).where(func.lower(StaffMember.email) == normalise_email(email))
    ).one_or_none()


def authenticate(
    session: Session,
    *,
    email: str,
    password: str,
    address: str,
    now: datetime,
    throttle: Throttle,
    proven: bool = False,
) -> StaffMember:
    """The active staff member with this e-mail and password, and the attempt recorded.

    Raises TooManyAttempts (nothing recorded, the password is not even checked) unless the
    person has `proven` they hold the mailbox (an unlock link), or
    AuthError(INVALID_CREDENTIALS), the same for an unknown e-mail, a wrong password, a
    member without a password and an inactive member.
    """
    email = normalise_email(email)
    if not proven:
        retry_at = throttled_until(
            session, email=email, address=address, now=now, throttle=throttle
        )
        if retry_at is not None:
            raise TooManyAttempts(retry_at)
    staff = find_staff(session, email)
    if staff is None or not staff.password_hash:
        check_password_hash(_unknown_member_hash(), password)
        succeeded = False
    else:
        succeeded = check_password_hash(staff.password_hash, password) and staff.active
    record_attempt(session, email=email, address=address, succeeded=succeeded, now=now)
    if not succeeded or staff is None:
        raise AuthError(AuthErrorCode.INVALID_CREDENTIALS)
    return staff


def record_attempt(
    session: Session, *, email: str, address: str, succeeded: bool, now: datetime
) -> None:
    session.add(
        LoginAttempt(
            email=normalise_email(email),
            remote_address=address[:45],
            succeeded=succeeded,
            attempted_at=now,
        )
    )
    session.flush()


def change_password(
    session: Session, staff: StaffMember, *, password: str, now: datetime
) -> StaffMember:
    """A new password; every session open with the old one is signed out."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError(AuthErrorCode.WEAK_PASSWORD)
    staff.password_hash = hash_password(password)
    staff.session_version += 1
    revoke_staff_sessions(session, staff_member_id=staff.id, now=now)
    session.flush()
    return staff


def set_password(
    session: Session, *, email: str, password: str, now: datetime | None = None
) -> StaffMember:
    """`change_password` for the member with this e-mail (the `set-password` command)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError(AuthErrorCode.WEAK_PASSWORD)
    staff = find_staff(session, email)
    if staff is None:
        raise AuthError(AuthErrorCode.UNKNOWN_STAFF)
    return change_password(session, staff, password=password, now=now or utcnow())


def prune_login_attempts(session: Session, *, before: datetime) -> int:
    """Delete the sign-in attempts made before `before` (they hold e-mails and IP addresses);
    how many. For the daily purge: the throttle only reads LOGIN_THROTTLE_WINDOW_HOURS back."""
    result = session.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at < before))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
