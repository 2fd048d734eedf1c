"""Sign-in attempts, kept in the database so that the rate limit holds across every worker
and host (an in-memory counter would reset per gunicorn worker)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, utcnow
from portal.privacy.registry import SECURITY, DataKind, Erasure, Subject, declare


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


# --- Personal data: this domain's part of the RGPD registry (portal/privacy/registry.py) ---
_ATTEMPTS = "login_attempts"
declare(
    LoginAttempt,
    subject=Subject.STAFF,
    personal={
        "email": SECURITY(DataKind.CONTACT, Erasure.KEEP, retention=_ATTEMPTS),
        "remote_address": SECURITY(DataKind.CONNECTION, Erasure.KEEP, retention=_ATTEMPTS),
    },
    other=("id", "succeeded", "attempted_at"),
)
