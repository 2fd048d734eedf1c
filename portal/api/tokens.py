"""Bearer tokens of the API for France compétences' systems (`flask cep create-api-token`).

Only the SHA-256 of a token is stored: the token itself is shown once, when it is made.
A token is named (which system or team holds it) and can be revoked; it is never deleted, so
that what it was used for stays traceable. Core: no Flask here.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.db import Base, UTCDateTime, utcnow

SCOPE_ANNEX2 = "annex2"


class ApiTokenError(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class ApiToken(Base):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    scope: Mapped[str] = mapped_column(String(20), default=SCOPE_ANNEX2)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(session: Session, *, name: str) -> str:
    """A new token named `name` (unique, 1-100 characters); returns the token, shown once."""
    name = name.strip()
    if not 1 <= len(name) <= 100:
        raise ApiTokenError("bad_name")
    if session.scalar(select(ApiToken.id).where(ApiToken.name == name)) is not None:
        raise ApiTokenError("name_taken")
    token = secrets.token_urlsafe(32)
    session.add(ApiToken(name=name, token_sha256=digest(token)))
    session.flush()
    return token


def revoke_api_token(session: Session, *, name: str, now: datetime) -> None:
    found = session.scalar(select(ApiToken).where(ApiToken.name == name.strip()))
    if found is None:
        raise ApiTokenError("unknown_name")
    if found.revoked_at is None:
        found.revoked_at = now
        session.flush()


def valid_token(session: Session, token: str, scope: str = SCOPE_ANNEX2) -> ApiToken | None:
    """The live token of that scope, or None (unknown, revoked, or empty)."""
    if not token or len(token) > 200:
        return None
    return session.scalar(
        select(ApiToken).where(
            ApiToken.token_sha256 == digest(token),
            ApiToken.scope == scope,
            ApiToken.revoked_at.is_(None),
        )
    )
