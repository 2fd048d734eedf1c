"""The livrables « État des lieux partagé » (UO1) and « Projet professionnel » (UO2.1).

A `Livrable` holds the working draft of one unit (autosaved, every save kept as a
`LivrableRevision`). Signing freezes the draft into a `LivrableVersion`: its content, the
SHA-256 of that content, and the PDF printed from it. Each party's `Signature` and the
`SignedScan` attach to that version, never to the draft, so what was signed is provable.

Signing method is a column, not a code path: paper now, online e-signature (with its
evidence in `Signature.evidence`) in a later issue.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.advisor.models import Unit
from portal.db import Base, StrEnumType, UTCDateTime, utcnow
from portal.network.models import StaffMember


class LivrableKind(StrEnum):
    ETAT_DES_LIEUX = "etat_des_lieux"  # UO1, CCTP 2.1.2
    PROJET_PROFESSIONNEL = "projet_professionnel"  # UO2.1, CCTP 2.1.3


class LivrableStatus(StrEnum):
    DRAFT = "draft"
    FROZEN = "frozen"  # printed, waiting for signatures
    SIGNED = "signed"  # both parties signed: the unit is closed


class RevisionKind(StrEnum):
    AUTOSAVE = "autosave"
    SAVE = "save"
    TAKEOVER = "takeover"  # parts taken over from the UO1 livrable, on the advisor's request


class SignatureParty(StrEnum):
    ADVISOR = "advisor"
    BENEFICIARY = "beneficiary"


class SignatureMethod(StrEnum):
    PAPER = "paper"
    ELECTRONIC = "electronic"  # online: password, then link and one-time code (portal.esign)


class Livrable(Base):
    __tablename__ = "livrable"
    # close-expired asks, on every batch, whether a unit's livrable awaits its paper signature:
    # an index-only scan with this (not a partial index: the status is a bound parameter).
    __table_args__ = (Index("ix_livrable_status_unit_id", "status", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), unique=True)
    kind: Mapped[LivrableKind] = mapped_column(StrEnumType(LivrableKind, 30))
    status: Mapped[LivrableStatus] = mapped_column(
        StrEnumType(LivrableStatus, 10), default=LivrableStatus.DRAFT
    )
    # The working draft: {"sections": {...}, "steps": [...], "services": [...], ...}
    content: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Raised on every save: a save based on an older draft is refused (two tabs, two people).
    draft_number: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))

    unit: Mapped[Unit] = relationship()
    revisions: Mapped[list[LivrableRevision]] = relationship(
        back_populates="livrable", order_by="LivrableRevision.id.desc()"
    )
    versions: Mapped[list[LivrableVersion]] = relationship(
        back_populates="livrable", order_by="LivrableVersion.number"
    )

    @property
    def current_version(self) -> LivrableVersion | None:
        return self.versions[-1] if self.versions and not self.versions[-1].voided_at else None


class LivrableRevision(Base):
    """A saved state of the draft. Autosaves by the same person within a few minutes
    update the last autosave instead of piling up."""

    __tablename__ = "livrable_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    livrable_id: Mapped[int] = mapped_column(ForeignKey("livrable.id"), index=True)
    kind: Mapped[RevisionKind] = mapped_column(StrEnumType(RevisionKind, 10))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    saved_by_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"))

    livrable: Mapped[Livrable] = relationship(back_populates="revisions")
    saved_by: Mapped[StaffMember] = relationship()


class LivrableVersion(Base):
    """The frozen text that is signed: content, its hash, and the PDF printed from it."""

    __tablename__ = "livrable_version"
    __table_args__ = (UniqueConstraint("livrable_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    livrable_id: Mapped[int] = mapped_column(ForeignKey("livrable.id"))
    number: Mapped[int]
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    # SHA-256 of the canonical JSON of `content` (and the unit's identity), printed on the PDF.
    content_sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    frozen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    frozen_by_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"))
    # How this version is signed, chosen by the advisor (switchable while nobody signed).
    method: Mapped[SignatureMethod] = mapped_column(
        StrEnumType(SignatureMethod, 15), default=SignatureMethod.PAPER, server_default="paper"
    )
    # Set when the advisor takes the text back to edit before anyone signed it.
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    livrable: Mapped[Livrable] = relationship(back_populates="versions")
    signatures: Mapped[list[Signature]] = relationship(
        back_populates="version", order_by="Signature.id"
    )
    # Every scan uploaded for this version, oldest first: a new upload never erases one.
    scans: Mapped[list[SignedScan]] = relationship(
        back_populates="version", order_by="SignedScan.id"
    )

    @property
    def scan(self) -> SignedScan | None:
        """The scan that counts: the latest uploaded."""
        return self.scans[-1] if self.scans else None

    @property
    def short_hash(self) -> str:
        return self.content_sha256[:16]

    def signature_of(self, party: SignatureParty) -> Signature | None:
        return next((s for s in self.signatures if s.party == party), None)


class Signature(Base):
    __tablename__ = "signature"
    __table_args__ = (UniqueConstraint("version_id", "party"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("livrable_version.id"))
    party: Mapped[SignatureParty] = mapped_column(StrEnumType(SignatureParty, 15))
    method: Mapped[SignatureMethod] = mapped_column(StrEnumType(SignatureMethod, 15))
    signer_name: Mapped[str] = mapped_column(String(200))
    signed_on: Mapped[date]
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    # The beneficiary's only: the voluntary closure reason chosen with the signature.
    closure_reason: Mapped[str | None] = mapped_column(String(40))
    # Online signature (later issue): identification, timestamps, document hash…
    evidence: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    version: Mapped[LivrableVersion] = relationship(back_populates="signatures")


class SignedScan(Base):
    """A scan of the paper copy both parties signed (PDF, JPEG or PNG). Each upload is a new
    row, with its SHA-256, time and uploader; the latest is the version's scan."""

    __tablename__ = "signed_scan"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("livrable_version.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(50))
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"))

    version: Mapped[LivrableVersion] = relationship(back_populates="scans")
    uploaded_by: Mapped[StaffMember] = relationship()


__all__ = [
    "Livrable",
    "LivrableKind",
    "LivrableRevision",
    "LivrableStatus",
    "LivrableVersion",
    "RevisionKind",
    "Signature",
    "SignatureMethod",
    "SignatureParty",
    "SignedScan",
]
