"""The esign domain's part of the RGPD registry (`portal/privacy/registry.py`).

The evidence chain is the proof that a person signed (Code civil art. 1367): erasure keeps its
rows as they are (RGPD art. 17.3.e, the establishment and defence of legal claims), since
blanking an address or a user agent would break the chain's hashes and with them the proof.
The sealed PDF, which repeats the livrable's text, is emptied like the livrable's own PDF; its
digest stays, so a copy the person holds is still recognised as intact.

A paper copy's postal address lives in its own row, outside the chain (the event names the
request's id only): erasure blanks it, and the chain stays whole."""

from __future__ import annotations

from portal.esign.models import (
    PaperCopyRequest,
    SealedDocument,
    SignatureChain,
    SignatureEvent,
    SignatureRequest,
)
from portal.privacy.registry import ACCOMPANIMENT, DataKind, Erasure, Subject, declare

declare(
    SignatureEvent,
    subject=Subject.BENEFICIARY,
    belongs_to="version_id",
    personal={
        "ip": ACCOMPANIMENT(DataKind.CONNECTION, Erasure.KEEP),
        "user_agent": ACCOMPANIMENT(DataKind.CONNECTION, Erasure.KEEP),
        "detail": ACCOMPANIMENT(DataKind.FREE_TEXT, Erasure.KEEP),
    },
    other=(
        "id",
        "version_id",
        "sequence",
        "kind",
        "at",
        "actor_kind",
        "actor_staff_id",
        "actor_beneficiary_id",
        "document_sha256",
        "prev_hash",
        "hash",
    ),
)
declare(
    SignatureChain,
    subject=Subject.BENEFICIARY,
    belongs_to="version_id",
    other=("version_id", "length", "head_hash", "updated_at"),
)
declare(
    SealedDocument,
    subject=Subject.BENEFICIARY,
    belongs_to="version_id",
    personal={"pdf": ACCOMPANIMENT(DataKind.DOCUMENT, Erasure.BLANK, exported=False)},
    other=(
        "version_id",
        "sha256",
        "message_digest",
        "certificate_sha256",
        "sealed_at",
        "timestamp",
        "tsa_url",
        "tsa_certificate_sha256",
        "chain_length",
        "chain_head",
    ),
)
declare(
    SignatureRequest,
    subject=Subject.BENEFICIARY,
    belongs_to="version_id",
    other=(
        "id",
        "version_id",
        "beneficiary_id",
        "place",
        "status",
        "nonce",
        "closure_reason",
        "created_at",
        "created_by_id",
        "expires_at",
        "code_hmac",
        "code_channel",
        "code_expires_at",
        "code_failures",
        "ended_at",
    ),
)
declare(
    PaperCopyRequest,
    subject=Subject.BENEFICIARY,
    belongs_to="version_id",
    personal={
        "address_lines": ACCOMPANIMENT(DataKind.LOCATION, Erasure.BLANK),
        "postcode": ACCOMPANIMENT(DataKind.LOCATION, Erasure.BLANK),
        "town": ACCOMPANIMENT(DataKind.LOCATION, Erasure.BLANK),
    },
    other=("id", "version_id", "beneficiary_id", "requested_at", "sent_at", "sent_by_id"),
)
