"""The beneficiary domain's part of the RGPD registry (`portal/privacy/registry.py`): which of its
columns hold personal data, what erasure does to each, and how long it is kept. Imported by
`portal/models.py`, so that the registry is complete whenever the tables are."""

from __future__ import annotations

from portal.beneficiary.models import ClosureRequest, SignInLink
from portal.privacy.registry import ACCOMPANIMENT, SECURITY, DataKind, Erasure, Subject, declare

declare(
    SignInLink,
    subject=Subject.BENEFICIARY,
    email_column="email",
    personal={"email": SECURITY(DataKind.CONTACT, Erasure.DELETE)},
    other=("id", "next_path", "created_at", "expires_at", "used_at"),
    secret=("token_sha256",),
)
declare(
    ClosureRequest,
    subject=Subject.BENEFICIARY,
    belongs_to="unit_id",
    personal={
        "text": ACCOMPANIMENT(DataKind.FREE_TEXT, Erasure.BLANK),
        "email": ACCOMPANIMENT(DataKind.CONTACT, Erasure.PSEUDONYMISE),
    },
    other=("id", "unit_id", "created_at"),
)
