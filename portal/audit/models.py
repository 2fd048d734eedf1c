"""`file_read`: one page or file of a person's dossier served to a member of staff."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, StrEnumType, UTCDateTime
from portal.network.models import StaffMember


class ReadWhat(StrEnum):
    """What was read (a short code; the words are the web layer's)."""

    DOSSIER = "dossier"  # the dossier's page: the person, units, appointments, livrables
    LIVRABLE_PDF = "livrable_pdf"  # one version of a livrable, as its PDF


class FileRead(Base):
    __tablename__ = "file_read"
    __table_args__ = (
        # The person's space lists the reads of their records, latest first.
        Index("ix_file_read_beneficiary_at", "beneficiary_id", "at"),
        Index("ix_file_read_referral_at", "referral_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    staff_member_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"))
    # The referral under which the mediator read it (None for a read under another title).
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referral.id"))
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    beneficiary_id: Mapped[int | None] = mapped_column(ForeignKey("beneficiary.id"))
    what: Mapped[ReadWhat] = mapped_column(StrEnumType(ReadWhat, 20))
    path: Mapped[str] = mapped_column(String(300))

    staff_member: Mapped[StaffMember] = relationship()


__all__ = ["FileRead", "ReadWhat"]
