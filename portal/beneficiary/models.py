"""Sign-in links of the beneficiary space: single use, short-lived, stored as a hash."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, utcnow


class SignInLink(Base):
    __tablename__ = "sign_in_link"
    __table_args__ = (Index("ix_sign_in_link_email_created_at", "email", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Lower-cased: the space shows what every request made with this address holds.
    email: Mapped[str] = mapped_column(String(254))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    next_path: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ClosureRequest(Base):
    """A beneficiary's written request, from their space, to close their UO2.2 (CCTP 1.2.6)."""

    __tablename__ = "closure_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


__all__ = ["ClosureRequest", "SignInLink"]
