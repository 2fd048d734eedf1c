"""Sign-in attempts, server-side sessions and the single-use links e-mailed to staff.

Attempts are kept in the database so that the throttle holds across every worker and host
(an in-memory counter would reset per gunicorn worker). Sessions live here too, so that
signing out ends them for real: the browser's cookie only carries a random key, and the
row it names is checked on every request. Keys and link tokens are stored as SHA-256 only.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, StrEnumType, UTCDateTime, utcnow


class LoginAttempt(Base):
    __tablename__ = "login_attempt"
    __table_args__ = (
        Index("ix_login_attempt_email_at", "email", "attempted_at"),
        Index("ix_login_attempt_address_at", "remote_address", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    remote_address: Mapped[str] = mapped_column(String(45))
    succeeded: Mapped[bool] = mapped_column(Boolean)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SessionKind(StrEnum):
    STAFF = "staff"
    BENEFICIARY = "beneficiary"


class UserSession(Base):
    """One signed-in browser: a staff member's, or a beneficiary's space (an e-mail address)."""

    __tablename__ = "user_session"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'staff' AND staff_member_id IS NOT NULL)"
            " OR (kind = 'beneficiary' AND email IS NOT NULL)",
            name="names_its_owner",
        ),
        Index("ix_user_session_email", "email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[SessionKind] = mapped_column(StrEnumType(SessionKind, length=20))
    staff_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_member.id", ondelete="CASCADE"), index=True
    )
    # Lower-cased, as the space shows what every record made with the address holds.
    email: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The absolute end, fixed at sign-in (10 h for staff, BENEFICIARY_SESSION_HOURS).
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class StaffLinkPurpose(StrEnum):
    RESET = "reset"  # choose a new password
    UNLOCK = "unlock"  # sign in with the password despite the throttle


class StaffLink(Base):
    """A single-use link e-mailed to a staff member; only its SHA-256 is kept."""

    __tablename__ = "staff_link"
    __table_args__ = (
        Index("ix_staff_link_staff_member_id_created_at", "staff_member_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_member_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id", ondelete="CASCADE"))
    purpose: Mapped[StaffLinkPurpose] = mapped_column(StrEnumType(StaffLinkPurpose, length=10))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


__all__ = ["LoginAttempt", "SessionKind", "StaffLink", "StaffLinkPurpose", "UserSession"]
