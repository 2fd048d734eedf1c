"""What a copy someone hands in is: sealed by this portal and intact, altered since, not
ours, or not a PDF at all. Nothing is trusted from the file but what our seal signs: the
seal's signed digest finds the `sealed_document` row, its certificate must be the one we
sealed with, and pyHanko recomputes the digest over the bytes handed in.

The RFC 3161 token sits in an unsigned attribute of the seal's CMS, outside what the seal
signs: when the row says the time was attested, the copy must carry one token, signed by the
TSA certificate recorded at sealing, whose imprint pyHanko finds to be the seal's signature.
A copy whose token was removed, replaced or added is not the copy the portal issued: it is
« altered », with its own reason, even though the document's content is the signed one."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from io import BytesIO

from asn1crypto import x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import PdfSignatureStatus
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.pdf_embedded import (
    EmbeddedPdfSignature,
    async_validate_pdf_signature,
)
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.clock import PARIS
from portal.esign.asyncio_bridge import run
from portal.esign.evidence import events_of, verify_chain
from portal.esign.models import SealedDocument
from portal.esign.seal import signature_facts
from portal.esign.timestamps import signature_tokens, tsa_certificate, tsa_certificate_sha256
from portal.livrables.models import LivrableKind, SignatureParty

log = logging.getLogger(__name__)
PDF_HEADER_WITHIN = 1024  # ISO 32000-1 7.5.2: readers accept the header within the first KB


class Result(StrEnum):
    INTACT = "intact"  # sealed by this portal, not one byte changed since
    ALTERED = "altered"  # sealed by this portal, changed since
    UNKNOWN = "unknown"  # a PDF, but not sealed by this portal (or by another certificate)
    INVALID = "invalid"  # not a PDF


class Reason(StrEnum):
    NOT_PDF = "not_pdf"
    UNREADABLE = "unreadable"
    NO_SEAL = "no_seal"
    NOT_OURS = "not_ours"
    OTHER_CERTIFICATE = "other_certificate"
    CONTENT_CHANGED = "content_changed"
    CHANGED_AFTER_SEAL = "changed_after_seal"
    TIMESTAMP_REMOVED = "timestamp_removed"  # the row says rfc3161, the copy has no token
    TIMESTAMP_REPLACED = "timestamp_replaced"  # another TSA, another imprint, or one added
    SEALED = "sealed"


@dataclass(frozen=True, slots=True)
class SealedFacts:
    """What the page may show of an intact copy: nothing the holder of the copy does not
    already read in it, and the signers' initials only."""

    kind: LivrableKind
    version: int
    operator_name: str
    signed_on: dict[SignatureParty, date]
    initials: dict[SignatureParty, str]
    sealed_at: datetime
    sealed_on: date  # the day in France
    timestamp: str  # "rfc3161" or "server"
    chain_intact: bool


@dataclass(frozen=True, slots=True)
class Verdict:
    result: Result
    reason: Reason
    facts: SealedFacts | None = None


def verify_copy(session: Session, data: bytes) -> Verdict:
    if not looks_like_pdf(data):
        return Verdict(Result.INVALID, Reason.NOT_PDF)
    try:
        signatures = PdfFileReader(BytesIO(data), strict=False).embedded_signatures
    except Exception:  # any parser error: the file claims to be a PDF and is not one
        log.info("unreadable PDF handed in for verification", exc_info=True)
        return Verdict(Result.INVALID, Reason.UNREADABLE)
    if not signatures:
        return Verdict(Result.UNKNOWN, Reason.NO_SEAL)
    for signature in reversed(signatures):
        sealed = _sealed_row(session, signature)
        if sealed is None:
            continue
        row, certificate = sealed
        if certificate != row.certificate_sha256:
            return Verdict(Result.UNKNOWN, Reason.OTHER_CERTIFICATE)
        return _checked(session, signature, row)
    return Verdict(Result.UNKNOWN, Reason.NOT_OURS)


def looks_like_pdf(data: bytes) -> bool:
    return b"%PDF-" in data[:PDF_HEADER_WITHIN]


def _sealed_row(
    session: Session, signature: EmbeddedPdfSignature
) -> tuple[SealedDocument, str] | None:
    try:
        digest, certificate = signature_facts(signature)
    except Exception:  # a signature we cannot even read is not ours
        log.info("unreadable signature handed in for verification", exc_info=True)
        return None
    row = session.scalar(select(SealedDocument).where(SealedDocument.message_digest == digest))
    return (row, certificate) if row is not None else None


def _checked(session: Session, signature: EmbeddedPdfSignature, row: SealedDocument) -> Verdict:
    tokens = signature_tokens(signature.signer_info)
    tsas = [c for c in (tsa_certificate(t) for t in tokens) if c is not None]
    tsa = tsas[0] if len(tokens) == 1 and tsas else None
    context = ValidationContext(trust_roots=[signature.signer_cert], allow_fetching=False)
    # A token is checked trusting its own TSA certificate, whose identity is compared with
    # the one recorded below: no path to build, no pyHanko traceback in the logs.
    ts_context = ValidationContext(trust_roots=tsas, allow_fetching=False) if tsas else None
    try:
        status = run(
            async_validate_pdf_signature(
                signature, signer_validation_context=context, ts_validation_context=ts_context
            )
        )
    except (SignatureValidationError, PathBuildingError, ValueError):
        log.info("sealed copy of version %s fails validation", row.version_id, exc_info=True)
        return Verdict(Result.ALTERED, Reason.CONTENT_CHANGED)
    if not (status.intact and status.valid):
        return Verdict(Result.ALTERED, Reason.CONTENT_CHANGED)
    if status.coverage is None or status.coverage.name != "ENTIRE_FILE":
        return Verdict(Result.ALTERED, Reason.CHANGED_AFTER_SEAL)
    timestamp = _timestamp_problem(row, len(tokens), tsa, status)
    if timestamp is not None:
        log.info("sealed copy of version %s: %s", row.version_id, timestamp)
        return Verdict(Result.ALTERED, timestamp)
    return Verdict(Result.INTACT, Reason.SEALED, _facts(session, row))


def _timestamp_problem(
    row: SealedDocument, count: int, tsa: x509.Certificate | None, status: PdfSignatureStatus
) -> Reason | None:
    """None when the copy's tokens are those the seal left: none on the server's time; one,
    intact and signed by the recorded TSA certificate, for an RFC 3161 time."""
    if row.timestamp != "rfc3161":
        return Reason.TIMESTAMP_REPLACED if count else None
    if count == 0:
        return Reason.TIMESTAMP_REMOVED
    if count > 1 or tsa is None:
        return Reason.TIMESTAMP_REPLACED
    expected = row.tsa_certificate_sha256 or _recorded_in_copy_as_sealed(row)
    if expected is not None and hashlib.sha256(tsa.dump()).hexdigest() != expected:
        return Reason.TIMESTAMP_REPLACED
    token = status.timestamp_validity
    if token is None or not (token.intact and token.valid):
        return Reason.TIMESTAMP_REPLACED  # e.g. our TSA's token over another signature
    return None


def _recorded_in_copy_as_sealed(row: SealedDocument) -> str | None:
    """Rows sealed before 0011: the TSA certificate of the PDF as sealed (None if erased)."""
    try:
        return tsa_certificate_sha256(row.pdf)
    except Exception:  # the PDF blanked by the erasure of personal data
        return None


def _facts(session: Session, row: SealedDocument) -> SealedFacts:
    version = row.version
    livrable = version.livrable
    unit = livrable.unit
    names = {
        SignatureParty.ADVISOR: unit.advisor.full_name,
        SignatureParty.BENEFICIARY: unit.dossier.beneficiary.full_name,
    }
    signed_on = {s.party: s.signed_on for s in version.signatures}
    report = verify_chain(session, version.id)
    events = events_of(session, version.id)
    sealed_prefix_kept = (
        len(events) >= row.chain_length
        and row.chain_length > 0
        and events[row.chain_length - 1].hash == row.chain_head
    )
    return SealedFacts(
        kind=LivrableKind(livrable.kind),
        version=version.number,
        operator_name=unit.operator.name,
        signed_on={SignatureParty(p): d for p, d in signed_on.items()},
        initials={party: initials(name) for party, name in names.items()},
        sealed_at=row.sealed_at,
        sealed_on=row.sealed_at.astimezone(PARIS).date(),
        timestamp=row.timestamp,
        chain_intact=report.intact and sealed_prefix_kept,
    )


def initials(full_name: str) -> str:
    """« Camille Lefèvre-Martin » → « C. L.-M. »."""
    parts = []
    for word in full_name.split():
        pieces = [p for p in word.split("-") if p]
        parts.append("-".join(f"{p[0].upper()}." for p in pieces))
    return " ".join(parts)


__all__ = ["Reason", "Result", "SealedFacts", "Verdict", "initials", "verify_copy"]
