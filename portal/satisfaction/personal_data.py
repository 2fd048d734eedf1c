"""The satisfaction domain's part of the RGPD registry (`portal/privacy/registry.py`): which of its
columns hold personal data, what erasure does to each, and how long it is kept. Imported by
`portal/models.py`, so that the registry is complete whenever the tables are."""

from __future__ import annotations

from portal.privacy.registry import SATISFACTION, DataKind, Erasure, Subject, declare
from portal.satisfaction.models import Survey

declare(
    Survey,
    subject=Subject.BENEFICIARY,
    belongs_to="unit_id",
    # The marks stay (indicator 8.1); the words go.
    personal={"comment": SATISFACTION(DataKind.FREE_TEXT, Erasure.BLANK)},
    other=(
        "id",
        "unit_id",
        "operator_id",
        "closed_on",
        "sent_at",
        "answered_at",
        "quality",
        "usefulness",
    ),
)
