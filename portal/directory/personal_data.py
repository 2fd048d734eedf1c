"""The directory domain's part of the RGPD registry (`portal/privacy/registry.py`): which of its
columns hold personal data, what erasure does to each, and how long it is kept. Imported by
`portal/models.py`, so that the registry is complete whenever the tables are."""

from __future__ import annotations

from portal.directory.models import Provider
from portal.privacy.registry import Subject, declare

declare(
    Provider,
    subject=Subject.NOBODY,
    other=("name", "commune_name", "postal_code", "website", "phone", "email", "note"),
)
