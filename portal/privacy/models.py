"""The trace of each erasure: when, by whom, which dossier numbers — never whom."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, SmallInteger
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, StrEnumType, UTCDateTime
from portal.network.models import StaffMember


class ErasureReason(StrEnum):
    REQUEST = "request"  # the person asked (RGPD art. 17), a manager erased
    RETENTION = "retention"  # the retention period ran out (`flask cep purge`)


class ErasureRecord(Base):
    __tablename__ = "erasure_record"
    __table_args__ = (Index("ix_erasure_record_operator_erased_at", "operator_id", "erased_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The operator whose manager erased; None for the purge, which acts for every operator.
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operator.id"))
    erased_at: Mapped[datetime] = mapped_column(UTCDateTime)
    erased_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    reason: Mapped[ErasureReason] = mapped_column(StrEnumType(ErasureReason, 10))
    # Annex 2 « numéros de dossier » of the units concerned: what France compétences may ask
    # about, without the person.
    unit_numbers: Mapped[list[str]] = mapped_column(JSON, default=list)
    # How many records (one per booking) were erased.
    records: Mapped[int] = mapped_column(SmallInteger)

    erased_by: Mapped[StaffMember | None] = relationship()


__all__ = ["ErasureReason", "ErasureRecord"]
