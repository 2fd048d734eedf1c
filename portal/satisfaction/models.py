"""One survey per closed unit: sent at closure, answered once (CCTP 4.1, indicator 8.1)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, SmallInteger, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.advisor.models import Unit
from portal.db import Base, UTCDateTime, utcnow


class Survey(Base):
    __tablename__ = "survey"
    __table_args__ = (
        CheckConstraint("quality BETWEEN 1 AND 4", name="quality"),
        CheckConstraint("usefulness BETWEEN 1 AND 4", name="usefulness"),
        Index("ix_survey_operator_closed_on", "operator_id", "closed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), unique=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operator.id"))
    # The unit's closure date: it places the answer in a semester.
    closed_on: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # 4 = très satisfait / très utile … 1 = pas du tout.
    quality: Mapped[int | None] = mapped_column(SmallInteger)
    usefulness: Mapped[int | None] = mapped_column(SmallInteger)
    comment: Mapped[str] = mapped_column(Text, default="")

    unit: Mapped[Unit] = relationship()


__all__ = ["Survey"]
