"""The orientation domain's part of the RGPD registry (`portal/privacy/registry.py`): which of its
columns hold personal data, what erasure does to each, and how long it is kept. Imported by
`portal/models.py`, so that the registry is complete whenever the tables are."""

from __future__ import annotations

from portal.orientation.models import OrientationContact
from portal.privacy.registry import Subject, declare

# Explicitly anonymous: a UO0 contact names nobody (see the class's docstring).
declare(
    OrientationContact,
    subject=Subject.NOBODY,
    other=tuple(c.name for c in OrientationContact.__table__.columns),
)
