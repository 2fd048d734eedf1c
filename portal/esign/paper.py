"""The paper path's steps, written to the evidence chain: one call per transition of
`portal.livrables.signing`, which knows nothing of what the evidence holds."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy.orm import Session

from portal.esign.evidence import Origin, record_event
from portal.esign.models import EventKind, SignatureEvent
from portal.livrables.models import LivrableVersion, Signature, SignatureMethod, SignedScan
from portal.mail.models import OutboxMessage
from portal.network.models import StaffMember


def printed(
    session: Session, version: LivrableVersion, *, by: StaffMember, origin: Origin | None
) -> SignatureEvent:
    """Frozen and printed: the PDF's own SHA-256 beside the content's."""
    detail = {"number": version.number, "pdf_sha256": hashlib.sha256(version.pdf).hexdigest()}
    return record_event(
        session,
        version=version,
        kind=EventKind.PAPER_PRINTED,
        now=version.frozen_at,
        staff=by,
        origin=origin,
        detail=detail,
    )


def voided(
    session: Session, version: LivrableVersion, *, by: StaffMember, origin: Origin | None
) -> SignatureEvent:
    assert version.voided_at is not None
    return record_event(
        session,
        version=version,
        kind=EventKind.VOIDED,
        now=version.voided_at,
        staff=by,
        origin=origin,
    )


def dates_recorded(
    session: Session,
    signature: Signature,
    *,
    by: StaffMember | None,
    now: datetime,
    origin: Origin | None,
    identification: str | None = None,
) -> SignatureEvent:
    """A party's handwritten signature as recorded by the advisor (again: corrected), or a
    party's online signature with how they were identified."""
    paper = signature.method == SignatureMethod.PAPER
    extra = {"identification": identification} if identification else {}
    return record_event(
        session,
        version=signature.version,
        kind=EventKind.PAPER_DATES_RECORDED if paper else EventKind.SIGNED,
        now=now,
        staff=by,
        origin=origin,
        detail={
            "party": str(signature.party),
            "method": str(signature.method),
            "signed_on": signature.signed_on.isoformat(),
            "signer_name": signature.signer_name,
            "closure_reason": signature.closure_reason,
            **extra,
        },
    )


def scan_uploaded(
    session: Session, scan: SignedScan, *, by: StaffMember, origin: Origin | None
) -> SignatureEvent:
    return record_event(
        session,
        version=scan.version,
        kind=EventKind.SCAN_UPLOADED,
        now=scan.uploaded_at,
        staff=by,
        origin=origin,
        detail={
            "sha256": scan.sha256,
            "content_type": scan.content_type,
            "bytes": len(scan.data),
            "filename": scan.filename,
        },
    )


def copy_delivered(
    session: Session, version: LivrableVersion, message: OutboxMessage, *, now: datetime
) -> SignatureEvent:
    """The person's copy: queued for e-mail (the outbox) and waiting in their space."""
    return record_event(
        session,
        version=version,
        kind=EventKind.COPY_DELIVERED,
        now=now,
        detail={"channel": "email", "outbox_id": message.id, "space": True},
    )


__all__ = ["copy_delivered", "dates_recorded", "printed", "scan_uploaded", "voided"]
