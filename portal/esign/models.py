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
from portal.people.models import Beneficiary


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
    METHOD_CHOSEN = "method_chosen"  # « en ligne » or « sur papier », by the advisor


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
    sealed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # "rfc3161" with the TSA's URL, or "server": the evidence says the server's clock was used.
    timestamp: Mapped[str] = mapped_column(String(10))
    tsa_url: Mapped[str | None] = mapped_column(String(300))
    # SHA-256 of the certificate of the TSA that signed the token (None before 0011: the
    # verification then reads it from `pdf`, the copy as sealed).
    tsa_certificate_sha256: Mapped[str | None] = mapped_column(String(64))
    # The chain as the certificate page printed it.
    chain_length: Mapped[int]
    chain_head: Mapped[str] = mapped_column(String(64))

    version: Mapped[LivrableVersion] = relationship()


class RequestStatus(StrEnum):
    PENDING = "pending"  # waiting for the beneficiary's signature
    SIGNED = "signed"
    WITHDRAWN = "withdrawn"  # a new version, a switch to paper, or the advisor took it back
    EXPIRED = "expired"  # the unit's deadline passed


class SigningPlace(StrEnum):
    REMOTE = "remote"  # a link by e-mail, the code by SMS (or e-mail)
    IN_SESSION = "in_session"  # on the advisor's screen or the person's phone (QR code)


class SignatureRequest(Base):
    """The beneficiary's online signature asked for one version: the link, the one-time
    code, its limits. The token of the link is never stored: it is signed from `id` and
    `nonce` (`portal.esign.codes.request_token`); the code only as an HMAC."""

    __tablename__ = "signature_request"
    __table_args__ = (Index("ix_signature_request_version_id_status", "version_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("livrable_version.id"))
    beneficiary_id: Mapped[int] = mapped_column(ForeignKey("beneficiary.id"))
    place: Mapped[SigningPlace] = mapped_column(StrEnumType(SigningPlace, 15))
    status: Mapped[RequestStatus] = mapped_column(
        StrEnumType(RequestStatus, 10), default=RequestStatus.PENDING
    )
    nonce: Mapped[str] = mapped_column(String(32))
    # Chosen by the advisor with the request: the voluntary reason the unit closes with.
    closure_reason: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"))
    # The end of the unit's deadline day (Europe/Paris): the link works until then.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The code in force: HMAC-SHA256 (never the code), where it went, until when, tries.
    code_hmac: Mapped[str | None] = mapped_column(String(64))
    code_channel: Mapped[str | None] = mapped_column(String(10))  # "sms" | "email"
    code_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    code_failures: Mapped[int] = mapped_column(default=0)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    version: Mapped[LivrableVersion] = relationship()
    beneficiary: Mapped[Beneficiary] = relationship()

    @property
    def is_pending(self) -> bool:
        return self.status == RequestStatus.PENDING


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
    "RequestStatus",
    "SealedDocument",
    "SignatureChain",
    "SignatureEvent",
    "SignatureRequest",
    "SigningPlace",
]
