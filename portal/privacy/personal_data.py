"""The privacy domain's part of the RGPD registry (`portal/privacy/registry.py`): which of its
columns hold personal data, what erasure does to each, and how long it is kept. Imported by
`portal/models.py`, so that the registry is complete whenever the tables are."""

from __future__ import annotations

from portal.privacy.models import ErasureRecord
from portal.privacy.registry import Subject, declare

declare(
    ErasureRecord,
    subject=Subject.NOBODY,
    # Dossier numbers without a name, an address or a birth date: nobody is named.
    other=("unit_numbers", "reason"),
)
