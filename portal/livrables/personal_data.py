"""The livrables domain's part of the RGPD registry (`portal/privacy/registry.py`): which of its
columns hold personal data, what erasure does to each, and how long it is kept. Imported by
`portal/models.py`, so that the registry is complete whenever the tables are."""

from __future__ import annotations

from portal.livrables.models import (
    Livrable,
    LivrableRevision,
    LivrableVersion,
    Signature,
    SignatureParty,
    SignedScan,
)
from portal.privacy.registry import ACCOMPANIMENT, DataKind, Erasure, Subject, declare

declare(
    Livrable,
    subject=Subject.BENEFICIARY,
    belongs_to="unit_id",
    personal={"content": ACCOMPANIMENT(DataKind.DOCUMENT, Erasure.BLANK)},
    other=("id", "unit_id", "kind", "status", "draft_number", "updated_at", "updated_by_id"),
)
declare(
    LivrableRevision,
    subject=Subject.BENEFICIARY,
    belongs_to="livrable_id",
    personal={"content": ACCOMPANIMENT(DataKind.DOCUMENT, Erasure.DELETE)},
    other=("id", "livrable_id", "kind", "saved_at", "saved_by_id"),
)
declare(
    LivrableVersion,
    subject=Subject.BENEFICIARY,
    belongs_to="livrable_id",
    personal={
        "content": ACCOMPANIMENT(DataKind.DOCUMENT, Erasure.BLANK),
        # Exported as its size: the person downloads the PDF itself from their space.
        "pdf": ACCOMPANIMENT(DataKind.DOCUMENT, Erasure.BLANK, exported=False),
    },
    # The hash stays: it proves that a document was signed, without its words.
    other=(
        "id",
        "livrable_id",
        "number",
        "content_sha256",
        "frozen_at",
        "frozen_by_id",
        "voided_at",
        "method",
    ),
)
declare(
    Signature,
    subject=Subject.BENEFICIARY,
    belongs_to="version_id",
    personal={
        "signer_name": ACCOMPANIMENT(DataKind.IDENTITY, Erasure.PSEUDONYMISE),
        "evidence": ACCOMPANIMENT(DataKind.CONNECTION, Erasure.BLANK),
    },
    other=(
        "id",
        "version_id",
        "party",
        "method",
        "signed_on",
        "recorded_at",
        "recorded_by_id",
        "closure_reason",
    ),
    # The advisor's signature on the same document is the advisor's, and stays.
    erase_only=Signature.party == SignatureParty.BENEFICIARY,
)
declare(
    SignedScan,
    subject=Subject.BENEFICIARY,
    belongs_to="version_id",
    personal={
        "data": ACCOMPANIMENT(DataKind.DOCUMENT, Erasure.BLANK, exported=False),
        "filename": ACCOMPANIMENT(DataKind.DOCUMENT, Erasure.BLANK),
    },
    other=("id", "version_id", "content_type", "sha256", "uploaded_at", "uploaded_by_id"),
)
