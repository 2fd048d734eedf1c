"""Who follows a dossier, and what the person and their référent write to each other.

`DossierHandover`: a manager hands a dossier to another advisor; the change is dated and kept.
`DossierMessage`: from UO2.1 the person reaches their référent unique « sans préalable
formel » (CCTP 2.1.3); each message is e-mailed and kept on the dossier.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, UTCDateTime, utcnow
from portal.network.models import StaffMember


class DossierHandover(Base):
    __tablename__ = "dossier_handover"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    from_advisor_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"))
    to_advisor_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"))
    handed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    handed_by_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"))
    reason: Mapped[str] = mapped_column(Text, default="")

    from_advisor: Mapped[StaffMember] = relationship(foreign_keys=[from_advisor_id])
    to_advisor: Mapped[StaffMember] = relationship(foreign_keys=[to_advisor_id])
    handed_by: Mapped[StaffMember] = relationship(foreign_keys=[handed_by_id])


class MessageAuthor(StrEnum):
    PERSON = "person"
    STAFF = "staff"


class DossierMessage(Base):
    __tablename__ = "dossier_message"
    __table_args__ = (
        CheckConstraint(
            "author = 'person' OR author_staff_id IS NOT NULL", name="staff_author_named"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    author: Mapped[MessageAuthor] = mapped_column(String(10))
    author_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    # The advisor it was sent to (the référent at the time).
    to_advisor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    text: Mapped[str] = mapped_column(Text)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author_staff: Mapped[StaffMember | None] = relationship(foreign_keys=[author_staff_id])
