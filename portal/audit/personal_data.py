"""The audit domain's part of the RGPD registry (`portal/privacy/registry.py`).

A read of a person's dossier is the person's: it is in their export (they may know who read
their file, and when). It holds no name or words of its own: erasure leaves it (the dossier
it points to is pseudonymised), and it is kept as long as the dossier."""

from __future__ import annotations

from portal.audit.models import FileRead
from portal.privacy.registry import Subject, declare

declare(
    FileRead,
    subject=Subject.BENEFICIARY,
    belongs_to="dossier_id",
    other=(
        "id",
        "at",
        "staff_member_id",
        "referral_id",
        "dossier_id",
        "beneficiary_id",
        "what",
        "path",
    ),
)
