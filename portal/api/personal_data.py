"""The API's part of the RGPD registry: a token names a system or a team of France
compétences, and holds nothing about a person beyond the hash of its secret."""

from __future__ import annotations

from portal.api.tokens import ApiToken
from portal.privacy.registry import Subject, declare

declare(
    ApiToken,
    subject=Subject.STAFF,
    other=tuple(c.name for c in ApiToken.__table__.columns if c.name != "token_sha256"),
    secret=("token_sha256",),
)
