"""The auth domain's part of the RGPD registry (`portal/privacy/registry.py`): which of its
columns hold personal data, what erasure does to each, and how long it is kept. Imported by
`portal/models.py`, so that the registry is complete whenever the tables are."""

from __future__ import annotations

from portal.auth.models import LoginAttempt, SessionKind, StaffLink, UserSession
from portal.privacy.registry import SECURITY, DataKind, Erasure, Subject, declare

_TRACES = "RETENTION_SIGN_IN_TRACE_DAYS"
declare(
    LoginAttempt,
    subject=Subject.STAFF,
    personal={
        "email": SECURITY(DataKind.CONTACT, Erasure.KEEP, retention=_TRACES),
        "remote_address": SECURITY(DataKind.CONNECTION, Erasure.KEEP, retention=_TRACES),
    },
    other=("id", "succeeded", "attempted_at"),
)
declare(
    UserSession,
    # Staff sessions name a member; the space's sessions name a beneficiary's address.
    subject=Subject.BENEFICIARY,
    email_column="email",
    personal={"email": SECURITY(DataKind.CONTACT, Erasure.DELETE, retention=_TRACES)},
    other=(
        "id",
        "kind",
        "staff_member_id",
        "created_at",
        "last_seen_at",
        "expires_at",
        "revoked_at",
    ),
    secret=("key_sha256",),
    erase_only=UserSession.kind == SessionKind.BENEFICIARY,
)
declare(
    StaffLink,
    subject=Subject.STAFF,
    other=("id", "staff_member_id", "purpose", "created_at", "expires_at", "used_at"),
    secret=("token_sha256",),
)
