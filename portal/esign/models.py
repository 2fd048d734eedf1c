"""The evidence of a signature: every step an append-only, hash-chained event.

One chain per livrable version (the document that is signed): the evidence file of a
version is self-contained (its certificate lists its own events and can be checked alone),
two livrables never wait on each other's lock, and the retention of one dossier never
touches another's chain. `signature_chain` holds each chain's head (length and last hash):
it is the row locked to append, and it reveals a truncated tail.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from portal.db import Base, StrEnumType, UTCDateTime, utcnow
from portal.livrables.models import LivrableVersion


class EventKind(StrEnum):
    """What happened (issue 11 §1, §5). The online kinds are recorded by the signing step
    that follows; the paper ones by `portal.livrables.signing` today."""

    REQUESTED = "requested"  # online signature asked of the beneficiary
    LINK_SENT = "link_sent"
    OPENED = "opened"
    CODE_SENT = "code_sent"
    CODE_FAILED = "code_failed"
    CODE_VERIFIED = "code_verified"
    CONSENT_GIVEN = "consent_given"
    SIGNED = "signed"  # one party signed online
    SEALED = "sealed"  # the signed PDF was sealed with the operator's certificate
    COPY_DELIVERED = "copy_delivered"  # the person's copy: e-mail queued, space updated
    REQUEST_WITHDRAWN = "request_withdrawn"
    REQUEST_EXPIRED = "request_expired"
    PAPER_PRINTED = "paper_printed"  # the version was frozen and its PDF printed
    PAPER_DATES_RECORDED = "paper_dates_recorded"  # a party's handwritten signature date
    SCAN_UPLOADED = "scan_uploaded"
    PAPER_COPY_REQUESTED = "paper_copy_requested"  # a copy by post (CCTP 2.1.2)
    VOIDED = "voided"  # taken back to the draft before anyone signed


class ActorKind(StrEnum):
    STAFF = "staff"
    BENEFICIARY = "beneficiary"
    SYSTEM = "system"  # the portal itself: sealing, expiry


class SignatureEvent(Base):
    """One step of a signature. Never updated nor deleted (the mapper refuses it; a change
    made behind its back breaks the chain, see `evidence.verify_chain`)."""

    __tablename__ = "signature_event"
    __table_args__ = (UniqueConstraint("version_id", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("livrable_version.id"))
    sequence: Mapped[int]  # 1, 2, 3… within the version's chain
    kind: Mapped[EventKind] = mapped_column(StrEnumType(EventKind, 30))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_kind: Mapped[ActorKind] = mapped_column(StrEnumType(ActorKind, 15))
    actor_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    actor_beneficiary_id: Mapped[int | None] = mapped_column(ForeignKey("beneficiary.id"))
    ip: Mapped[str | None] = mapped_column(String(45))  # an IPv6 address at most
    user_agent: Mapped[str | None] = mapped_column(String(300))
    # The SHA-256 of the exact document version concerned (`livrable_version.content_sha256`,
    # printed on every page of its PDF).
    document_sha256: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))  # "0" * 64 for the first event
    hash: Mapped[str] = mapped_column(String(64))

    version: Mapped[LivrableVersion] = relationship()


class SignatureChain(Base):
    """The head of a version's chain: locked to append, compared to find a cut tail."""

    __tablename__ = "signature_chain"

    version_id: Mapped[int] = mapped_column(ForeignKey("livrable_version.id"), primary_key=True)
    length: Mapped[int] = mapped_column(default=0)
    head_hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SealedDocument(Base):
    """The signed PDF of a version: the livrable, its « certificat de preuve », the seal.

    `message_digest` is the digest the seal signs (from the CMS signed attributes): a copy
    handed in names it, signed by our key, so it finds its row without trusting the file."""

    __tablename__ = "sealed_document"

    version_id: Mapped[int] = mapped_column(ForeignKey("livrable_version.id"), primary_key=True)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    message_digest: Mapped[str] = mapped_column(String(128), unique=True)
    certificate_sha256: Mapped[str] = mapped_column(String(64))
    sealed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # "rfc3161" with the TSA's URL, or "server": the evidence says the server's clock was used.
    timestamp: Mapped[str] = mapped_column(String(10))
    tsa_url: Mapped[str | None] = mapped_column(String(300))
    # The chain as the certificate page printed it.
    chain_length: Mapped[int]
    chain_head: Mapped[str] = mapped_column(String(64))

    version: Mapped[LivrableVersion] = relationship()


class PaperCopyRequest(Base):
    """A beneficiary's request, from their space, for a paper copy of a livrable version by
    post (CCTP 2.1.2). The address is kept here, never in the evidence chain (whose event
    names this row's id), so that erasure can blank it without breaking the chain. One
    request at a time per version: a second waits until the first is marked sent."""

    __tablename__ = "paper_copy_request"
    __table_args__ = (
        Index(
            "uq_paper_copy_request_pending",
            "version_id",
            unique=True,
            postgresql_where=text("sent_at IS NULL"),
            sqlite_where=text("sent_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("livrable_version.id"), index=True)
    beneficiary_id: Mapped[int] = mapped_column(ForeignKey("beneficiary.id"))
    # The postal address as the person typed it: street lines, then postcode and town.
    address_lines: Mapped[str] = mapped_column(Text)
    postcode: Mapped[str] = mapped_column(String(10))
    town: Mapped[str] = mapped_column(String(100))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))

    version: Mapped[LivrableVersion] = relationship()

    @property
    def pending(self) -> bool:
        return self.sent_at is None


class AppendOnlyError(RuntimeError):
    pass


@event.listens_for(SignatureEvent, "before_update")
@event.listens_for(SignatureEvent, "before_delete")
def _append_only(_mapper: Mapper[Any], _connection: Any, target: SignatureEvent) -> None:
    raise AppendOnlyError(f"signature_event {target.id} is evidence: append only")


__all__ = [
    "ActorKind",
    "AppendOnlyError",
    "EventKind",
    "PaperCopyRequest",
    "SealedDocument",
    "SignatureChain",
    "SignatureEvent",
]
