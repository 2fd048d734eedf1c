"""The person: the beneficiary, with the identity Annex 2 wants from UO0 (layout-next: the
person lives in `people/`, out of `booking/`). Their Annex 2 profile is `profile_models`."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Index, String, func, text
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, utcnow


class Beneficiary(Base):
    """The person, with the Annex 2 identity fields due from UO0 (name, contact, birth date).

    One record per request for now; the advisor workspace links them to dossiers.
    """

    __tablename__ = "beneficiary"
    # The beneficiary space and re-engagement checks find a person's rows by e-mail, whatever
    # its case.
    __table_args__ = (Index("ix_beneficiary_lower_email", func.lower(text("email"))),)

    id: Mapped[int] = mapped_column(primary_key=True)
    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254), index=True)
    phone: Mapped[str] = mapped_column(String(20))  # E.164, "+33612345678"
    birth_date: Mapped[date] = mapped_column(Date)
    # RGPD art. 6 and 13: the person consented to this processing, with that wording version.
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    consent_version: Mapped[str] = mapped_column(String(20))
    locale: Mapped[str] = mapped_column(String(5), default="fr")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"
