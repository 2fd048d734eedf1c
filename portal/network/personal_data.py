"""The network domain's part of the RGPD registry (`portal/privacy/registry.py`): which of its
columns hold personal data, what erasure does to each, and how long it is kept. Imported by
`portal/models.py`, so that the registry is complete whenever the tables are."""

from __future__ import annotations

from portal.network.models import Operator, Site, SiteClosure, StaffMember
from portal.privacy.registry import STAFF, DataKind, Erasure, Subject, declare

# An organisation's contact details are not personal data; a staff member's are.
declare(
    Operator,
    subject=Subject.NOBODY,
    other=("name", "website", "phone", "email", "postal_address"),
)
declare(
    Site,
    subject=Subject.NOBODY,
    other=(
        "name",
        "street",
        "postal_code",
        "commune_insee",
        "commune_name",
        "access_note",
        "phone",
        "email",
    ),
)
declare(SiteClosure, subject=Subject.NOBODY, other=("reason",))
declare(
    StaffMember,
    subject=Subject.STAFF,
    personal={
        "email": STAFF(DataKind.CONTACT, Erasure.KEEP),
        "full_name": STAFF(DataKind.IDENTITY, Erasure.KEEP),
    },
    other=("id", "operator_id", "role", "active", "created_at", "session_version"),
    secret=("password_hash",),
)
